package dev.hostalloc.bench.debug;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.guard.Pages;
import dev.hostalloc.stack.Allocators;
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

import java.util.concurrent.TimeUnit;

import static org.lwjgl.system.MemoryUtil.memSet;

/**
 * What the guard-page allocator costs against the system calls it cannot avoid: {@code bare} is a bare
 * {@code mmap} of the data pages plus a guard page, {@code mprotect} of the guard page and {@code munmap},
 * through the same {@link Pages} downcalls (the budget: {@code guard} within 1.2x of it).
 * {@code guard:quarantine=0} carves each block from reserved {@code PROT_NONE} address space (one
 * {@code mprotect}) and unmaps it on free; {@code guard} (the default 64 MiB quarantine) makes the
 * freed data pages {@code PROT_NONE} in place ({@code mprotect}; the memory is held until eviction) and
 * evicts in batches, one {@code munmap} per run of neighbouring blocks.
 *
 * <p>Sizes: 4096 (a page: the block fills its data page, nothing else is written) and 64 (the rest of the
 * data page is filled and checked, so the page is touched; {@code bare} then touches it the same way, with
 * a memset of the same length, to compare like with like).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@DirectAllocation(reason = "benchmark baseline: the bare mmap/mprotect/munmap a guard block costs at least")
public class GuardBenchmark
{
    private static final long ALIGNMENT = 16;
    private static final String BARE = "bare";

    /** {@value #BARE}, or the stack measured. */
    @Param({ BARE, "guard:quarantine=0", "guard" })
    public String spec;

    /** Bytes per block. */
    @Param({ "4096", "64" })
    public long size;

    private AllocationCallbacks stack;
    private RecordingViolationHandler handler;
    private long pageSize;
    private long dataLength;
    private long fillLength;

    /** Builds the stack, or sizes the bare mapping. */
    @Setup(Level.Trial)
    public void setUp()
    {
        handler = new RecordingViolationHandler(4);
        pageSize = Pages.pageSize();
        dataLength = (size + pageSize - 1) & -pageSize;
        fillLength = dataLength - size;
        stack = BARE.equals(spec) ? null : Allocators.fromSpec(spec, handler);
    }

    /**
     * Fails the run if anything was reported.
     *
     * @throws IllegalStateException when the handler saw a violation.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (handler.hasViolations())
        {
            throw new IllegalStateException(handler.report());
        }
    }

    /**
     * One allocate and one free (or the bare system calls).
     *
     * @return the block's address.
     */
    @Benchmark
    public long allocateFree()
    {
        final AllocationCallbacks stack = this.stack;
        if (null == stack)
        {
            final long pageSize = this.pageSize;
            final long dataLength = this.dataLength;
            final long start = Pages.map(dataLength + pageSize, Pages.PROT_READ_WRITE);
            Pages.protect(start + dataLength, pageSize, Pages.PROT_NONE);
            if (fillLength != 0)
            {
                memSet(start, 0xAA, fillLength);
            }
            Pages.unmap(start, dataLength + pageSize);
            return start;
        }
        final long block = stack.allocate(size, ALIGNMENT, SystemAllocationScope.OBJECT);
        stack.free(block);
        return block;
    }

    /**
     * The same comparison for a machine shared with other jobs: one JVM runs short batches of {@code bare},
     * {@code guard:quarantine=0} and {@code guard} in turn (the order rotating every round), and prints the
     * median of the per-round ratios to {@code bare} with a 95% confidence interval of that median (order
     * statistics), so load that lasts longer than a round weighs on both sides of each ratio alike. Not a
     * JMH benchmark:
     *
     * <pre>
     * flock /tmp/hostalloc-bench.lock java --enable-native-access=ALL-UNNAMED \
     *      --add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
     *      -cp bench/target/benchmarks.jar 'dev.hostalloc.bench.debug.GuardBenchmark$Interleaved' [rounds] [pairs]
     * </pre>
     */
    public static final class Interleaved
    {
        private static final int DEFAULT_ROUNDS = 200;
        private static final int DEFAULT_PAIRS = 400;
        private static final int WARM_UP_ROUNDS = 40;
        private static final double Z95 = 1.96;
        private static final String[] SPECS = { BARE, "guard:quarantine=0", "guard" };
        private static final long[] SIZES = { 4096, 64 };

        private Interleaved()
        {
        }

        /**
         * Runs every size and prints a Markdown table.
         *
         * @param args optional: rounds, pairs per batch.
         */
        public static void main(final String[] args)
        {
            final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
            final int pairs = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_PAIRS;
            System.out.printf(java.util.Locale.ROOT, "%d rounds of %d allocate+free pairs per stack, interleaved%n%n",
                rounds, pairs);
            System.out.println("| size | stack | median ns per pair | median ratio to bare | 95% CI |");
            System.out.println("|---:|---|---:|---:|---:|");
            long sink = 0;
            for (final long size : SIZES)
            {
                final GuardBenchmark[] subjects = new GuardBenchmark[SPECS.length];
                for (int s = 0; s < SPECS.length; s++)
                {
                    subjects[s] = new GuardBenchmark();
                    subjects[s].spec = SPECS[s];
                    subjects[s].size = size;
                    subjects[s].setUp();
                }
                final double[][] perPair = new double[SPECS.length][rounds];
                for (int r = -WARM_UP_ROUNDS; r < rounds; r++)
                {
                    for (int k = 0; k < SPECS.length; k++)
                    {
                        final int s = Math.floorMod(k + r, SPECS.length);
                        final GuardBenchmark subject = subjects[s];
                        final long start = System.nanoTime();
                        for (int i = 0; i < pairs; i++)
                        {
                            sink += subject.allocateFree();
                        }
                        final long nanos = System.nanoTime() - start;
                        if (r >= 0)
                        {
                            perPair[s][r] = nanos / (double)pairs;
                        }
                    }
                }
                for (int s = 0; s < SPECS.length; s++)
                {
                    subjects[s].tearDown();
                    final double[] ratios = new double[rounds];
                    for (int r = 0; r < rounds; r++)
                    {
                        ratios[r] = perPair[s][r] / perPair[0][r];
                    }
                    java.util.Arrays.sort(ratios);
                    final double[] times = perPair[s].clone();
                    java.util.Arrays.sort(times);
                    final int half = (int)Math.ceil(Z95 * Math.sqrt(rounds) / 2);
                    System.out.printf(java.util.Locale.ROOT, "| %d | %s | %.0f | %.3f | %.3f .. %.3f |%n", size, SPECS[s],
                        times[rounds / 2], ratios[rounds / 2], ratios[Math.max(0, rounds / 2 - half)],
                        ratios[Math.min(rounds - 1, rounds / 2 + half)]);
                }
            }
            System.out.println("(sink " + sink + ")");
        }
    }
}
