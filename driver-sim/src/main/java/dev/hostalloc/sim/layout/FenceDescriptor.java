package dev.hostalloc.sim.layout;

/**
 * A fence: one OBJECT-scope block.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = device)               |  0
 *  +---------------------------------------------------------------+
 *  |                 Signaled (0 or 1)                             | 24
 *  +---------------------------------------------------------------+
 *  |                 Padding                                       | 28
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class FenceDescriptor
{
    /** Offset of the int signaled flag. */
    public static final int SIGNALED_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Length of the block. */
    public static final int LENGTH = SIGNALED_OFFSET + 2 * Integer.BYTES;

    private FenceDescriptor()
    {
    }
}
