package dev.hostalloc.render;

/**
 * The Vulkan objects the renderer owns, in creation order. Teardown walks them in reverse, so a
 * child is always destroyed before its parent, whatever step a failed setup stopped at.
 */
public enum RenderObject
{
    /** {@code VkInstance}. */
    INSTANCE,
    /** {@code VkDebugUtilsMessengerEXT} (only with validation). */
    DEBUG_MESSENGER,
    /** {@code VkDevice}. */
    DEVICE,
    /** The offscreen colour {@code VkImage}. */
    COLOR_IMAGE,
    /** Its {@code VkDeviceMemory}. */
    COLOR_MEMORY,
    /** Its {@code VkImageView}. */
    COLOR_VIEW,
    /** {@code VkRenderPass}. */
    RENDER_PASS,
    /** {@code VkFramebuffer}. */
    FRAMEBUFFER,
    /** The vertex {@code VkShaderModule} (destroyed once the pipeline exists). */
    VERTEX_SHADER,
    /** The fragment {@code VkShaderModule} (destroyed once the pipeline exists). */
    FRAGMENT_SHADER,
    /** {@code VkDescriptorSetLayout}. */
    DESCRIPTOR_SET_LAYOUT,
    /** {@code VkPipelineLayout}. */
    PIPELINE_LAYOUT,
    /** The graphics {@code VkPipeline}. */
    PIPELINE,
    /** The vertex {@code VkBuffer}. */
    VERTEX_BUFFER,
    /** Its host-visible {@code VkDeviceMemory}. */
    VERTEX_MEMORY,
    /** The uniform {@code VkBuffer}. */
    UNIFORM_BUFFER,
    /** Its host-visible {@code VkDeviceMemory}, mapped for the renderer's life. */
    UNIFORM_MEMORY,
    /** The read-back {@code VkBuffer}. */
    READBACK_BUFFER,
    /** Its host-visible {@code VkDeviceMemory}, mapped for the renderer's life. */
    READBACK_MEMORY,
    /** {@code VkDescriptorPool}. */
    DESCRIPTOR_POOL,
    /** The {@code VkDescriptorSet} (freed with its pool). */
    DESCRIPTOR_SET,
    /** {@code VkCommandPool}. */
    COMMAND_POOL,
    /** The {@code VkCommandBuffer}. */
    COMMAND_BUFFER,
    /** The frame {@code VkFence}. */
    FENCE;

    /** How many kinds there are. */
    public static final int COUNT = values().length;
}
