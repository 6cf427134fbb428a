package dev.hostalloc.bench.suite;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.SystemAllocationScope;
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
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * hostalloc stacks per call: {@link #pair()} is one {@code allocate(64)} + {@code free}; {@link #batch()}
 * is the {@link BatchPattern} (64 live blocks, 16 B–4 KiB, freed in another order), reported per
 * allocate+free pair. Each spec runs in its own forks, so every call site is monomorphic, as in an
 * application with one stack. Forks, iterations and JVM flags come from {@link SuiteRunner}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StackBenchmark
{
    /** Bytes per block of the pair benchmark. */
    public static final long PAIR_SIZE = 64;

    private static final SystemAllocationScope SCOPE = SystemAllocationScope.OBJECT;

    /** The stack measured, as {@link BenchStack#open(String)} takes it. */
    @Param({ "system", "cookies,system", "accounting,system", "logging,system", "cookies,accounting,logging,system",
        "guard", "tlsf:64m" })
    public String spec;

    /** The alignment asked for. */
    @Param({ "8", "64" })
    public long alignment;

    private BenchStack stack;
    private AllocationCallbacks callbacks;
    private final long[] sizes = BatchPattern.sizes();
    private final int[] freeOrder = BatchPattern.freeOrder();
    private final long[] blocks = new long[BatchPattern.BLOCKS];

    /** Builds the stack. */
    @Setup(Level.Trial)
    public void setUp()
    {
        stack = BenchStack.open(spec);
        callbacks = stack.callbacks();
    }

    /**
     * Closes the stack.
     *
     * @throws Exception when the stack reported a violation or cannot be closed.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        stack.close();
    }

    /**
     * One allocate and one free.
     *
     * @return the block's address, so the pair cannot be optimised away.
     */
    @Benchmark
    public long pair()
    {
        final AllocationCallbacks callbacks = this.callbacks;
        final long block = callbacks.allocate(PAIR_SIZE, alignment, SCOPE);
        callbacks.free(block);
        return block;
    }

    /**
     * The batch pattern: allocate all, free all in the other order.
     *
     * @return the XOR of the addresses.
     */
    @Benchmark
    @OperationsPerInvocation(BatchPattern.BLOCKS)
    public long batch()
    {
        final AllocationCallbacks callbacks = this.callbacks;
        final long alignment = this.alignment;
        final long[] sizes = this.sizes;
        final long[] blocks = this.blocks;
        final int[] freeOrder = this.freeOrder;
        long mix = 0;
        for (int i = 0; i < blocks.length; i++)
        {
            blocks[i] = callbacks.allocate(sizes[i], alignment, SCOPE);
        }
        for (int i = 0; i < blocks.length; i++)
        {
            final long block = blocks[freeOrder[i]];
            mix ^= block;
            callbacks.free(block);
        }
        return mix;
    }
}
