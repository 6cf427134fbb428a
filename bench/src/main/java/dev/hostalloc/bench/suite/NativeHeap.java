package dev.hostalloc.bench.suite;

import dev.hostalloc.api.DirectAllocation;

import static org.lwjgl.system.jemalloc.JEmalloc.nje_aligned_alloc;
import static org.lwjgl.system.jemalloc.JEmalloc.nje_free;
import static org.lwjgl.system.jemalloc.JEmalloc.nje_malloc;
import static org.lwjgl.system.libc.LibCStdlib.naligned_alloc;
import static org.lwjgl.system.libc.LibCStdlib.nfree;
import static org.lwjgl.system.libc.LibCStdlib.nmalloc;
import static org.lwjgl.system.mimalloc.mimalloc.nmi_free;
import static org.lwjgl.system.mimalloc.mimalloc.nmi_malloc;
import static org.lwjgl.system.mimalloc.mimalloc.nmi_malloc_aligned;

/**
 * A native allocator called the way a C program would: plain {@code malloc} when the alignment is at
 * most {@value #MALLOC_ALIGNMENT} (what every x86-64 malloc guarantees), the allocator's aligned entry
 * point above that. Each is a small final class, so a benchmark fork that uses one sees one receiver type.
 */
@DirectAllocation(reason = "the suite's baselines are the native allocators themselves, called directly")
public abstract sealed class NativeHeap permits NativeHeap.Glibc, NativeHeap.Jemalloc, NativeHeap.Mimalloc
{
    /** Name of glibc's malloc in the suite. */
    public static final String GLIBC = "glibc";

    /** Name of jemalloc (LWJGL's bundled build) in the suite. */
    public static final String JEMALLOC = "jemalloc";

    /** Name of mimalloc (LWJGL's bundled build) in the suite. */
    public static final String MIMALLOC = "mimalloc";

    /** The largest alignment plain {@code malloc} guarantees on x86-64 Linux. */
    public static final long MALLOC_ALIGNMENT = 16;

    /**
     * The allocator of that name.
     *
     * @param name {@value #GLIBC}, {@value #JEMALLOC} or {@value #MIMALLOC}.
     * @return the allocator; its native library is loaded on first use.
     * @throws IllegalArgumentException for any other name.
     */
    public static NativeHeap of(final String name)
    {
        return switch (name)
        {
            case GLIBC -> new Glibc();
            case JEMALLOC -> new Jemalloc();
            case MIMALLOC -> new Mimalloc();
            default -> throw new IllegalArgumentException(
                "unknown native allocator '" + name + "'; valid: " + GLIBC + ", " + JEMALLOC + ", " + MIMALLOC);
        };
    }

    /**
     * Allocates.
     *
     * @param size      bytes.
     * @param alignment a power of two.
     * @return the address, or 0 when out of memory.
     */
    public abstract long allocate(long size, long alignment);

    /**
     * Frees what {@link #allocate} returned (0 is ignored).
     *
     * @param address the block.
     */
    public abstract void free(long address);

    /** glibc through LWJGL's {@code LibCStdlib}. */
    static final class Glibc extends NativeHeap
    {
        @Override
        public long allocate(final long size, final long alignment)
        {
            return alignment <= MALLOC_ALIGNMENT ? nmalloc(size) : naligned_alloc(alignment, size);
        }

        @Override
        public void free(final long address)
        {
            nfree(address);
        }
    }

    /** jemalloc through LWJGL's {@code JEmalloc}. */
    static final class Jemalloc extends NativeHeap
    {
        @Override
        public long allocate(final long size, final long alignment)
        {
            return alignment <= MALLOC_ALIGNMENT ? nje_malloc(size) : nje_aligned_alloc(alignment, size);
        }

        @Override
        public void free(final long address)
        {
            nje_free(address);
        }
    }

    /** mimalloc through LWJGL's {@code mimalloc}. */
    static final class Mimalloc extends NativeHeap
    {
        @Override
        public long allocate(final long size, final long alignment)
        {
            return alignment <= MALLOC_ALIGNMENT ? nmi_malloc(size) : nmi_malloc_aligned(size, alignment);
        }

        @Override
        public void free(final long address)
        {
            nmi_free(address);
        }
    }
}
