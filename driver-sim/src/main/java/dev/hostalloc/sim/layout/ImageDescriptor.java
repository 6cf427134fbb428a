package dev.hostalloc.sim.layout;

/**
 * A linear 2D image: object block and texel storage, both OBJECT scope from the image's callbacks.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = device)               |  0
 *  +---------------------------------------------------------------+
 *  |                 VkFormat                                      | 24
 *  +---------------------------------------------------------------+
 *  |                 Width                                         | 28
 *  +---------------------------------------------------------------+
 *  |                 Height                                        | 32
 *  +---------------------------------------------------------------+
 *  |                 Texel Size in bytes                           | 36
 *  +---------------------------------------------------------------+
 *  |                 Memory Address (OBJECT scope)                 | 40
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Memory Size in bytes                          | 48
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class ImageDescriptor
{
    /** Offset of the int VkFormat. */
    public static final int FORMAT_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the int width. */
    public static final int WIDTH_OFFSET = FORMAT_OFFSET + Integer.BYTES;

    /** Offset of the int height. */
    public static final int HEIGHT_OFFSET = WIDTH_OFFSET + Integer.BYTES;

    /** Offset of the int texel size. */
    public static final int TEXEL_SIZE_OFFSET = HEIGHT_OFFSET + Integer.BYTES;

    /** Offset of the long texel memory address. */
    public static final int MEMORY_OFFSET = TEXEL_SIZE_OFFSET + Integer.BYTES;

    /** Offset of the long texel memory size. */
    public static final int MEMORY_SIZE_OFFSET = MEMORY_OFFSET + Long.BYTES;

    /** Length of the block. */
    public static final int LENGTH = MEMORY_SIZE_OFFSET + Long.BYTES;

    /** Alignment of the texel memory. */
    public static final long MEMORY_ALIGNMENT = 64;

    private ImageDescriptor()
    {
    }
}
