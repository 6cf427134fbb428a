package dev.hostalloc.sim.layout;

/**
 * A chunk of recorded commands: an OBJECT-scope block from the command pool's callbacks, linked
 * into its command buffer's chain. Commands ({@link CommandDescriptor}) follow the header.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Next Chunk                                    |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Capacity in bytes (whole block)               |  8
 *  +---------------------------------------------------------------+
 *  |                 Used bytes (from the block start)             | 12
 *  +---------------------------------------------------------------+
 *  |                 commands ...                                  | 16
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class CommandChunkDescriptor
{
    /** Offset of the long next chunk. */
    public static final int NEXT_OFFSET = 0;

    /** Offset of the int block length. */
    public static final int CAPACITY_OFFSET = NEXT_OFFSET + Long.BYTES;

    /** Offset of the int used length (header included). */
    public static final int USED_OFFSET = CAPACITY_OFFSET + Integer.BYTES;

    /** Length of the chunk header; the first command starts here. */
    public static final int HEADER_LENGTH = USED_OFFSET + Integer.BYTES;

    /** Length of a chunk unless one command needs more. */
    public static final int DEFAULT_LENGTH = 4096;

    /** Alignment of chunks: commands hold longs. */
    public static final long ALIGNMENT = 8;

    private CommandChunkDescriptor()
    {
    }
}
