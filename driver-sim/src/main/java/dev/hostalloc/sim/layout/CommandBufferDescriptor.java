package dev.hostalloc.sim.layout;

/**
 * A command buffer: one OBJECT-scope block from its pool's callbacks. Commands go into a chain of
 * {@link CommandChunkDescriptor chunks}; a reset keeps the chain and rewinds it, so re-recording
 * the same frame allocates nothing.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = pool)                 |  0
 *  +---------------------------------------------------------------+
 *  |                 Next Buffer in Pool                           | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Previous Buffer in Pool                       | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 First Chunk                                   | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Current Chunk (0 before the first command)    | 48
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Bound Pipeline                                | 56
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 State (INITIAL, RECORDING, EXECUTABLE, INVALID)| 64
 *  +---------------------------------------------------------------+
 *  |                 Recording Error (a result code, 0 = none)     | 68
 *  +---------------------------------------------------------------+
 *  |                 Command Count                                 | 72
 *  +---------------------------------------------------------------+
 *  |                 Padding                                       | 76
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class CommandBufferDescriptor
{
    /** Offset of the long next buffer. */
    public static final int NEXT_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the long previous buffer. */
    public static final int PREVIOUS_OFFSET = NEXT_OFFSET + Long.BYTES;

    /** Offset of the long first chunk of the chain. */
    public static final int FIRST_CHUNK_OFFSET = PREVIOUS_OFFSET + Long.BYTES;

    /** Offset of the long chunk being written. */
    public static final int CURRENT_CHUNK_OFFSET = FIRST_CHUNK_OFFSET + Long.BYTES;

    /** Offset of the long pipeline bound during recording. */
    public static final int BOUND_PIPELINE_OFFSET = CURRENT_CHUNK_OFFSET + Long.BYTES;

    /** Offset of the int lifecycle state. */
    public static final int STATE_OFFSET = BOUND_PIPELINE_OFFSET + Long.BYTES;

    /** Offset of the int first recording error. */
    public static final int ERROR_OFFSET = STATE_OFFSET + Integer.BYTES;

    /** Offset of the int number of commands recorded. */
    public static final int COMMAND_COUNT_OFFSET = ERROR_OFFSET + Integer.BYTES;

    /** Length of the block. */
    public static final int LENGTH = COMMAND_COUNT_OFFSET + 2 * Integer.BYTES;

    /** State: allocated or reset, not recording. */
    public static final int STATE_INITIAL = 0;

    /** State: between begin and end. */
    public static final int STATE_RECORDING = 1;

    /** State: ended successfully, may be submitted. */
    public static final int STATE_EXECUTABLE = 2;

    /** State: recording failed (out of host memory); must be reset or re-begun. */
    public static final int STATE_INVALID = 3;

    private CommandBufferDescriptor()
    {
    }
}
