package dev.hostalloc.sim.layout;

/**
 * The header every driver-sim object block starts with. It records what the object is and which
 * callbacks made its memory, so destroy can free with the right callbacks and check the
 * {@code pAllocator} given there against the one given at create.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Type Tag (0 once destroyed)                   |  0
 *  +---------------------------------------------------------------+
 *  |     Callbacks Id: who made this block (most-specific rule)    |  4
 *  +---------------------------------------------------------------+
 *  |     Given Callbacks Id: pAllocator at create (0 = none)       |  8
 *  +---------------------------------------------------------------+
 *  |                 Block Length in bytes                         | 12
 *  +---------------------------------------------------------------+
 *  |                 Parent Handle (instance, device or pool)      | 16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 object fields ...                             | 24
 * </pre>
 */
public final class ObjectHeaderDescriptor
{
    /** Offset of the int type tag ({@code ObjectType.tag()}); 0 after destroy. */
    public static final int TYPE_TAG_OFFSET = 0;

    /** Offset of the int id of the callbacks that allocated this block. */
    public static final int CALLBACKS_ID_OFFSET = 4;

    /** Offset of the int id of the callbacks given as {@code pAllocator} at create, or 0 for none. */
    public static final int GIVEN_CALLBACKS_ID_OFFSET = 8;

    /** Offset of the int length of this block in bytes, as requested from the callbacks. */
    public static final int BLOCK_LENGTH_OFFSET = 12;

    /** Offset of the long parent handle. */
    public static final int PARENT_OFFSET = 16;

    /** Length of the header; object fields start here. */
    public static final int HEADER_LENGTH = 24;

    /** Alignment requested for every object block: the largest field is a long. */
    public static final long OBJECT_ALIGNMENT = 8;

    private ObjectHeaderDescriptor()
    {
    }
}
