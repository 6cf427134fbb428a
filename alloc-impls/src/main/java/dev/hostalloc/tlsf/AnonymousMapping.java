package dev.hostalloc.tlsf;

import dev.hostalloc.api.DirectAllocation;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.linux.MMAN;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.IntBuffer;

import static org.lwjgl.system.MemoryUtil.memAddress;
import static org.lwjgl.system.MemoryUtil.memPutByte;

/**
 * Private anonymous memory mappings ({@code mmap}/{@code munmap} through LWJGL's Linux bindings,
 * {@code madvise} through {@code java.lang.foreign}): the arena of a {@link TlsfAllocator} made
 * from a spec string, which has no parent allocator to take it from.
 *
 * <p>For a real-time arena the mapping is prepared up front: arenas of at least
 * {@link #HUGE_PAGE_SIZE} are aligned to it and advised {@code MADV_HUGEPAGE} (transparent huge
 * pages, when the kernel offers them: fewer TLB misses on a pool's scattered headers), then every
 * page is touched, so the first use on a real-time thread neither page-faults nor waits for the
 * kernel to find memory. When the advice is refused the arena simply uses normal pages.
 */
@DirectAllocation(reason = "a TLSF arena made from a spec string is the base of its stack: it takes its memory from the kernel once, at creation")
final class AnonymousMapping
{
    /** The transparent huge page size on x86-64 and most arm64 kernels. */
    static final long HUGE_PAGE_SIZE = 2L << 20;

    private static final long PAGE_SIZE = 4096;
    private static final int MADV_HUGEPAGE = 14;
    private static final long MAP_FAILED = -1L;
    private static final int NO_FILE = -1;
    private static final long NO_OFFSET = 0L;
    private static final long ANY_ADDRESS = 0L;
    private static final MethodHandle MADVISE = madvise();

    private final long mappingAddress;
    private final long mappingLength;
    private final long address;
    private final boolean hugePagesAdvised;

    private AnonymousMapping(
        final long mappingAddress, final long mappingLength, final long address, final boolean hugePagesAdvised)
    {
        this.mappingAddress = mappingAddress;
        this.mappingLength = mappingLength;
        this.address = address;
        this.hugePagesAdvised = hugePagesAdvised;
    }

    /**
     * Maps at least {@code length} bytes of zeroed, readable and writable memory, with every page
     * already faulted in.
     *
     * @param length bytes, positive.
     * @return the mapping.
     * @throws IllegalStateException naming errno when the kernel refuses.
     */
    static AnonymousMapping map(final long length)
    {
        final boolean huge = length >= HUGE_PAGE_SIZE && null != MADVISE;
        final long mappingLength = huge ? length + HUGE_PAGE_SIZE : length;
        final long mappingAddress = mmap(mappingLength);
        final long address = huge ? (mappingAddress + HUGE_PAGE_SIZE - 1) & -HUGE_PAGE_SIZE : mappingAddress;
        final boolean advised = huge && advise(address, length & -HUGE_PAGE_SIZE);
        for (long offset = 0; offset < length; offset += PAGE_SIZE)
        {
            memPutByte(address + offset, (byte)0); // fault every page in now, not on a real-time thread
        }
        return new AnonymousMapping(mappingAddress, mappingLength, address, advised);
    }

    /** The usable start, page aligned (huge-page aligned for large arenas). */
    long address()
    {
        return address;
    }

    /** Whether the kernel accepted {@code MADV_HUGEPAGE} for the arena. */
    boolean hugePagesAdvised()
    {
        return hugePagesAdvised;
    }

    /**
     * Unmaps the whole mapping.
     *
     * @throws IllegalStateException naming errno when the kernel refuses.
     */
    void unmap()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final IntBuffer errno = stack.mallocInt(1);
            if (MMAN.nmunmap(memAddress(errno), mappingAddress, mappingLength) != 0)
            {
                throw new IllegalStateException("munmap of the TLSF arena at 0x" + Long.toHexString(mappingAddress) +
                    " (" + mappingLength + " bytes) failed, errno " + errno.get(0));
            }
        }
    }

    private static long mmap(final long length)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final IntBuffer errno = stack.mallocInt(1);
            final long address = MMAN.nmmap(memAddress(errno), ANY_ADDRESS, length,
                MMAN.PROT_READ | MMAN.PROT_WRITE, MMAN.MAP_PRIVATE | MMAN.MAP_ANONYMOUS, NO_FILE, NO_OFFSET);
            if (address == MAP_FAILED || address == 0)
            {
                throw new IllegalStateException(
                    "mmap of " + length + " bytes for a TLSF arena failed, errno " + errno.get(0));
            }
            return address;
        }
    }

    private static boolean advise(final long address, final long length)
    {
        try
        {
            return (int)MADVISE.invokeExact(address, length, MADV_HUGEPAGE) == 0;
        }
        catch (final Throwable ex)
        {
            return false; // an advice: without it the arena works on normal pages
        }
    }

    private static MethodHandle madvise()
    {
        try
        {
            final Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find("madvise").map(symbol -> linker.downcallHandle(symbol,
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT))).orElse(null);
        }
        catch (final RuntimeException ex)
        {
            return null; // no madvise here (or native access denied): normal pages
        }
    }
}
