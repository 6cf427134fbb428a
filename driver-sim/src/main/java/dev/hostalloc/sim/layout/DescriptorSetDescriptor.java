package dev.hostalloc.sim.layout;

/**
 * A descriptor set: one OBJECT-scope block from its pool's callbacks, with its bindings inline.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = pool)                 |  0
 *  +---------------------------------------------------------------+
 *  |                 Next Set in Pool                              | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Previous Set in Pool                          | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Binding Count                                 | 40
 *  +---------------------------------------------------------------+
 *  |                 Padding                                       | 44
 *  +---------------------------------------------------------------+
 *  |  Binding 0: { long buffer, long offset, long range }          | 48
 *  |  ...  BINDING_LENGTH bytes each                               |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class DescriptorSetDescriptor
{
    /** Offset of the long next set. */
    public static final int NEXT_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the long previous set. */
    public static final int PREVIOUS_OFFSET = NEXT_OFFSET + Long.BYTES;

    /** Offset of the int binding count. */
    public static final int BINDING_COUNT_OFFSET = PREVIOUS_OFFSET + Long.BYTES;

    /** Offset of the first binding. */
    public static final int BINDINGS_OFFSET = BINDING_COUNT_OFFSET + 2 * Integer.BYTES;

    /** Offset of the long buffer handle within a binding. */
    public static final int BINDING_BUFFER_OFFSET = 0;

    /** Offset of the long offset within a binding. */
    public static final int BINDING_OFFSET_OFFSET = Long.BYTES;

    /** Offset of the long range within a binding. */
    public static final int BINDING_RANGE_OFFSET = 2 * Long.BYTES;

    /** Length of one binding. */
    public static final int BINDING_LENGTH = 3 * Long.BYTES;

    private DescriptorSetDescriptor()
    {
    }

    /**
     * Length of a set with {@code bindingCount} bindings.
     *
     * @param bindingCount the number of bindings.
     * @return the block length.
     */
    public static int length(final int bindingCount)
    {
        return BINDINGS_OFFSET + bindingCount * BINDING_LENGTH;
    }

    /**
     * Offset of binding {@code index}.
     *
     * @param index the binding number.
     * @return its offset from the set's address.
     */
    public static int bindingOffset(final int index)
    {
        return BINDINGS_OFFSET + index * BINDING_LENGTH;
    }
}
