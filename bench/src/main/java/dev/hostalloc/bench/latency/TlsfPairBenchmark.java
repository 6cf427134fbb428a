package dev.hostalloc.bench.latency;

import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.tlsf.ThreadingMode;
import dev.hostalloc.tlsf.TlsfAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.lwjgl.system.MemoryUtil.memPutLong;
import static org.lwjgl.system.libc.LibCStdlib.nfree;
import static org.lwjgl.system.libc.LibCStdlib.nmalloc;

/**
 * Mean cost of one free plus one allocate, TLSF (owned mode, no lock) against glibc
 * ({@code LibCStdlib.nfree}/{@code nmalloc}, the JNI calls an LWJGL program makes) in the same run,
 * without per-operation timer calls (the latency harness gives the distribution; this gives the
 * mean without {@code System.nanoTime} around every pair):
 * <ul>
 *   <li>{@code *Fixed}: one 64-byte block allocated and freed, the best case of both (glibc's tcache,
 *       TLSF's split and immediate re-merge with the same neighbour).</li>
 *   <li>{@code *HotLoop}: the latency harness's real-time scenario: 64 live blocks, each step frees
 *       a random one and allocates a random size (80 % 16–256 B, 20 % 257–1024 B), so size classes
 *       and merges vary from step to step.</li>
 * </ul>
 * Command: {@code java <flags> -jar bench/target/benchmarks.jar TlsfPairBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED" })
@DirectAllocation(reason = "the benchmark baseline is the C library itself, called directly")
public class TlsfPairBenchmark
{
    private static final SystemAllocationScope SCOPE = SystemAllocationScope.OBJECT;
    private static final long FIXED_SIZE = 64;
    private static final long ALIGNMENT = 8;
    private static final int STEPS = 1 << 16;
    private static final int LIVE_BLOCKS = 64;
    private static final long ARENA_BYTES = 64L << 20;
    private static final long SEED = 42;

    private final long[] sizes = new long[STEPS];
    private final int[] slots = new int[STEPS];
    private final long[] tlsfLive = new long[LIVE_BLOCKS];
    private final long[] glibcLive = new long[LIVE_BLOCKS];
    private TlsfAllocator pool;

    /** Builds the stream of sizes and slots, the pool, and both working sets. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < STEPS; i++)
        {
            sizes[i] = Workload.size(random, Workload.Sizes.REALTIME);
            slots[i] = random.nextInt(LIVE_BLOCKS);
        }
        pool = TlsfAllocator.mapped(ARENA_BYTES, ThreadingMode.OWNED, ViolationHandler.recordAndCount());
        for (int i = 0; i < LIVE_BLOCKS; i++)
        {
            tlsfLive[i] = pool.allocate(sizes[i], ALIGNMENT, SCOPE);
            glibcLive[i] = nmalloc(sizes[i]);
        }
    }

    /** Frees both working sets and checks the pool. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        for (int i = 0; i < LIVE_BLOCKS; i++)
        {
            pool.free(tlsfLive[i]);
            nfree(glibcLive[i]);
        }
        pool.check();
        pool.close();
    }

    /**
     * glibc, one 64-byte block.
     *
     * @return the block's address.
     */
    @Benchmark
    public long glibcFixed()
    {
        final long block = nmalloc(FIXED_SIZE);
        nfree(block);
        return block;
    }

    /**
     * TLSF owned mode, one 64-byte block.
     *
     * @return the block's address.
     */
    @Benchmark
    public long tlsfFixed()
    {
        final long block = pool.allocate(FIXED_SIZE, ALIGNMENT, SCOPE);
        pool.free(block);
        return block;
    }

    /**
     * glibc, the real-time scenario: {@value #STEPS} free+allocate steps per invocation.
     *
     * @return a sum of the addresses.
     */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long glibcHotLoop()
    {
        final long[] live = glibcLive;
        final long[] sizes = this.sizes;
        final int[] slots = this.slots;
        long sum = 0;
        for (int i = 0; i < STEPS; i++)
        {
            final int slot = slots[i];
            nfree(live[slot]);
            final long block = nmalloc(sizes[i]);
            memPutLong(block, i);
            live[slot] = block;
            sum += block;
        }
        return sum;
    }

    /**
     * TLSF owned mode, the real-time scenario: {@value #STEPS} free+allocate steps per invocation.
     *
     * @return a sum of the addresses.
     */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long tlsfHotLoop()
    {
        final TlsfAllocator pool = this.pool;
        final long[] live = tlsfLive;
        final long[] sizes = this.sizes;
        final int[] slots = this.slots;
        long sum = 0;
        for (int i = 0; i < STEPS; i++)
        {
            final int slot = slots[i];
            pool.free(live[slot]);
            final long block = pool.allocate(sizes[i], ALIGNMENT, SCOPE);
            memPutLong(block, i);
            live[slot] = block;
            sum += block;
        }
        return sum;
    }
}
