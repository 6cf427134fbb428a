package dev.hostalloc.sim.layout;

/**
 * The device's one queue: DEVICE scope, made with the device and freed with it.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = device)               |  0
 *  +---------------------------------------------------------------+
 *  |                 Submit Count                                  | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Commands Executed                             | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Draw Count                                    | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Vertices Drawn (vertexCount x instanceCount)  | 48
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class QueueDescriptor
{
    /** Offset of the long number of command buffers submitted. */
    public static final int SUBMIT_COUNT_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the long number of commands executed. */
    public static final int COMMANDS_EXECUTED_OFFSET = SUBMIT_COUNT_OFFSET + Long.BYTES;

    /** Offset of the long number of draws executed. */
    public static final int DRAW_COUNT_OFFSET = COMMANDS_EXECUTED_OFFSET + Long.BYTES;

    /** Offset of the long number of vertices drawn. */
    public static final int VERTICES_DRAWN_OFFSET = DRAW_COUNT_OFFSET + Long.BYTES;

    /** Length of the block. */
    public static final int LENGTH = VERTICES_DRAWN_OFFSET + Long.BYTES;

    private QueueDescriptor()
    {
    }
}
