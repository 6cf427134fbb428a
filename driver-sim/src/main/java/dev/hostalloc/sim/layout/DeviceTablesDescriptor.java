package dev.hostalloc.sim.layout;

/**
 * The tables every object of a device consults (formats and limits), allocated once per device
 * with DEVICE scope at createDevice and freed at destroyDevice, like Faust's
 * {@code classInit}/{@code classDestroy} for class-shared tables.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Max Buffer Size                               |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Max Image Dimension                           |  8
 *  +---------------------------------------------------------------+
 *  |                 Max Update Buffer Size                        | 12
 *  +---------------------------------------------------------------+
 *  |                 Max Descriptor Set Bindings                   | 16
 *  +---------------------------------------------------------------+
 *  |                 Format Count                                  | 20
 *  +---------------------------------------------------------------+
 *  |  Format Entry 0: { int VkFormat, int texel size in bytes }    | 24
 *  |  ...  FORMAT_ENTRY_LENGTH bytes each                          |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class DeviceTablesDescriptor
{
    /** Offset of the long largest buffer size. */
    public static final int MAX_BUFFER_SIZE_OFFSET = 0;

    /** Offset of the int largest image width or height. */
    public static final int MAX_IMAGE_DIMENSION_OFFSET = MAX_BUFFER_SIZE_OFFSET + Long.BYTES;

    /** Offset of the int largest size of one cmdUpdateBuffer. */
    public static final int MAX_UPDATE_BUFFER_SIZE_OFFSET = MAX_IMAGE_DIMENSION_OFFSET + Integer.BYTES;

    /** Offset of the int largest binding count of a descriptor set. */
    public static final int MAX_DESCRIPTOR_SET_BINDINGS_OFFSET = MAX_UPDATE_BUFFER_SIZE_OFFSET + Integer.BYTES;

    /** Offset of the int number of format entries. */
    public static final int FORMAT_COUNT_OFFSET = MAX_DESCRIPTOR_SET_BINDINGS_OFFSET + Integer.BYTES;

    /** Offset of the first format entry. */
    public static final int FORMATS_OFFSET = FORMAT_COUNT_OFFSET + Integer.BYTES;

    /** Offset of the int VkFormat value within an entry. */
    public static final int FORMAT_ENTRY_FORMAT_OFFSET = 0;

    /** Offset of the int texel size within an entry. */
    public static final int FORMAT_ENTRY_TEXEL_SIZE_OFFSET = Integer.BYTES;

    /** Length of one format entry. */
    public static final int FORMAT_ENTRY_LENGTH = 2 * Integer.BYTES;

    private DeviceTablesDescriptor()
    {
    }

    /**
     * Length of the tables block for {@code formatCount} formats.
     *
     * @param formatCount the number of format entries.
     * @return the block length in bytes.
     */
    public static int length(final int formatCount)
    {
        return FORMATS_OFFSET + formatCount * FORMAT_ENTRY_LENGTH;
    }

    /**
     * Offset of format entry {@code index}.
     *
     * @param index the entry index.
     * @return its offset from the tables' address.
     */
    public static int formatEntryOffset(final int index)
    {
        return FORMATS_OFFSET + index * FORMAT_ENTRY_LENGTH;
    }
}
