package dev.hostalloc.bench.suite;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.SystemAllocationScope;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.concurrent.TimeUnit;

/**
 * The pair benchmark ({@code allocate(64, 8)} + {@code free}) on two threads sharing one allocator, as a
 * driver's threads share its callbacks: the thread-safe hostalloc stacks (the runner asks each stack's
 * {@code traits().threadSafe()}) and the native baselines. The score is per operation per thread. On a
 * 2-core machine the two threads take both cores, so anything else (the logging writer, JIT, GC) competes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(TwoThreadBenchmark.THREADS)
@DirectAllocation(reason = "the native baselines (glibc, jemalloc, mimalloc) are called directly")
public class TwoThreadBenchmark
{
    /** Threads sharing the allocator. */
    public static final int THREADS = 2;

    private static final long ALIGNMENT = 8;

    /** A native baseline name ({@link NativeHeap}) or a hostalloc spec ({@link BenchStack}). */
    @Param({ NativeHeap.GLIBC, "system" })
    public String subject;

    private NativeHeap heap;
    private BenchStack stack;
    private AllocationCallbacks callbacks;

    /** Builds the shared allocator. */
    @Setup(Level.Trial)
    public void setUp()
    {
        switch (subject)
        {
            case NativeHeap.GLIBC, NativeHeap.JEMALLOC, NativeHeap.MIMALLOC -> heap = NativeHeap.of(subject);
            default ->
            {
                stack = BenchStack.open(subject);
                callbacks = stack.callbacks();
                if (!callbacks.traits().threadSafe())
                {
                    throw new IllegalStateException(subject + " is not thread-safe: it has no two-thread row");
                }
            }
        }
    }

    /**
     * Closes the stack.
     *
     * @throws Exception when it reported a violation.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        if (null != stack)
        {
            stack.close();
        }
    }

    /**
     * One allocate and one free, on each of the two threads.
     *
     * @return the address.
     */
    @Benchmark
    public long pair()
    {
        final AllocationCallbacks callbacks = this.callbacks;
        if (null != callbacks)
        {
            final long block = callbacks.allocate(StackBenchmark.PAIR_SIZE, ALIGNMENT, SystemAllocationScope.OBJECT);
            callbacks.free(block);
            return block;
        }
        final NativeHeap heap = this.heap;
        final long block = heap.allocate(StackBenchmark.PAIR_SIZE, ALIGNMENT);
        heap.free(block);
        return block;
    }
}
