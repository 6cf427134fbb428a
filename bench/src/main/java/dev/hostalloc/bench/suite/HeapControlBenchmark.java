package dev.hostalloc.bench.suite;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The control row of the B/op criterion: one escaping {@code long[2]} per operation (32 bytes with a
 * 16-byte header, 24 with compact headers). If the GC profiler reads it below the criterion, the profiler
 * is not measuring and the zero readings of the hostalloc rows prove nothing: the runner fails the run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeapControlBenchmark
{
    private long counter;

    /**
     * Allocates one small array that escapes.
     *
     * @return the array.
     */
    @Benchmark
    public long[] allocateArray()
    {
        return new long[] { counter++, 0 };
    }
}
