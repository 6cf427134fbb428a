package dev.hostalloc.sim.layout;

/**
 * A command pool: one OBJECT-scope block; its command buffers and their command chunks are blocks
 * from the pool's callbacks, the buffers kept in a doubly linked list.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = device)               |  0
 *  +---------------------------------------------------------------+
 *  |                 First Command Buffer Handle                   | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Live Command Buffers                          | 32
 *  +---------------------------------------------------------------+
 *  |                 Padding                                       | 36
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class CommandPoolDescriptor
{
    /** Offset of the long first command buffer of the live list. */
    public static final int FIRST_BUFFER_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the int number of live command buffers. */
    public static final int BUFFER_COUNT_OFFSET = FIRST_BUFFER_OFFSET + Long.BYTES;

    /** Length of the block. */
    public static final int LENGTH = BUFFER_COUNT_OFFSET + 2 * Integer.BYTES;

    private CommandPoolDescriptor()
    {
    }
}
