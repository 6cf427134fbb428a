package dev.hostalloc.sim.layout;

/**
 * An instance: INSTANCE scope, from the instance's callbacks (or the driver's own).
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent 0)                      |  0
 *  +---------------------------------------------------------------+
 *  |                 Physical Device Handle                        | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Live Device Count                             | 32
 *  +---------------------------------------------------------------+
 *  |                 API Version                                   | 36
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class InstanceDescriptor
{
    /** Offset of the long physical device handle (an INSTANCE-scope block). */
    public static final int PHYSICAL_DEVICE_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the int count of devices not yet destroyed. */
    public static final int DEVICE_COUNT_OFFSET = PHYSICAL_DEVICE_OFFSET + Long.BYTES;

    /** Offset of the int API version the instance reports. */
    public static final int API_VERSION_OFFSET = DEVICE_COUNT_OFFSET + Integer.BYTES;

    /** Length of the block. */
    public static final int LENGTH = API_VERSION_OFFSET + Integer.BYTES;

    /** Bytes of the COMMAND-scope scratch createInstance uses to parse its enabled layers. */
    public static final int CREATE_SCRATCH_LENGTH = 256;

    private InstanceDescriptor()
    {
    }
}
