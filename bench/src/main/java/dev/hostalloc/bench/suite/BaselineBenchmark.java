package dev.hostalloc.bench.suite;

import dev.hostalloc.api.DirectAllocation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The native allocators hostalloc is measured against, with the same pair and batch patterns as
 * {@link StackBenchmark}: glibc {@code malloc}/{@code free} ({@code aligned_alloc} above 16 bytes of
 * alignment) through LWJGL's {@code LibCStdlib} (not {@code MemoryUtil}, whose allocator is
 * configurable and defaults to mimalloc), jemalloc ({@code je_malloc}/{@code je_aligned_alloc}) and
 * mimalloc ({@code mi_malloc}/{@code mi_malloc_aligned}) through LWJGL 3.4.2's bindings.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@DirectAllocation(reason = "the baselines are the native allocators themselves, called directly")
public class BaselineBenchmark
{
    /** The native allocator measured. */
    @Param({ NativeHeap.GLIBC, NativeHeap.JEMALLOC, NativeHeap.MIMALLOC })
    public String allocator;

    /** The alignment asked for. */
    @Param({ "8", "64" })
    public long alignment;

    private NativeHeap heap;
    private final long[] sizes = BatchPattern.sizes();
    private final int[] freeOrder = BatchPattern.freeOrder();
    private final long[] blocks = new long[BatchPattern.BLOCKS];

    /** Picks the allocator (and loads its library). */
    @Setup(Level.Trial)
    public void setUp()
    {
        heap = NativeHeap.of(allocator);
    }

    /**
     * One allocate and one free.
     *
     * @return the block's address.
     */
    @Benchmark
    public long pair()
    {
        final NativeHeap heap = this.heap;
        final long block = heap.allocate(StackBenchmark.PAIR_SIZE, alignment);
        heap.free(block);
        return block;
    }

    /**
     * The batch pattern.
     *
     * @return the XOR of the addresses.
     */
    @Benchmark
    @OperationsPerInvocation(BatchPattern.BLOCKS)
    public long batch()
    {
        final NativeHeap heap = this.heap;
        final long alignment = this.alignment;
        final long[] sizes = this.sizes;
        final long[] blocks = this.blocks;
        final int[] freeOrder = this.freeOrder;
        long mix = 0;
        for (int i = 0; i < blocks.length; i++)
        {
            blocks[i] = heap.allocate(sizes[i], alignment);
        }
        for (int i = 0; i < blocks.length; i++)
        {
            final long block = blocks[freeOrder[i]];
            mix ^= block;
            heap.free(block);
        }
        return mix;
    }
}
