package dev.hostalloc.sim.layout;

/**
 * A buffer with host-visible memory: the object block and its storage are two OBJECT-scope blocks
 * from the buffer's callbacks (lavapipe also makes two per buffer).
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = device)               |  0
 *  +---------------------------------------------------------------+
 *  |                 Size in bytes                                 | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Memory Address (OBJECT scope, host visible)   | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class BufferDescriptor
{
    /** Offset of the long buffer size. */
    public static final int SIZE_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the long address of the buffer's memory. */
    public static final int MEMORY_OFFSET = SIZE_OFFSET + Long.BYTES;

    /** Length of the block. */
    public static final int LENGTH = MEMORY_OFFSET + Long.BYTES;

    /** Alignment of the buffer's memory, as Vulkan's {@code minMemoryMapAlignment}. */
    public static final long MEMORY_ALIGNMENT = 64;

    private BufferDescriptor()
    {
    }
}
