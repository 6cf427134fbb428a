package dev.hostalloc.bench.suite;

import dev.hostalloc.api.DirectAllocation;
import org.lwjgl.system.MemoryStack;
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
 * The physical floor of a bump allocator: LWJGL's {@link MemoryStack} {@code push}, {@code nmalloc},
 * {@code pop}, with the pair and batch patterns of {@link StackBenchmark}. The batch needs up to 64 blocks of
 * 4 KiB at once, more than LWJGL's 64 KiB thread-local stack, so the trial uses a stack of its own
 * (in a direct {@code ByteBuffer}, which the GC frees).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@DirectAllocation(reason = "the bump-allocator floor owns a MemoryStack bigger than LWJGL's thread-local one")
public class MemoryStackBenchmark
{
    private static final int STACK_BYTES = 1 << 20;

    /** The alignment asked for. */
    @Param({ "8", "64" })
    public int alignment;

    private MemoryStack stack;
    private final long[] sizes = BatchPattern.sizes();

    /** Creates the stack. */
    @Setup(Level.Trial)
    public void setUp()
    {
        stack = MemoryStack.create(STACK_BYTES);
    }

    /**
     * Push, one 64-byte allocation, pop.
     *
     * @return the address.
     */
    @Benchmark
    public long pair()
    {
        final MemoryStack stack = this.stack.push();
        final long block = stack.nmalloc(alignment, (int)StackBenchmark.PAIR_SIZE);
        stack.pop();
        return block;
    }

    /**
     * Push, the batch's 64 allocations, pop (a bump allocator frees them all at once).
     *
     * @return the XOR of the addresses.
     */
    @Benchmark
    @OperationsPerInvocation(BatchPattern.BLOCKS)
    public long batch()
    {
        final MemoryStack stack = this.stack.push();
        final int alignment = this.alignment;
        final long[] sizes = this.sizes;
        long mix = 0;
        for (int i = 0; i < sizes.length; i++)
        {
            mix ^= stack.nmalloc(alignment, (int)sizes[i]);
        }
        stack.pop();
        return mix;
    }
}
