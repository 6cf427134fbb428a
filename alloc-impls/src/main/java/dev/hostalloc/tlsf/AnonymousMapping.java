package dev.hostalloc.tlsf;

import dev.hostalloc.api.DirectAllocation;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.linux.MMAN;

import java.nio.IntBuffer;

import static org.lwjgl.system.MemoryUtil.memAddress;

/**
 * Private anonymous memory mappings ({@code mmap}/{@code munmap} through LWJGL's Linux bindings):
 * the arena of a {@link TlsfAllocator} made from a spec string, which has no parent allocator to
 * take it from. Pages are populated at mapping time ({@code MAP_POPULATE}) so the first touch on a
 * real-time thread does not page-fault into the kernel.
 */
@DirectAllocation(reason = "a TLSF arena made from a spec string is the base of its stack: it takes its memory from the kernel once, at creation")
final class AnonymousMapping
{
    private static final long MAP_FAILED = -1L;
    private static final int NO_FILE = -1;
    private static final long NO_OFFSET = 0L;
    private static final long ANY_ADDRESS = 0L;

    private AnonymousMapping()
    {
    }

    /**
     * Maps {@code length} bytes of zeroed, readable and writable memory.
     *
     * @param length   bytes, positive.
     * @param populate whether to fault every page in now.
     * @return the page-aligned address.
     * @throws IllegalStateException naming errno when the kernel refuses.
     */
    static long map(final long length, final boolean populate)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final IntBuffer errno = stack.mallocInt(1);
            final int flags = MMAN.MAP_PRIVATE | MMAN.MAP_ANONYMOUS | (populate ? MMAN.MAP_POPULATE : 0);
            final long address = MMAN.nmmap(
                memAddress(errno), ANY_ADDRESS, length, MMAN.PROT_READ | MMAN.PROT_WRITE, flags, NO_FILE, NO_OFFSET);
            if (address == MAP_FAILED || address == 0)
            {
                throw new IllegalStateException(
                    "mmap of " + length + " bytes for a TLSF arena failed, errno " + errno.get(0));
            }
            return address;
        }
    }

    /**
     * Unmaps a mapping made by {@link #map}.
     *
     * @param address the mapping's address.
     * @param length  its length.
     * @throws IllegalStateException naming errno when the kernel refuses.
     */
    static void unmap(final long address, final long length)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final IntBuffer errno = stack.mallocInt(1);
            if (MMAN.nmunmap(memAddress(errno), address, length) != 0)
            {
                throw new IllegalStateException("munmap of the TLSF arena at 0x" + Long.toHexString(address) + " (" +
                    length + " bytes) failed, errno " + errno.get(0));
            }
        }
    }
}
