package dev.hostalloc.bench.debug;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
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

/**
 * What the cookie decorator adds to one allocate + free pair over its delegate: {@code system} is the
 * baseline, {@code cookies,system} header mode (the budget: at most 5 ns more), {@code cookies:strict,system}
 * strict mode. A 64-byte block at alignment 16, as drivers mostly ask. Each spec runs in its own forks, so
 * every call site is monomorphic, as in an application with one stack.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class CookieBenchmark
{
    private static final long ALIGNMENT = 16;

    /** The stack measured. */
    @Param({ "system", "cookies,system", "cookies:strict,system" })
    public String spec;

    /** Bytes per block. */
    @Param({ "64" })
    public long size;

    private AllocationCallbacks stack;
    private RecordingViolationHandler handler;

    /** Builds the stack. */
    @Setup(Level.Trial)
    public void setUp()
    {
        handler = new RecordingViolationHandler(4);
        stack = Allocators.fromSpec(spec, handler);
    }

    /**
     * Fails the run if anything was reported: a benchmark of a misbehaving stack measures nothing.
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
     * One allocate and one free.
     *
     * @return the block's address, so the pair cannot be optimised away.
     */
    @Benchmark
    public long allocateFree()
    {
        final AllocationCallbacks stack = this.stack;
        final long block = stack.allocate(size, ALIGNMENT, SystemAllocationScope.OBJECT);
        stack.free(block);
        return block;
    }
}
