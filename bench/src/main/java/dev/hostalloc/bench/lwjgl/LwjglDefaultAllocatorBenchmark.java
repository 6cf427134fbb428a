package dev.hostalloc.bench.lwjgl;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import org.lwjgl.system.MemoryUtil;
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
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: one allocate+free pair through LWJGL's default allocator (the C library's, unless
 * lwjgl-jemalloc/-mimalloc/-rpmalloc are on the class path), by {@code nmemAlloc}/{@code nmemFree} and by
 * a native caller on {@code getMalloc()}/{@code getFree()}. Compare with
 * {@link LwjglHostallocAllocatorBenchmark} in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED" })
public class LwjglDefaultAllocatorBenchmark
{
    /** Bytes per block. */
    @Param({ "64" })
    public long size;

    private MethodHandle nativeMalloc;
    private MethodHandle nativeFree;

    /** Makes the downcall handles on LWJGL's allocator's function pointers. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final MemoryUtil.MemoryAllocator allocator = MemoryUtil.getAllocator();
        if (allocator.getClass().getName().startsWith("dev.hostalloc"))
        {
            throw new IllegalStateException("this fork must run on LWJGL's default allocator: " + allocator);
        }
        nativeMalloc = downcall(allocator.getMalloc(), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        nativeFree = downcall(allocator.getFree(), FunctionDescriptor.ofVoid(JAVA_LONG));
    }

    /**
     * {@code nmemAlloc} + {@code nmemFree}: what {@code memAlloc}/{@code memFree} cost without the
     * {@code ByteBuffer}.
     *
     * @return the address, so the pair is not eliminated.
     */
    @Benchmark
    public long memAllocFree()
    {
        final long p = MemoryUtil.nmemAlloc(size);
        MemoryUtil.nmemFree(p);
        return p;
    }

    /**
     * A native caller on the allocator's {@code malloc}/{@code free} function pointers.
     *
     * @return the address.
     * @throws Throwable never in practice.
     */
    @Benchmark
    public long nativeMallocFree() throws Throwable
    {
        final long p = (long)nativeMalloc.invokeExact(size);
        nativeFree.invokeExact(p);
        return p;
    }

    static MethodHandle downcall(final long function, final FunctionDescriptor descriptor)
    {
        return Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(function), descriptor);
    }
}
