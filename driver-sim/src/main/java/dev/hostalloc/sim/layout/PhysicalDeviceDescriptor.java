package dev.hostalloc.sim.layout;

/**
 * The one physical device of an instance: INSTANCE scope, made by createInstance from the
 * instance's callbacks and freed by destroyInstance.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = instance)             |  0
 *  +---------------------------------------------------------------+
 *  |                 Vendor Id                                     | 24
 *  +---------------------------------------------------------------+
 *  |                 Device Id                                     | 28
 *  +---------------------------------------------------------------+
 *  |                 Host-visible Heap Size                        | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Device Name (NUL-padded ASCII)               ...| 40
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class PhysicalDeviceDescriptor
{
    /** Offset of the int vendor id. */
    public static final int VENDOR_ID_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the int device id. */
    public static final int DEVICE_ID_OFFSET = VENDOR_ID_OFFSET + Integer.BYTES;

    /** Offset of the long size of the host-visible heap. */
    public static final int HEAP_SIZE_OFFSET = DEVICE_ID_OFFSET + Integer.BYTES;

    /** Offset of the device name bytes. */
    public static final int NAME_OFFSET = HEAP_SIZE_OFFSET + Long.BYTES;

    /** Bytes reserved for the name, NUL-padded. */
    public static final int NAME_LENGTH = 32;

    /** Length of the block. */
    public static final int LENGTH = NAME_OFFSET + NAME_LENGTH;

    private PhysicalDeviceDescriptor()
    {
    }
}
