package dev.hostalloc.sim.layout;

/**
 * A device: DEVICE scope, from the device's callbacks (most-specific rule: given, else the
 * instance's).
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = physical device)      |  0
 *  +---------------------------------------------------------------+
 *  |                 Instance Handle                               | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Shared Tables Address (DEVICE scope)          | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Queue Handle (DEVICE scope)                   | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Allocator Requirement Flags                   | 48
 *  +---------------------------------------------------------------+
 *  |                 Live Child Object Count                       | 52
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class DeviceDescriptor
{
    /** Offset of the long instance handle. */
    public static final int INSTANCE_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the long address of the shared per-device tables ({@link DeviceTablesDescriptor}). */
    public static final int TABLES_OFFSET = INSTANCE_OFFSET + Long.BYTES;

    /** Offset of the long queue handle. */
    public static final int QUEUE_OFFSET = TABLES_OFFSET + Long.BYTES;

    /** Offset of the int allocator requirement flags ({@code AllocatorRequirements.flags()}). */
    public static final int REQUIREMENT_FLAGS_OFFSET = QUEUE_OFFSET + Long.BYTES;

    /** Offset of the int count of child objects not yet destroyed. */
    public static final int CHILD_COUNT_OFFSET = REQUIREMENT_FLAGS_OFFSET + Integer.BYTES;

    /** Length of the block. */
    public static final int LENGTH = CHILD_COUNT_OFFSET + Integer.BYTES;

    private DeviceDescriptor()
    {
    }
}
