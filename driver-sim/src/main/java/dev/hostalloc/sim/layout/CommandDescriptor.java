package dev.hostalloc.sim.layout;

/**
 * One recorded command inside a {@link CommandChunkDescriptor chunk}: an opcode, the command's
 * length (a multiple of 8), then the operands.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Opcode                                        |  0
 *  +---------------------------------------------------------------+
 *  |                 Length in bytes (header included, 8-aligned)  |  4
 *  +---------------------------------------------------------------+
 *  |                 Operand 0 (long)                              |  8
 *  +---------------------------------------------------------------+
 *  |                 ...                                           |
 *
 *  FILL_BUFFER:        buffer, offset, size, data (int)
 *  COPY_BUFFER:        src, dst, srcOffset, dstOffset, size
 *  UPDATE_BUFFER:      buffer, offset, size, then size bytes of data
 *  CLEAR_COLOR_IMAGE:  image, color (int)
 *  BIND_PIPELINE:      pipeline
 *  BIND_DESCRIPTOR_SET: set
 *  DRAW:               vertexCount, instanceCount, firstVertex, firstInstance (ints, operands 0-1)
 * </pre>
 */
public final class CommandDescriptor
{
    /** Offset of the int opcode. */
    public static final int OPCODE_OFFSET = 0;

    /** Offset of the int command length. */
    public static final int LENGTH_OFFSET = OPCODE_OFFSET + Integer.BYTES;

    /** Length of the command header; operands start here. */
    public static final int HEADER_LENGTH = LENGTH_OFFSET + Integer.BYTES;

    /** Operands are 8-byte slots. */
    public static final int OPERAND_LENGTH = Long.BYTES;

    /** Commands start at multiples of this. */
    public static final int ALIGNMENT = 8;

    /** Opcode of cmdFillBuffer. */
    public static final int FILL_BUFFER = 1;

    /** Opcode of cmdCopyBuffer. */
    public static final int COPY_BUFFER = 2;

    /** Opcode of cmdUpdateBuffer. */
    public static final int UPDATE_BUFFER = 3;

    /** Opcode of cmdClearColorImage. */
    public static final int CLEAR_COLOR_IMAGE = 4;

    /** Opcode of cmdBindPipeline. */
    public static final int BIND_PIPELINE = 5;

    /** Opcode of cmdBindDescriptorSet. */
    public static final int BIND_DESCRIPTOR_SET = 6;

    /** Opcode of cmdDraw. */
    public static final int DRAW = 7;

    private CommandDescriptor()
    {
    }

    /**
     * Offset of operand {@code index}.
     *
     * @param index the operand number.
     * @return its offset from the command's start.
     */
    public static int operandOffset(final int index)
    {
        return HEADER_LENGTH + index * OPERAND_LENGTH;
    }

    /**
     * Length of a command with {@code operands} operand slots and {@code inlineBytes} of data.
     *
     * @param operands    operand slots.
     * @param inlineBytes bytes of data after the operands.
     * @return the length rounded up to {@link #ALIGNMENT}.
     */
    public static int length(final int operands, final int inlineBytes)
    {
        return (HEADER_LENGTH + operands * OPERAND_LENGTH + inlineBytes + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
