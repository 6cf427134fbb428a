package dev.hostalloc.sim.layout;

/**
 * A descriptor pool: one OBJECT-scope block; its sets are separate blocks from the pool's callbacks
 * (pooled objects use their pool's allocator), kept in a doubly linked list.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = device)               |  0
 *  +---------------------------------------------------------------+
 *  |                 Max Sets                                      | 24
 *  +---------------------------------------------------------------+
 *  |                 Live Sets                                     | 28
 *  +---------------------------------------------------------------+
 *  |                 Bindings Per Set                              | 32
 *  +---------------------------------------------------------------+
 *  |                 Padding                                       | 36
 *  +---------------------------------------------------------------+
 *  |                 First Set Handle                              | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class DescriptorPoolDescriptor
{
    /** Offset of the int most sets that may be live at once. */
    public static final int MAX_SETS_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the int number of live sets. */
    public static final int LIVE_SETS_OFFSET = MAX_SETS_OFFSET + Integer.BYTES;

    /** Offset of the int number of bindings of every set of this pool. */
    public static final int BINDINGS_PER_SET_OFFSET = LIVE_SETS_OFFSET + Integer.BYTES;

    /** Offset of the long first set of the live list. */
    public static final int FIRST_SET_OFFSET = BINDINGS_PER_SET_OFFSET + 2 * Integer.BYTES;

    /** Length of the block. */
    public static final int LENGTH = FIRST_SET_OFFSET + Long.BYTES;

    private DescriptorPoolDescriptor()
    {
    }
}
