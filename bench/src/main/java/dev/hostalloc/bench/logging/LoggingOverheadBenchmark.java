package dev.hostalloc.bench.logging;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.logging.LoggingAllocator;
import dev.hostalloc.system.SystemAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What {@code logging} adds per call over its delegate: one {@code allocate(64, 16, OBJECT)} plus
 * one {@code free} per operation (two logged calls), on {@code system} alone and on
 * {@code logging/system}, and on a delegate that does nothing ({@code null}, {@code logging/null}) to
 * isolate the logger.
 * Run with {@code -prof gc} for B/op. At the end of each trial the logger prints how many records were
 * written and how many dropped (a drop skips the stores: the caller's path differs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED",
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED" })
@State(Scope.Thread)
public class LoggingOverheadBenchmark
{
    /**
     * Which stack: the plain delegate or the logger over it ({@code logging/system} is the spec
     * {@code logging:<sink>,system}; JMH's {@code -p} splits values at commas, hence the slash).
     */
    @Param({ "system", "logging/system", "null", "logging/null" })
    public String stack;

    /** Whether the logger reads System.nanoTime() per record ({@code precise}) or the writer's cached clock. */
    @Param({ "cached" })
    public String clock;

    /** The logging ring's capacity in bytes. */
    @Param({ "1048576" })
    public int ring;

    /**
     * JMH CPU tokens of other work between two operations: 0 saturates the logger (the writer cannot
     * keep up and most records are dropped, the cheap path); around 100 paces the calls so the writer
     * keeps up and every record takes the full path (claim, stores, commit, the cache lines travelling
     * to the writer's core).
     */
    @Param({ "0", "100" })
    public int work;

    /**
     * Where the trace goes: {@code /dev/null} measures the logger and its writer without the disk
     * (a saturating benchmark writes about 1 GB/s, which measures the disk and the page cache), or
     * {@code tmp} for a real file.
     */
    @Param({ "/dev/null" })
    public String sink;

    private AllocationCallbacks callbacks;
    private LoggingAllocator logging;
    private Path file;

    /**
     * Builds the stack; the trace goes to a temporary file, deleted at tear-down.
     *
     * @throws IOException when the temporary file cannot be made.
     */
    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        final AllocationCallbacks base = stack.endsWith("null") ? new NullAllocator() : new SystemAllocator();
        if (stack.startsWith("logging"))
        {
            file = "tmp".equals(sink) ? Files.createTempFile("hostalloc-bench", ".trace") : Path.of(sink);
            logging = LoggingAllocator.builder(file, base).ringCapacity(ring).preciseClock("precise".equals(clock)).open();
            callbacks = logging;
        }
        else
        {
            callbacks = base;
        }
    }

    /**
     * Closes the logger and deletes its trace.
     *
     * @throws IOException when the trace cannot be deleted.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        if (null != logging)
        {
            logging.close();
            final long written = logging.recordsWritten();
            final long dropped = logging.recordsDropped();
            System.out.printf("%nlogging: %,d records written, %,d dropped (%.1f%% of %,d calls) to %s%n",
                written, dropped, 100.0 * dropped / Math.max(1, written + dropped), written + dropped, file);
            if ("tmp".equals(sink))
            {
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * One allocation and its free: two calls.
     *
     * @return the address, so the JIT keeps the work.
     */
    @Benchmark
    public long allocateFree()
    {
        Blackhole.consumeCPU(work);
        final AllocationCallbacks callbacks = this.callbacks;
        final long block = callbacks.allocate(64, 16, SystemAllocationScope.OBJECT);
        callbacks.free(block);
        return block;
    }

    /** A delegate that allocates nothing: isolates the logger's own cost. */
    static final class NullAllocator implements AllocationCallbacks
    {
        private static final long FAKE_BLOCK = 0x1000;

        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            return scope == SystemAllocationScope.INSTANCE ? new SystemAllocator().allocate(size, alignment, scope) : FAKE_BLOCK;
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            return FAKE_BLOCK;
        }

        @Override
        public void free(final long memory)
        {
            if (memory != FAKE_BLOCK)
            {
                new SystemAllocator().free(memory);
            }
        }
    }
}
