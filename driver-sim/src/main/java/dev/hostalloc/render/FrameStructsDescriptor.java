package dev.hostalloc.render;

import org.lwjgl.vulkan.VkClearValue;
import org.lwjgl.vulkan.VkCommandBufferBeginInfo;
import org.lwjgl.vulkan.VkRenderPassBeginInfo;
import org.lwjgl.vulkan.VkSubmitInfo;

/**
 * The layout of the renderer's one long-lived block of its own: the structs every frame passes to
 * Vulkan, filled once at setup and reused, so a frame allocates nothing. The block comes from the
 * hostalloc stack (account {@code app}), each struct wrapped in place with {@code Struct.create(address)}.
 *
 * <pre>
 *   0                      +----------------------------------+
 *                          | VkCommandBufferBeginInfo         |
 *   RENDER_PASS_BEGIN      +----------------------------------+
 *                          | VkRenderPassBeginInfo            |
 *   CLEAR_VALUE            +----------------------------------+
 *                          | VkClearValue (colour)            |
 *   SUBMIT_INFO            +----------------------------------+
 *                          | VkSubmitInfo                     |
 *   COMMAND_BUFFER_HANDLE  +----------------------------------+
 *                          | VkCommandBuffer (pCommandBuffers) |  8 bytes
 *   VERTEX_BUFFER_HANDLE   +----------------------------------+
 *                          | VkBuffer                         |  8 bytes
 *   VERTEX_BUFFER_OFFSET   +----------------------------------+
 *                          | VkDeviceSize                     |  8 bytes
 *   DESCRIPTOR_SET_HANDLE  +----------------------------------+
 *                          | VkDescriptorSet                  |  8 bytes
 *   FENCE_HANDLE           +----------------------------------+
 *                          | VkFence (pFences)                |  8 bytes
 *   LENGTH                 +----------------------------------+
 * </pre>
 */
public final class FrameStructsDescriptor
{
    /** Alignment of the block and of every field. */
    public static final int ALIGNMENT = Long.BYTES;
    /** Offset of the {@code VkCommandBufferBeginInfo}. */
    public static final int BEGIN_INFO = 0;
    /** Offset of the {@code VkRenderPassBeginInfo}. */
    public static final int RENDER_PASS_BEGIN = align(BEGIN_INFO + VkCommandBufferBeginInfo.SIZEOF);
    /** Offset of the {@code VkClearValue}. */
    public static final int CLEAR_VALUE = align(RENDER_PASS_BEGIN + VkRenderPassBeginInfo.SIZEOF);
    /** Offset of the {@code VkSubmitInfo}. */
    public static final int SUBMIT_INFO = align(CLEAR_VALUE + VkClearValue.SIZEOF);
    /** Offset of the command buffer handle the submit info points at. */
    public static final int COMMAND_BUFFER_HANDLE = align(SUBMIT_INFO + VkSubmitInfo.SIZEOF);
    /** Offset of the vertex buffer handle. */
    public static final int VERTEX_BUFFER_HANDLE = COMMAND_BUFFER_HANDLE + Long.BYTES;
    /** Offset of the vertex buffer offset (0). */
    public static final int VERTEX_BUFFER_OFFSET = VERTEX_BUFFER_HANDLE + Long.BYTES;
    /** Offset of the descriptor set handle. */
    public static final int DESCRIPTOR_SET_HANDLE = VERTEX_BUFFER_OFFSET + Long.BYTES;
    /** Offset of the fence handle ({@code pFences} of reset and wait: LWJGL's single-handle overloads
     *  build a buffer wrapper per call). */
    public static final int FENCE_HANDLE = DESCRIPTOR_SET_HANDLE + Long.BYTES;
    /** Bytes in the block. */
    public static final int LENGTH = FENCE_HANDLE + Long.BYTES;

    private FrameStructsDescriptor()
    {
    }

    /**
     * Rounds an offset up to {@link #ALIGNMENT}.
     *
     * @param offset bytes.
     * @return the aligned offset.
     */
    public static int align(final int offset)
    {
        return (offset + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
