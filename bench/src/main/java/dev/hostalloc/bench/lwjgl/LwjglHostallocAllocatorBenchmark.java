package dev.hostalloc.bench.lwjgl;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hostalloc.lwjgl.HostallocMemoryAllocator;
import dev.hostalloc.stack.Allocators;
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
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

/**
 * The same allocate+free pair as {@link LwjglDefaultAllocatorBenchmark} in a JVM whose LWJGL allocates through
 * hostalloc ({@code -Dorg.lwjgl.system.allocator=dev.hostalloc.lwjgl.HostallocMemoryAllocator
 * -Dhostalloc.callbacks=system}): {@code nmemAlloc}/{@code nmemFree} through the SPI, a native caller on the
 * upcall stubs, and an allocator on {@code accounting,system} called as {@code MemoryUtil} calls its allocator.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dorg.lwjgl.system.allocator=dev.hostalloc.lwjgl.HostallocMemoryAllocator",
    "-Dhostalloc.callbacks=system" })
public class LwjglHostallocAllocatorBenchmark
{
    /** Bytes per block. */
    @Param({ "64" })
    public long size;

    private MethodHandle nativeMalloc;
    private MethodHandle nativeFree;
    private MemoryUtil.MemoryAllocator accounting;

    /** Checks LWJGL uses hostalloc and makes the downcall handles on its upcall stubs. */
    @Setup(Level.Trial)
    public void setUp()
    {
        final HostallocMemoryAllocator allocator = HostallocMemoryAllocator.current().orElseThrow(() ->
            new IllegalStateException("this fork must run LWJGL on HostallocMemoryAllocator: " + MemoryUtil.getAllocator()));
        nativeMalloc = LwjglDefaultAllocatorBenchmark.downcall(allocator.getMalloc(), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        nativeFree = LwjglDefaultAllocatorBenchmark.downcall(allocator.getFree(), FunctionDescriptor.ofVoid(JAVA_LONG));
        accounting = new HostallocMemoryAllocator(Allocators.fromSpec("accounting,system"));
    }

    /**
     * {@code nmemAlloc} + {@code nmemFree} through {@code HostallocMemoryAllocator} on {@code system}.
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
     * A native caller on the upcall stubs ({@code getMalloc()}/{@code getFree()}), stack {@code system}.
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

    /**
     * {@code malloc} + {@code free} on an allocator over {@code accounting,system}, called through the
     * {@code MemoryAllocator} interface as {@code MemoryUtil} calls it.
     *
     * @return the address.
     */
    @Benchmark
    public long accountingMallocFree()
    {
        final MemoryUtil.MemoryAllocator a = accounting;
        final long p = a.malloc(size);
        a.free(p);
        return p;
    }
}
