package dev.hostalloc.render;

import static org.lwjgl.vulkan.EXTDebugUtils.VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
import static org.lwjgl.vulkan.EXTDebugUtils.VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT;
import static org.lwjgl.vulkan.EXTDebugUtils.VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT;
import static org.lwjgl.vulkan.EXTDebugUtils.VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
import static org.lwjgl.vulkan.EXTDebugUtils.VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT;
import static org.lwjgl.vulkan.VK10.VK_NULL_HANDLE;
import static org.lwjgl.vulkan.VK10.VK_SUCCESS;


import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.VulkanHost;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.EXTDebugUtils;
import org.lwjgl.vulkan.VK10;
import org.lwjgl.vulkan.VkAllocationCallbacks;
import org.lwjgl.vulkan.VkBufferCreateInfo;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferAllocateInfo;
import org.lwjgl.vulkan.VkCommandPoolCreateInfo;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCallbackDataEXT;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCallbackEXT;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCreateInfoEXT;
import org.lwjgl.vulkan.VkDescriptorPoolCreateInfo;
import org.lwjgl.vulkan.VkDescriptorSetAllocateInfo;
import org.lwjgl.vulkan.VkDescriptorSetLayoutCreateInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkDeviceCreateInfo;
import org.lwjgl.vulkan.VkFenceCreateInfo;
import org.lwjgl.vulkan.VkFramebufferCreateInfo;
import org.lwjgl.vulkan.VkGraphicsPipelineCreateInfo;
import org.lwjgl.vulkan.VkImageCreateInfo;
import org.lwjgl.vulkan.VkImageViewCreateInfo;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.lwjgl.vulkan.VkMemoryAllocateInfo;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPipelineLayoutCreateInfo;
import org.lwjgl.vulkan.VkRenderPassCreateInfo;
import org.lwjgl.vulkan.VkShaderModuleCreateInfo;

/**
 * The renderer's one place for Vulkan object lifecycle commands: every {@code vkCreate*},
 * {@code vkAllocate*}, {@code vkDestroy*} and {@code vkFree*} it makes, each passing the hostalloc
 * bridge's {@code VkAllocationCallbacks} (pooled objects use their pool's). Each create stores its
 * handle in a slot per {@link RenderObject} only on {@code VK_SUCCESS} and returns the
 * {@code VkResult}; {@link #destroyAll()} destroys the filled slots in reverse creation order, so
 * teardown after any failed step destroys exactly what exists. The create-info structs come from the
 * caller. Not thread-safe: one renderer, one thread.
 */
@VulkanHost(reason = "The renderer's lifecycle calls: every one passes the hostalloc bridge's VkAllocationCallbacks "
    + "given at construction as pAllocator.")
final class RenderVk
{
    static final String CREATE_INSTANCE = "vkCreateInstance";
    static final String CREATE_DEBUG_MESSENGER = "vkCreateDebugUtilsMessengerEXT";
    static final String CREATE_DEVICE = "vkCreateDevice";
    static final String CREATE_IMAGE = "vkCreateImage";
    static final String ALLOCATE_MEMORY = "vkAllocateMemory";
    static final String CREATE_IMAGE_VIEW = "vkCreateImageView";
    static final String CREATE_RENDER_PASS = "vkCreateRenderPass";
    static final String CREATE_FRAMEBUFFER = "vkCreateFramebuffer";
    static final String CREATE_SHADER_MODULE = "vkCreateShaderModule";
    static final String CREATE_DESCRIPTOR_SET_LAYOUT = "vkCreateDescriptorSetLayout";
    static final String CREATE_PIPELINE_LAYOUT = "vkCreatePipelineLayout";
    static final String CREATE_GRAPHICS_PIPELINES = "vkCreateGraphicsPipelines";
    static final String CREATE_BUFFER = "vkCreateBuffer";
    static final String CREATE_DESCRIPTOR_POOL = "vkCreateDescriptorPool";
    static final String ALLOCATE_DESCRIPTOR_SETS = "vkAllocateDescriptorSets";
    static final String CREATE_COMMAND_POOL = "vkCreateCommandPool";
    static final String ALLOCATE_COMMAND_BUFFERS = "vkAllocateCommandBuffers";
    static final String CREATE_FENCE = "vkCreateFence";
    static final String DESTROY = "vkDestroy*";

    private final VkAllocationCallbacks allocator;
    private final RenderTrace trace;
    private final long[] handles = new long[RenderObject.COUNT];
    private VkInstance instance;
    private VkDevice device;
    private VkCommandBuffer commandBuffer;

    /**
     * Lifecycle calls passing {@code allocator}.
     *
     * @param allocator the bridge's struct, never NULL.
     * @param trace     told the name of each call before it is made.
     * @throws NullPointerException when an argument is {@code null}.
     */
    RenderVk(final VkAllocationCallbacks allocator, final RenderTrace trace)
    {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.trace = Objects.requireNonNull(trace, "trace");
    }

    int createInstance(final VkInstanceCreateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final PointerBuffer p = stack.callocPointer(1);
            trace.enter(CREATE_INSTANCE);
            final int result = VK10.vkCreateInstance(info, allocator, p);
            if (VK_SUCCESS == result)
            {
                instance = new VkInstance(p.get(0), info);
                handles[RenderObject.INSTANCE.ordinal()] = p.get(0);
            }
            return result;
        }
    }

    int createDebugMessenger(final VkDebugUtilsMessengerCreateInfoEXT info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_DEBUG_MESSENGER);
            return stored(RenderObject.DEBUG_MESSENGER,
                EXTDebugUtils.vkCreateDebugUtilsMessengerEXT(instance, info, allocator, p), p);
        }
    }

    int createDevice(final VkPhysicalDevice physicalDevice, final VkDeviceCreateInfo info, final int apiVersion)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final PointerBuffer p = stack.callocPointer(1);
            trace.enter(CREATE_DEVICE);
            final int result = VK10.vkCreateDevice(physicalDevice, info, allocator, p);
            if (VK_SUCCESS == result)
            {
                device = new VkDevice(p.get(0), physicalDevice, info, apiVersion);
                handles[RenderObject.DEVICE.ordinal()] = p.get(0);
            }
            return result;
        }
    }

    int createImage(final VkImageCreateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_IMAGE);
            return stored(RenderObject.COLOR_IMAGE, VK10.vkCreateImage(device, info, allocator, p), p);
        }
    }

    int allocateMemory(final RenderObject slot, final VkMemoryAllocateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(ALLOCATE_MEMORY);
            return stored(slot, VK10.vkAllocateMemory(device, info, allocator, p), p);
        }
    }

    int createImageView(final VkImageViewCreateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_IMAGE_VIEW);
            return stored(RenderObject.COLOR_VIEW, VK10.vkCreateImageView(device, info, allocator, p), p);
        }
    }

    int createRenderPass(final VkRenderPassCreateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_RENDER_PASS);
            return stored(RenderObject.RENDER_PASS, VK10.vkCreateRenderPass(device, info, allocator, p), p);
        }
    }

    int createFramebuffer(final VkFramebufferCreateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_FRAMEBUFFER);
            return stored(RenderObject.FRAMEBUFFER, VK10.vkCreateFramebuffer(device, info, allocator, p), p);
        }
    }

    int createShaderModule(final RenderObject slot, final VkShaderModuleCreateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_SHADER_MODULE);
            return stored(slot, VK10.vkCreateShaderModule(device, info, allocator, p), p);
        }
    }

    int createDescriptorSetLayout(final VkDescriptorSetLayoutCreateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_DESCRIPTOR_SET_LAYOUT);
            return stored(RenderObject.DESCRIPTOR_SET_LAYOUT,
                VK10.vkCreateDescriptorSetLayout(device, info, allocator, p), p);
        }
    }

    int createPipelineLayout(final VkPipelineLayoutCreateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_PIPELINE_LAYOUT);
            return stored(RenderObject.PIPELINE_LAYOUT, VK10.vkCreatePipelineLayout(device, info, allocator, p), p);
        }
    }

    int createGraphicsPipeline(final VkGraphicsPipelineCreateInfo.Buffer info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_GRAPHICS_PIPELINES);
            return stored(RenderObject.PIPELINE,
                VK10.vkCreateGraphicsPipelines(device, VK_NULL_HANDLE, info, allocator, p), p);
        }
    }

    int createBuffer(final RenderObject slot, final VkBufferCreateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_BUFFER);
            return stored(slot, VK10.vkCreateBuffer(device, info, allocator, p), p);
        }
    }

    int createDescriptorPool(final VkDescriptorPoolCreateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_DESCRIPTOR_POOL);
            return stored(RenderObject.DESCRIPTOR_POOL, VK10.vkCreateDescriptorPool(device, info, allocator, p), p);
        }
    }

    int allocateDescriptorSet(final VkDescriptorSetAllocateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(ALLOCATE_DESCRIPTOR_SETS);
            return stored(RenderObject.DESCRIPTOR_SET, VK10.vkAllocateDescriptorSets(device, info, p), p);
        }
    }

    int createCommandPool(final VkCommandPoolCreateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_COMMAND_POOL);
            return stored(RenderObject.COMMAND_POOL, VK10.vkCreateCommandPool(device, info, allocator, p), p);
        }
    }

    int allocateCommandBuffer(final VkCommandBufferAllocateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final PointerBuffer p = stack.callocPointer(1);
            trace.enter(ALLOCATE_COMMAND_BUFFERS);
            final int result = VK10.vkAllocateCommandBuffers(device, info, p);
            if (VK_SUCCESS == result)
            {
                commandBuffer = new VkCommandBuffer(p.get(0), device);
                handles[RenderObject.COMMAND_BUFFER.ordinal()] = p.get(0);
            }
            return result;
        }
    }

    int createFence(final VkFenceCreateInfo info)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final LongBuffer p = stack.callocLong(1);
            trace.enter(CREATE_FENCE);
            return stored(RenderObject.FENCE, VK10.vkCreateFence(device, info, allocator, p), p);
        }
    }

    /**
     * The handle in a slot.
     *
     * @param object the slot.
     * @return the handle, or {@code VK_NULL_HANDLE} when it does not exist.
     */
    long handle(final RenderObject object)
    {
        return handles[object.ordinal()];
    }

    VkInstance instance()
    {
        return instance;
    }

    VkDevice device()
    {
        return device;
    }

    VkCommandBuffer commandBuffer()
    {
        return commandBuffer;
    }

    /**
     * Whether any object still exists.
     *
     * @return {@code true} while a slot is filled.
     */
    boolean anyAlive()
    {
        for (final long handle : handles)
        {
            if (VK_NULL_HANDLE != handle)
            {
                return true;
            }
        }
        return false;
    }

    /** Destroys every existing object, children first (reverse creation order). */
    void destroyAll()
    {
        final RenderObject[] objects = RenderObject.values();
        for (int i = objects.length - 1; i >= 0; i--)
        {
            destroy(objects[i]);
        }
    }

    /**
     * Destroys one object if it exists, and empties its slot.
     *
     * @param object the slot.
     */
    void destroy(final RenderObject object)
    {
        final long handle = handles[object.ordinal()];
        if (VK_NULL_HANDLE == handle)
        {
            return;
        }
        handles[object.ordinal()] = VK_NULL_HANDLE;
        trace.enter(DESTROY);
        switch (object)
        {
            case INSTANCE ->
            {
                VK10.vkDestroyInstance(instance, allocator);
                instance = null;
            }
            case DEBUG_MESSENGER -> EXTDebugUtils.vkDestroyDebugUtilsMessengerEXT(instance, handle, allocator);
            case DEVICE ->
            {
                VK10.vkDestroyDevice(device, allocator);
                device = null;
            }
            case COLOR_IMAGE -> VK10.vkDestroyImage(device, handle, allocator);
            case COLOR_MEMORY, VERTEX_MEMORY, UNIFORM_MEMORY, READBACK_MEMORY ->
                VK10.vkFreeMemory(device, handle, allocator);
            case COLOR_VIEW -> VK10.vkDestroyImageView(device, handle, allocator);
            case RENDER_PASS -> VK10.vkDestroyRenderPass(device, handle, allocator);
            case FRAMEBUFFER -> VK10.vkDestroyFramebuffer(device, handle, allocator);
            case VERTEX_SHADER, FRAGMENT_SHADER -> VK10.vkDestroyShaderModule(device, handle, allocator);
            case DESCRIPTOR_SET_LAYOUT -> VK10.vkDestroyDescriptorSetLayout(device, handle, allocator);
            case PIPELINE_LAYOUT -> VK10.vkDestroyPipelineLayout(device, handle, allocator);
            case PIPELINE -> VK10.vkDestroyPipeline(device, handle, allocator);
            case VERTEX_BUFFER, UNIFORM_BUFFER, READBACK_BUFFER -> VK10.vkDestroyBuffer(device, handle, allocator);
            case DESCRIPTOR_POOL -> VK10.vkDestroyDescriptorPool(device, handle, allocator);
            // the set goes back with its pool (no FREE_DESCRIPTOR_SET flag): nothing to call
            case DESCRIPTOR_SET -> { }
            case COMMAND_POOL -> VK10.vkDestroyCommandPool(device, handle, allocator);
            case COMMAND_BUFFER ->
            {
                VK10.vkFreeCommandBuffers(device, handles[RenderObject.COMMAND_POOL.ordinal()], commandBuffer);
                commandBuffer = null;
            }
            case FENCE -> VK10.vkDestroyFence(device, handle, allocator);
            default -> throw new IllegalStateException("unknown object " + object);
        }
        trace.enter(RenderTrace.IDLE);
    }

    private int stored(final RenderObject object, final int result, final LongBuffer p)
    {
        if (VK_SUCCESS == result)
        {
            handles[object.ordinal()] = p.get(0);
        }
        return result;
    }

    /**
     * Records every WARNING and ERROR message of the Khronos validation layer (through a
     * {@code VK_EXT_debug_utils} messenger) as {@code "ERROR: <message>"}. The upcall stub is created once
     * and freed by {@link #close()}, after the instance is gone. Messages arrive on the thread that made
     * the Vulkan call; the list is synchronized anyway since layers may call from their own threads.
     */
    @DirectAllocation(reason = "The debug messenger's upcall stub (VkDebugUtilsMessengerCallbackEXT.create) is native "
        + "code memory LWJGL makes: created once per renderer with validation, freed in close().")
    static final class ValidationMessages implements AutoCloseable
    {
        /** The severities recorded. */
        static final int SEVERITIES = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
        /** The message types recorded. */
        static final int TYPES = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT
            | VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;

        private final List<String> messages = new ArrayList<>();
        private VkDebugUtilsMessengerCallbackEXT callback;

        ValidationMessages()
        {
            callback = VkDebugUtilsMessengerCallbackEXT.create(this::onMessage);
        }

        /**
         * Fills a messenger create info (for the instance's {@code pNext} and the messenger itself).
         *
         * @param info a zeroed struct.
         * @return {@code info}.
         */
        VkDebugUtilsMessengerCreateInfoEXT describe(final VkDebugUtilsMessengerCreateInfoEXT info)
        {
            return info.sType$Default().messageSeverity(SEVERITIES).messageType(TYPES).pfnUserCallback(callback);
        }

        /**
         * The messages so far.
         *
         * @return a copy, in arrival order.
         */
        synchronized List<String> messages()
        {
            return List.copyOf(messages);
        }

        @Override
        public void close()
        {
            if (null != callback)
            {
                callback.free();
                callback = null;
            }
        }

        private int onMessage(final int severity, final int types, final long pCallbackData, final long pUserData)
        {
            final VkDebugUtilsMessengerCallbackDataEXT data = VkDebugUtilsMessengerCallbackDataEXT.create(pCallbackData);
            final String level = 0 != (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) ? "ERROR" : "WARNING";
            synchronized (this)
            {
                messages.add(level + ": " + data.pMessageString());
            }
            return VK10.VK_FALSE;
        }
    }
}
