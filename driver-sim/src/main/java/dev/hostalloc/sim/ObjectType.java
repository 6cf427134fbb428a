package dev.hostalloc.sim;

/**
 * The kinds of driver-sim objects. Each has a tag stored in its block's header (so a handle of the
 * wrong kind is caught) and, when it has a {@code vkDestroy*} command, the spec's VUID pair for
 * allocator compatibility on destroy.
 */
public enum ObjectType
{
    /** {@code VkInstance}. */
    INSTANCE("vkDestroyInstance", "VUID-vkDestroyInstance-instance-00630", "VUID-vkDestroyInstance-instance-00631"),
    /** {@code VkPhysicalDevice}: made and freed with its instance. */
    PHYSICAL_DEVICE(null, null, null),
    /** {@code VkDevice}, including its shared tables. */
    DEVICE("vkDestroyDevice", "VUID-vkDestroyDevice-device-00379", "VUID-vkDestroyDevice-device-00380"),
    /** {@code VkQueue}: made and freed with its device. */
    QUEUE(null, null, null),
    /** {@code VkBuffer} with its host-visible memory. */
    BUFFER("vkDestroyBuffer", "VUID-vkDestroyBuffer-buffer-00923", "VUID-vkDestroyBuffer-buffer-00924"),
    /** {@code VkImage} with its texel memory. */
    IMAGE("vkDestroyImage", "VUID-vkDestroyImage-image-01001", "VUID-vkDestroyImage-image-01002"),
    /** {@code VkShaderModule}. */
    SHADER_MODULE("vkDestroyShaderModule",
        "VUID-vkDestroyShaderModule-shaderModule-01092", "VUID-vkDestroyShaderModule-shaderModule-01093"),
    /** {@code VkPipelineCache}. */
    PIPELINE_CACHE("vkDestroyPipelineCache",
        "VUID-vkDestroyPipelineCache-pipelineCache-00771", "VUID-vkDestroyPipelineCache-pipelineCache-00772"),
    /** {@code VkPipeline} (graphics). */
    PIPELINE("vkDestroyPipeline", "VUID-vkDestroyPipeline-pipeline-00766", "VUID-vkDestroyPipeline-pipeline-00767"),
    /** {@code VkDescriptorPool}. */
    DESCRIPTOR_POOL("vkDestroyDescriptorPool",
        "VUID-vkDestroyDescriptorPool-descriptorPool-00304", "VUID-vkDestroyDescriptorPool-descriptorPool-00305"),
    /** {@code VkDescriptorSet}: from its pool's callbacks. */
    DESCRIPTOR_SET(null, null, null),
    /** {@code VkCommandPool}. */
    COMMAND_POOL("vkDestroyCommandPool",
        "VUID-vkDestroyCommandPool-commandPool-00042", "VUID-vkDestroyCommandPool-commandPool-00043"),
    /** {@code VkCommandBuffer} and its command chunks: from its pool's callbacks. */
    COMMAND_BUFFER(null, null, null),
    /** {@code VkFence}. */
    FENCE("vkDestroyFence", "VUID-vkDestroyFence-fence-01121", "VUID-vkDestroyFence-fence-01122");

    /** Number of object types. */
    public static final int COUNT = 14;

    private static final int TAG_BASE = 0x53494D00; // "SIM\0": tags are unlikely values in freed memory

    private final String destroyCommand;
    private final String compatibleVuid;
    private final String nullVuid;
    private final String missingAtDestroyDetail;
    private final String differentAtDestroyDetail;
    private final String unexpectedAtDestroyDetail;

    ObjectType(final String destroyCommand, final String compatibleVuid, final String nullVuid)
    {
        this.destroyCommand = destroyCommand;
        this.compatibleVuid = compatibleVuid;
        this.nullVuid = nullVuid;
        final String pair = null == compatibleVuid ? null :
            " (VUID pair " + compatibleVuid + " / " + nullVuid.substring(nullVuid.lastIndexOf('-') + 1) + ")";
        final String freed = "; driver-sim freed the memory with the callbacks that made it";
        missingAtDestroyDetail = null == pair ? null : compatibleVuid + ": " + destroyCommand + " got pAllocator = NULL " +
            "but the object was created with callbacks" + pair + freed;
        differentAtDestroyDetail = null == pair ? null : compatibleVuid + ": " + destroyCommand + " got callbacks " +
            "other than the ones given at create, which cannot free its memory" + pair + freed;
        unexpectedAtDestroyDetail = null == pair ? null : nullVuid + ": " + destroyCommand + " got callbacks but the " +
            "object was created with pAllocator = NULL" + pair + freed;
    }

    /**
     * The tag stored in the header of this type's blocks.
     *
     * @return a value unique to this type, never 0.
     */
    public int tag()
    {
        return TAG_BASE + ordinal() + 1;
    }

    /**
     * The {@code vkDestroy*} command of this type.
     *
     * @return e.g. {@code "vkDestroyBuffer"}, or {@code null} when the object is freed with its parent or pool.
     */
    public String destroyCommand()
    {
        return destroyCommand;
    }

    /**
     * The VUID for "callbacks given at create, a compatible set must be given at destroy".
     *
     * @return e.g. {@code "VUID-vkDestroyBuffer-buffer-00923"}, or {@code null} without a destroy command.
     */
    public String compatibleAllocatorVuid()
    {
        return compatibleVuid;
    }

    /**
     * The VUID for "no callbacks given at create, none may be given at destroy".
     *
     * @return e.g. {@code "VUID-vkDestroyBuffer-buffer-00924"}, or {@code null} without a destroy command.
     */
    public String nullAllocatorVuid()
    {
        return nullVuid;
    }

    String missingAtDestroyDetail()
    {
        return missingAtDestroyDetail;
    }

    String differentAtDestroyDetail()
    {
        return differentAtDestroyDetail;
    }

    String unexpectedAtDestroyDetail()
    {
        return unexpectedAtDestroyDetail;
    }
}
