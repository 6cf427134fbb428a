package dev.hostalloc.driver.vulkan;

import static org.lwjgl.vulkan.VK10.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
import static org.lwjgl.vulkan.VK10.VK_COMMAND_BUFFER_LEVEL_PRIMARY;
import static org.lwjgl.vulkan.VK10.VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
import static org.lwjgl.vulkan.VK10.VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
import static org.lwjgl.vulkan.VK10.VK_FORMAT_R8G8B8A8_UNORM;
import static org.lwjgl.vulkan.VK10.VK_IMAGE_LAYOUT_UNDEFINED;
import static org.lwjgl.vulkan.VK10.VK_IMAGE_TILING_OPTIMAL;
import static org.lwjgl.vulkan.VK10.VK_IMAGE_TYPE_2D;
import static org.lwjgl.vulkan.VK10.VK_NULL_HANDLE;
import static org.lwjgl.vulkan.VK10.VK_PHYSICAL_DEVICE_TYPE_CPU;
import static org.lwjgl.vulkan.VK10.VK_PIPELINE_BIND_POINT_COMPUTE;
import static org.lwjgl.vulkan.VK10.VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
import static org.lwjgl.vulkan.VK10.VK_QUEUE_COMPUTE_BIT;
import static org.lwjgl.vulkan.VK10.VK_SAMPLE_COUNT_1_BIT;
import static org.lwjgl.vulkan.VK10.VK_SHADER_STAGE_COMPUTE_BIT;
import static org.lwjgl.vulkan.VK10.VK_SHARING_MODE_EXCLUSIVE;
import static org.lwjgl.vulkan.VK10.VK_SUCCESS;

import dev.hostalloc.vulkan.VkResults;
import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.VulkanHost;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Objects;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.vulkan.VK10;
import org.lwjgl.vulkan.VK11;
import org.lwjgl.vulkan.VK12;
import org.lwjgl.vulkan.VkAllocationCallbacks;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkBufferCreateInfo;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferAllocateInfo;
import org.lwjgl.vulkan.VkCommandBufferBeginInfo;
import org.lwjgl.vulkan.VkCommandPoolCreateInfo;
import org.lwjgl.vulkan.VkComputePipelineCreateInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkDeviceCreateInfo;
import org.lwjgl.vulkan.VkDeviceQueueCreateInfo;
import org.lwjgl.vulkan.VkImageCreateInfo;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.lwjgl.vulkan.VkMemoryBarrier;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceDriverProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties2;
import org.lwjgl.vulkan.VkPipelineCacheCreateInfo;
import org.lwjgl.vulkan.VkPipelineLayoutCreateInfo;
import org.lwjgl.vulkan.VkPipelineShaderStageCreateInfo;
import org.lwjgl.vulkan.VkQueueFamilyProperties;
import org.lwjgl.vulkan.VkShaderModuleCreateInfo;

/**
 * The one place hostalloc calls Vulkan through LWJGL (outside the availability probe): one instance,
 * one device and the objects the smoke run and the fault sweep create, every call passing the same
 * {@code pAllocator}. After each Vulkan function returns, the {@link VulkanCallListener} hears its
 * name and result, so a run can check the allocator's records right after every call.
 *
 * <p>Create methods return the {@code VkResult} and leave the handle in {@link #lastHandle()} (0 on
 * failure). Not thread-safe: one run, one thread. {@link #close()} destroys whatever a run left
 * behind (after an exception) and frees the preallocated structs; the allocator must outlive it.
 */
@VulkanHost(reason = "hostalloc's one Vulkan harness: every call passes the VkAllocationCallbacks given at construction "
    + "(the hostalloc bridge of the smoke run, the fault sweep or the heap test) as pAllocator.")
final class VulkanCalls implements AutoCloseable
{
    /** The Vulkan version requested for the instance (1.1, as the smoke run demands). */
    static final int API_VERSION = VK11.VK_API_VERSION_1_1;

    static final String CREATE_INSTANCE = "vkCreateInstance";
    static final String DESTROY_INSTANCE = "vkDestroyInstance";
    static final String ENUMERATE_PHYSICAL_DEVICES = "vkEnumeratePhysicalDevices";
    static final String GET_PHYSICAL_DEVICE_PROPERTIES = "vkGetPhysicalDeviceProperties";
    static final String GET_PHYSICAL_DEVICE_PROPERTIES_2 = "vkGetPhysicalDeviceProperties2";
    static final String GET_QUEUE_FAMILY_PROPERTIES = "vkGetPhysicalDeviceQueueFamilyProperties";
    static final String CREATE_DEVICE = "vkCreateDevice";
    static final String GET_DEVICE_QUEUE = "vkGetDeviceQueue";
    static final String DESTROY_DEVICE = "vkDestroyDevice";
    static final String CREATE_BUFFER = "vkCreateBuffer";
    static final String DESTROY_BUFFER = "vkDestroyBuffer";
    static final String CREATE_IMAGE = "vkCreateImage";
    static final String DESTROY_IMAGE = "vkDestroyImage";
    static final String CREATE_COMMAND_POOL = "vkCreateCommandPool";
    static final String DESTROY_COMMAND_POOL = "vkDestroyCommandPool";
    static final String ALLOCATE_COMMAND_BUFFERS = "vkAllocateCommandBuffers";
    static final String FREE_COMMAND_BUFFERS = "vkFreeCommandBuffers";
    static final String BEGIN_COMMAND_BUFFER = "vkBeginCommandBuffer";
    static final String CMD_PIPELINE_BARRIER = "vkCmdPipelineBarrier";
    static final String CMD_BIND_PIPELINE = "vkCmdBindPipeline";
    static final String CMD_DISPATCH = "vkCmdDispatch";
    static final String END_COMMAND_BUFFER = "vkEndCommandBuffer";
    static final String CREATE_PIPELINE_CACHE = "vkCreatePipelineCache";
    static final String GET_PIPELINE_CACHE_DATA = "vkGetPipelineCacheData";
    static final String DESTROY_PIPELINE_CACHE = "vkDestroyPipelineCache";
    static final String CREATE_SHADER_MODULE = "vkCreateShaderModule";
    static final String DESTROY_SHADER_MODULE = "vkDestroyShaderModule";
    static final String CREATE_PIPELINE_LAYOUT = "vkCreatePipelineLayout";
    static final String DESTROY_PIPELINE_LAYOUT = "vkDestroyPipelineLayout";
    static final String CREATE_COMPUTE_PIPELINES = "vkCreateComputePipelines";
    static final String DESTROY_PIPELINE = "vkDestroyPipeline";

    private static final String APPLICATION_NAME = "hostalloc-driver-sim";
    private static final float QUEUE_PRIORITY = 1.0f;
    private static final int NO_QUEUE_FAMILY = -1;
    private static final int LOOP_BUFFER_SIZE = 4096;

    private final VkAllocationCallbacks allocator;
    private final VulkanCallListener listener;

    private VkInstance instance;
    private VkPhysicalDevice physicalDevice;
    private int physicalDeviceCount;
    private String deviceName = "";
    private String driverInfo = "";
    private int deviceApiVersion;
    private int queueFamily = NO_QUEUE_FAMILY;
    private VkDevice device;
    private long queue;
    private long lastHandle;
    private long[] commandBuffers = new long[0];
    private byte[] pipelineCacheData = new byte[0];

    private VkBufferCreateInfo loopBufferInfo;
    private LongBuffer loopHandle;

    /**
     * Prepares calls that pass {@code allocator} as {@code pAllocator}.
     *
     * @param allocator the callbacks for every call: a hostalloc bridge's struct, never NULL (the
     *                  implementation's own allocator would bypass hostalloc).
     * @param listener  told after every Vulkan call.
     * @throws NullPointerException when an argument is {@code null}.
     */
    VulkanCalls(final VkAllocationCallbacks allocator, final VulkanCallListener listener)
    {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * {@code vkCreateInstance}: Vulkan 1.1, no layers, no extensions.
     *
     * @return the {@code VkResult}.
     */
    int createInstance()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkApplicationInfo app = VkApplicationInfo.calloc(stack)
                .sType$Default()
                .pApplicationName(stack.UTF8(APPLICATION_NAME))
                .applicationVersion(VK10.VK_MAKE_API_VERSION(0, 0, 1, 0))
                .pEngineName(stack.UTF8(APPLICATION_NAME))
                .engineVersion(VK10.VK_MAKE_API_VERSION(0, 0, 1, 0))
                .apiVersion(API_VERSION);
            final VkInstanceCreateInfo createInfo = VkInstanceCreateInfo.calloc(stack)
                .sType$Default()
                .pApplicationInfo(app);
            final PointerBuffer pInstance = stack.callocPointer(1);
            final int result = VK10.vkCreateInstance(createInfo, allocator, pInstance);
            listener.afterCall(CREATE_INSTANCE, result);
            if (VK_SUCCESS == result)
            {
                instance = new VkInstance(pInstance.get(0), createInfo);
                lastHandle = instance.address();
            }
            else
            {
                lastHandle = pInstance.get(0);
            }
            return result;
        }
    }

    /**
     * {@code vkEnumeratePhysicalDevices} (count, then list), then the properties of the candidates;
     * picks the first CPU device (lavapipe) or else the first device, and describes it.
     *
     * @return the first failing {@code VkResult}, or {@code VK_SUCCESS} (also when there is no device:
     *         see {@link #physicalDeviceCount()}).
     */
    int selectPhysicalDevice()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final IntBuffer count = stack.callocInt(1);
            int result = VK10.vkEnumeratePhysicalDevices(instance, count, null);
            listener.afterCall(ENUMERATE_PHYSICAL_DEVICES, result);
            if (VK_SUCCESS != result || 0 == count.get(0))
            {
                physicalDeviceCount = count.get(0);
                return result;
            }
            final PointerBuffer devices = stack.callocPointer(count.get(0));
            result = VK10.vkEnumeratePhysicalDevices(instance, count, devices);
            listener.afterCall(ENUMERATE_PHYSICAL_DEVICES, result);
            physicalDeviceCount = count.get(0);
            if (VK_SUCCESS != result && VK10.VK_INCOMPLETE != result)
            {
                return result;
            }

            final VkPhysicalDeviceProperties properties = VkPhysicalDeviceProperties.calloc(stack);
            for (int i = 0; i < physicalDeviceCount && null == physicalDevice; i++)
            {
                final VkPhysicalDevice candidate = new VkPhysicalDevice(devices.get(i), instance);
                VK10.vkGetPhysicalDeviceProperties(candidate, properties);
                listener.afterCall(GET_PHYSICAL_DEVICE_PROPERTIES, VkResults.NO_RESULT);
                if (VK_PHYSICAL_DEVICE_TYPE_CPU == properties.deviceType())
                {
                    physicalDevice = candidate;
                }
            }
            if (null == physicalDevice)
            {
                physicalDevice = new VkPhysicalDevice(devices.get(0), instance);
            }
            describe(stack);
            return result;
        }
    }

    /**
     * Finds a compute-capable queue family, then {@code vkCreateDevice} with one queue and
     * {@code vkGetDeviceQueue}.
     *
     * @return the {@code VkResult} of {@code vkCreateDevice}.
     */
    int createDevice()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final IntBuffer count = stack.callocInt(1);
            VK10.vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice, count, null);
            listener.afterCall(GET_QUEUE_FAMILY_PROPERTIES, VkResults.NO_RESULT);
            final VkQueueFamilyProperties.Buffer families = VkQueueFamilyProperties.calloc(count.get(0), stack);
            VK10.vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice, count, families);
            listener.afterCall(GET_QUEUE_FAMILY_PROPERTIES, VkResults.NO_RESULT);
            queueFamily = 0;
            for (int i = 0; i < count.get(0); i++)
            {
                if (0 != (families.get(i).queueFlags() & VK_QUEUE_COMPUTE_BIT))
                {
                    queueFamily = i;
                    break;
                }
            }

            final VkDeviceQueueCreateInfo.Buffer queues = VkDeviceQueueCreateInfo.calloc(1, stack);
            queues.get(0)
                .sType$Default()
                .queueFamilyIndex(queueFamily)
                .pQueuePriorities(stack.floats(QUEUE_PRIORITY));
            final VkDeviceCreateInfo createInfo = VkDeviceCreateInfo.calloc(stack)
                .sType$Default()
                .pQueueCreateInfos(queues);
            final PointerBuffer pDevice = stack.callocPointer(1);
            final int result = VK10.vkCreateDevice(physicalDevice, createInfo, allocator, pDevice);
            listener.afterCall(CREATE_DEVICE, result);
            lastHandle = pDevice.get(0);
            if (VK_SUCCESS != result)
            {
                return result;
            }
            device = new VkDevice(pDevice.get(0), physicalDevice, createInfo, API_VERSION);

            final PointerBuffer pQueue = stack.callocPointer(1);
            VK10.vkGetDeviceQueue(device, queueFamily, 0, pQueue);
            listener.afterCall(GET_DEVICE_QUEUE, VkResults.NO_RESULT);
            queue = pQueue.get(0);
            return result;
        }
    }

    /**
     * {@code vkCreateBuffer} with exclusive sharing.
     *
     * @param size  bytes.
     * @param usage {@code VkBufferUsageFlags}.
     * @return the {@code VkResult}; the handle is {@link #lastHandle()}.
     */
    int createBuffer(final long size, final int usage)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkBufferCreateInfo createInfo = VkBufferCreateInfo.calloc(stack)
                .sType$Default()
                .size(size)
                .usage(usage)
                .sharingMode(VK_SHARING_MODE_EXCLUSIVE);
            final LongBuffer pBuffer = stack.callocLong(1);
            final int result = VK10.vkCreateBuffer(device, createInfo, allocator, pBuffer);
            listener.afterCall(CREATE_BUFFER, result);
            lastHandle = pBuffer.get(0);
            return result;
        }
    }

    /**
     * {@code vkDestroyBuffer}.
     *
     * @param buffer the handle.
     */
    void destroyBuffer(final long buffer)
    {
        VK10.vkDestroyBuffer(device, buffer, allocator);
        listener.afterCall(DESTROY_BUFFER, VkResults.NO_RESULT);
    }

    /**
     * {@code vkCreateBuffer} then {@code vkDestroyBuffer} of a 4 KiB storage buffer with a preallocated
     * create-info: the loop used to show a create/destroy pair costs no Java heap.
     *
     * @return the {@code VkResult} of the create.
     */
    @DirectAllocation(reason = "One VkBufferCreateInfo and one handle slot, allocated on first use and kept until "
        + "close(), so the create/destroy loop allocates no Java heap (a MemoryStack struct wrapper would); not driver "
        + "host memory, which goes through pAllocator.")
    int createAndDestroyBuffer()
    {
        if (null == loopBufferInfo)
        {
            loopBufferInfo = VkBufferCreateInfo.calloc()
                .sType$Default()
                .size(LOOP_BUFFER_SIZE)
                .usage(VK_BUFFER_USAGE_STORAGE_BUFFER_BIT)
                .sharingMode(VK_SHARING_MODE_EXCLUSIVE);
            loopHandle = MemoryUtil.memCallocLong(1);
        }
        final int result = VK10.vkCreateBuffer(device, loopBufferInfo, allocator, loopHandle);
        listener.afterCall(CREATE_BUFFER, result);
        if (VK_SUCCESS == result)
        {
            VK10.vkDestroyBuffer(device, loopHandle.get(0), allocator);
            listener.afterCall(DESTROY_BUFFER, VkResults.NO_RESULT);
        }
        return result;
    }

    /**
     * {@code vkCreateImage}: 2D, RGBA8, optimal tiling, one mip level and layer, no memory bound.
     *
     * @param width  pixels.
     * @param height pixels.
     * @param usage  {@code VkImageUsageFlags}.
     * @return the {@code VkResult}; the handle is {@link #lastHandle()}.
     */
    int createImage(final int width, final int height, final int usage)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkImageCreateInfo createInfo = VkImageCreateInfo.calloc(stack)
                .sType$Default()
                .imageType(VK_IMAGE_TYPE_2D)
                .format(VK_FORMAT_R8G8B8A8_UNORM)
                .mipLevels(1)
                .arrayLayers(1)
                .samples(VK_SAMPLE_COUNT_1_BIT)
                .tiling(VK_IMAGE_TILING_OPTIMAL)
                .usage(usage)
                .sharingMode(VK_SHARING_MODE_EXCLUSIVE)
                .initialLayout(VK_IMAGE_LAYOUT_UNDEFINED);
            createInfo.extent().set(width, height, 1);
            final LongBuffer pImage = stack.callocLong(1);
            final int result = VK10.vkCreateImage(device, createInfo, allocator, pImage);
            listener.afterCall(CREATE_IMAGE, result);
            lastHandle = pImage.get(0);
            return result;
        }
    }

    /**
     * {@code vkDestroyImage}.
     *
     * @param image the handle.
     */
    void destroyImage(final long image)
    {
        VK10.vkDestroyImage(device, image, allocator);
        listener.afterCall(DESTROY_IMAGE, VkResults.NO_RESULT);
    }

    /**
     * {@code vkCreateCommandPool} on the device's queue family, resettable buffers.
     *
     * @return the {@code VkResult}; the handle is {@link #lastHandle()}.
     */
    int createCommandPool()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkCommandPoolCreateInfo createInfo = VkCommandPoolCreateInfo.calloc(stack)
                .sType$Default()
                .flags(VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT)
                .queueFamilyIndex(queueFamily);
            final LongBuffer pPool = stack.callocLong(1);
            final int result = VK10.vkCreateCommandPool(device, createInfo, allocator, pPool);
            listener.afterCall(CREATE_COMMAND_POOL, result);
            lastHandle = pPool.get(0);
            return result;
        }
    }

    /**
     * {@code vkDestroyCommandPool}.
     *
     * @param pool the handle.
     */
    void destroyCommandPool(final long pool)
    {
        VK10.vkDestroyCommandPool(device, pool, allocator);
        listener.afterCall(DESTROY_COMMAND_POOL, VkResults.NO_RESULT);
    }

    /**
     * {@code vkAllocateCommandBuffers} of primary buffers (they use the pool's allocator).
     *
     * @param pool  the pool.
     * @param count how many.
     * @return the {@code VkResult}; the handles are {@link #commandBuffers()}.
     */
    int allocateCommandBuffers(final long pool, final int count)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkCommandBufferAllocateInfo allocateInfo = VkCommandBufferAllocateInfo.calloc(stack)
                .sType$Default()
                .commandPool(pool)
                .level(VK_COMMAND_BUFFER_LEVEL_PRIMARY)
                .commandBufferCount(count);
            final PointerBuffer pBuffers = stack.callocPointer(count);
            final int result = VK10.vkAllocateCommandBuffers(device, allocateInfo, pBuffers);
            listener.afterCall(ALLOCATE_COMMAND_BUFFERS, result);
            commandBuffers = new long[count];
            for (int i = 0; i < count; i++)
            {
                commandBuffers[i] = pBuffers.get(i);
            }
            return result;
        }
    }

    /**
     * Records a one-workgroup dispatch of a compute pipeline: {@code vkBeginCommandBuffer},
     * {@code vkCmdBindPipeline}, {@code vkCmdDispatch}, {@code vkEndCommandBuffer}.
     *
     * @param commandBuffer the handle.
     * @param pipeline      a compute pipeline.
     * @return the first failing {@code VkResult}, or that of {@code vkEndCommandBuffer}.
     */
    int recordDispatch(final long commandBuffer, final long pipeline)
    {
        final VkCommandBuffer buffer = new VkCommandBuffer(commandBuffer, device);
        final int begun = begin(buffer);
        if (VK_SUCCESS != begun)
        {
            return begun;
        }
        VK10.vkCmdBindPipeline(buffer, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline);
        listener.afterCall(CMD_BIND_PIPELINE, VkResults.NO_RESULT);
        VK10.vkCmdDispatch(buffer, 1, 1, 1);
        listener.afterCall(CMD_DISPATCH, VkResults.NO_RESULT);
        return end(buffer);
    }

    /**
     * Records one global memory barrier and nothing else (no buffer or image barriers):
     * {@code vkBeginCommandBuffer}, {@code vkCmdPipelineBarrier}, {@code vkEndCommandBuffer}.
     *
     * @param commandBuffer the handle.
     * @return the first failing {@code VkResult}, or that of {@code vkEndCommandBuffer}.
     */
    int recordGlobalMemoryBarrier(final long commandBuffer)
    {
        final VkCommandBuffer buffer = new VkCommandBuffer(commandBuffer, device);
        final int begun = begin(buffer);
        if (VK_SUCCESS != begun)
        {
            return begun;
        }
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkMemoryBarrier.Buffer barrier = VkMemoryBarrier.calloc(1, stack);
            barrier.get(0).sType$Default();
            VK10.vkCmdPipelineBarrier(buffer, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
                0, barrier, null, null);
            listener.afterCall(CMD_PIPELINE_BARRIER, VkResults.NO_RESULT);
        }
        return end(buffer);
    }

    /**
     * {@code vkFreeCommandBuffers} of every buffer {@link #allocateCommandBuffers} made.
     *
     * @param pool the pool they came from.
     */
    void freeCommandBuffers(final long pool)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final PointerBuffer pBuffers = stack.callocPointer(commandBuffers.length);
            for (final long buffer : commandBuffers)
            {
                pBuffers.put(buffer);
            }
            pBuffers.flip();
            VK10.vkFreeCommandBuffers(device, pool, pBuffers);
            listener.afterCall(FREE_COMMAND_BUFFERS, VkResults.NO_RESULT);
            commandBuffers = new long[0];
        }
    }

    /**
     * {@code vkCreatePipelineCache}.
     *
     * @param initialData the data to start from, or an empty array.
     * @return the {@code VkResult}; the handle is {@link #lastHandle()}.
     */
    int createPipelineCache(final byte[] initialData)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkPipelineCacheCreateInfo createInfo = VkPipelineCacheCreateInfo.calloc(stack).sType$Default();
            if (initialData.length > 0)
            {
                createInfo.pInitialData(stack.bytes(initialData));
            }
            final LongBuffer pCache = stack.callocLong(1);
            final int result = VK10.vkCreatePipelineCache(device, createInfo, allocator, pCache);
            listener.afterCall(CREATE_PIPELINE_CACHE, result);
            lastHandle = pCache.get(0);
            return result;
        }
    }

    /**
     * {@code vkGetPipelineCacheData} twice: the size, then the data.
     *
     * @param cache the cache.
     * @return the first failing {@code VkResult}, or that of the second call; the data is
     *         {@link #pipelineCacheData()}.
     */
    @DirectAllocation(reason = "The cache data's size is only known at run time and may exceed a MemoryStack frame: a "
        + "scratch buffer for the application side of vkGetPipelineCacheData, freed before returning; not driver "
        + "host memory, which goes through pAllocator.")
    int getPipelineCacheData(final long cache)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final PointerBuffer pSize = stack.callocPointer(1);
            int result = VK10.vkGetPipelineCacheData(device, cache, pSize, null);
            listener.afterCall(GET_PIPELINE_CACHE_DATA, result);
            if (VK_SUCCESS != result)
            {
                return result;
            }
            final ByteBuffer data = MemoryUtil.memAlloc((int)pSize.get(0));
            try
            {
                result = VK10.vkGetPipelineCacheData(device, cache, pSize, data);
                listener.afterCall(GET_PIPELINE_CACHE_DATA, result);
                pipelineCacheData = new byte[(int)pSize.get(0)];
                data.get(0, pipelineCacheData);
            }
            finally
            {
                MemoryUtil.memFree(data);
            }
            return result;
        }
    }

    /**
     * {@code vkDestroyPipelineCache}.
     *
     * @param cache the handle.
     */
    void destroyPipelineCache(final long cache)
    {
        VK10.vkDestroyPipelineCache(device, cache, allocator);
        listener.afterCall(DESTROY_PIPELINE_CACHE, VkResults.NO_RESULT);
    }

    /**
     * {@code vkCreateShaderModule} of {@link EmptyComputeShader}.
     *
     * @return the {@code VkResult}; the handle is {@link #lastHandle()}.
     */
    int createEmptyComputeShaderModule()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final int[] words = EmptyComputeShader.words();
            final ByteBuffer code = stack.malloc(words.length * Integer.BYTES);
            code.asIntBuffer().put(words);
            final VkShaderModuleCreateInfo createInfo = VkShaderModuleCreateInfo.calloc(stack)
                .sType$Default()
                .pCode(code);
            final LongBuffer pModule = stack.callocLong(1);
            final int result = VK10.vkCreateShaderModule(device, createInfo, allocator, pModule);
            listener.afterCall(CREATE_SHADER_MODULE, result);
            lastHandle = pModule.get(0);
            return result;
        }
    }

    /**
     * {@code vkDestroyShaderModule}.
     *
     * @param module the handle.
     */
    void destroyShaderModule(final long module)
    {
        VK10.vkDestroyShaderModule(device, module, allocator);
        listener.afterCall(DESTROY_SHADER_MODULE, VkResults.NO_RESULT);
    }

    /**
     * {@code vkCreatePipelineLayout} with no sets and no push constants.
     *
     * @return the {@code VkResult}; the handle is {@link #lastHandle()}.
     */
    int createEmptyPipelineLayout()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkPipelineLayoutCreateInfo createInfo = VkPipelineLayoutCreateInfo.calloc(stack).sType$Default();
            final LongBuffer pLayout = stack.callocLong(1);
            final int result = VK10.vkCreatePipelineLayout(device, createInfo, allocator, pLayout);
            listener.afterCall(CREATE_PIPELINE_LAYOUT, result);
            lastHandle = pLayout.get(0);
            return result;
        }
    }

    /**
     * {@code vkDestroyPipelineLayout}.
     *
     * @param layout the handle.
     */
    void destroyPipelineLayout(final long layout)
    {
        VK10.vkDestroyPipelineLayout(device, layout, allocator);
        listener.afterCall(DESTROY_PIPELINE_LAYOUT, VkResults.NO_RESULT);
    }

    /**
     * {@code vkCreateComputePipelines} of one pipeline.
     *
     * @param cache  the pipeline cache, or {@code VK_NULL_HANDLE}.
     * @param module the compute shader module.
     * @param layout the pipeline layout.
     * @return the {@code VkResult}; the handle is {@link #lastHandle()}.
     */
    int createComputePipeline(final long cache, final long module, final long layout)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkPipelineShaderStageCreateInfo stage = VkPipelineShaderStageCreateInfo.calloc(stack)
                .sType$Default()
                .stage(VK_SHADER_STAGE_COMPUTE_BIT)
                .module(module)
                .pName(stack.UTF8(EmptyComputeShader.ENTRY_POINT));
            final VkComputePipelineCreateInfo.Buffer createInfo = VkComputePipelineCreateInfo.calloc(1, stack);
            createInfo.get(0)
                .sType$Default()
                .stage(stage)
                .layout(layout);
            final LongBuffer pPipeline = stack.callocLong(1);
            final int result = VK10.vkCreateComputePipelines(device, cache, createInfo, allocator, pPipeline);
            listener.afterCall(CREATE_COMPUTE_PIPELINES, result);
            lastHandle = pPipeline.get(0);
            return result;
        }
    }

    /**
     * {@code vkDestroyPipeline}.
     *
     * @param pipeline the handle.
     */
    void destroyPipeline(final long pipeline)
    {
        VK10.vkDestroyPipeline(device, pipeline, allocator);
        listener.afterCall(DESTROY_PIPELINE, VkResults.NO_RESULT);
    }

    /** {@code vkDestroyDevice}, when a device exists. */
    void destroyDevice()
    {
        if (null != device)
        {
            VK10.vkDestroyDevice(device, allocator);
            listener.afterCall(DESTROY_DEVICE, VkResults.NO_RESULT);
            device = null;
            queue = VK_NULL_HANDLE;
        }
    }

    /** {@code vkDestroyInstance}, when an instance exists. */
    void destroyInstance()
    {
        if (null != instance)
        {
            VK10.vkDestroyInstance(instance, allocator);
            listener.afterCall(DESTROY_INSTANCE, VkResults.NO_RESULT);
            instance = null;
            physicalDevice = null;
        }
    }

    /**
     * The handle the last create call produced.
     *
     * @return the handle; {@code VK_NULL_HANDLE} when the call failed as it should.
     */
    long lastHandle()
    {
        return lastHandle;
    }

    /**
     * Whether an instance is alive.
     *
     * @return {@code true} between a successful {@link #createInstance()} and {@link #destroyInstance()}.
     */
    boolean hasInstance()
    {
        return null != instance;
    }

    /**
     * Whether {@link #selectPhysicalDevice()} found a device.
     *
     * @return {@code true} when there is one.
     */
    boolean hasPhysicalDevice()
    {
        return null != physicalDevice;
    }

    /**
     * Whether a device is alive.
     *
     * @return {@code true} between a successful {@link #createDevice()} and {@link #destroyDevice()}.
     */
    boolean hasDevice()
    {
        return null != device;
    }

    /**
     * How many physical devices the instance reported.
     *
     * @return the count.
     */
    int physicalDeviceCount()
    {
        return physicalDeviceCount;
    }

    /**
     * The selected device's name.
     *
     * @return e.g. {@code "llvmpipe (LLVM 15.0.6, 256 bits)"}; empty before {@link #selectPhysicalDevice()}.
     */
    String deviceName()
    {
        return deviceName;
    }

    /**
     * The selected device's driver name and info (Vulkan 1.2 driver properties) and API version.
     *
     * @return e.g. {@code "llvmpipe Mesa 22.3.6 (LLVM 15.0.6), Vulkan 1.3.230"}.
     */
    String driverInfo()
    {
        return driverInfo;
    }

    /**
     * The queue obtained from the device.
     *
     * @return the {@code VkQueue} handle, or 0.
     */
    long queue()
    {
        return queue;
    }

    /**
     * The command buffers of the last {@link #allocateCommandBuffers}.
     *
     * @return a copy of the handles.
     */
    long[] commandBuffers()
    {
        return commandBuffers.clone();
    }

    /**
     * The data of the last {@link #getPipelineCacheData}.
     *
     * @return a copy.
     */
    byte[] pipelineCacheData()
    {
        return pipelineCacheData.clone();
    }

    /**
     * Destroys the device and instance if a run left them alive, and frees the preallocated structs.
     * Objects created on the device must already be destroyed.
     */
    @Override
    @DirectAllocation(reason = "Frees the loop's preallocated create-info and handle slot (see createAndDestroyBuffer).")
    public void close()
    {
        destroyDevice();
        destroyInstance();
        if (null != loopBufferInfo)
        {
            loopBufferInfo.free();
            MemoryUtil.memFree(loopHandle);
            loopBufferInfo = null;
            loopHandle = null;
        }
    }

    private int begin(final VkCommandBuffer buffer)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkCommandBufferBeginInfo beginInfo = VkCommandBufferBeginInfo.calloc(stack)
                .sType$Default()
                .flags(VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT);
            final int result = VK10.vkBeginCommandBuffer(buffer, beginInfo);
            listener.afterCall(BEGIN_COMMAND_BUFFER, result);
            return result;
        }
    }

    private int end(final VkCommandBuffer buffer)
    {
        final int result = VK10.vkEndCommandBuffer(buffer);
        listener.afterCall(END_COMMAND_BUFFER, result);
        return result;
    }

    private void describe(final MemoryStack stack)
    {
        final VkPhysicalDeviceProperties properties = VkPhysicalDeviceProperties.calloc(stack);
        VK10.vkGetPhysicalDeviceProperties(physicalDevice, properties);
        listener.afterCall(GET_PHYSICAL_DEVICE_PROPERTIES, VkResults.NO_RESULT);
        deviceName = properties.deviceNameString();
        deviceApiVersion = properties.apiVersion();
        final StringBuilder sb = new StringBuilder(96);
        if (Integer.compareUnsigned(deviceApiVersion, VK12.VK_API_VERSION_1_2) >= 0)
        {
            final VkPhysicalDeviceDriverProperties driver = VkPhysicalDeviceDriverProperties.calloc(stack).sType$Default();
            final VkPhysicalDeviceProperties2 properties2 = VkPhysicalDeviceProperties2.calloc(stack)
                .sType$Default()
                .pNext(driver);
            VK11.vkGetPhysicalDeviceProperties2(physicalDevice, properties2);
            listener.afterCall(GET_PHYSICAL_DEVICE_PROPERTIES_2, VkResults.NO_RESULT);
            sb.append(driver.driverNameString()).append(' ').append(driver.driverInfoString());
        }
        else
        {
            sb.append("driver version 0x").append(Integer.toHexString(properties.driverVersion()));
        }
        sb.append(", Vulkan ").append(VK10.VK_API_VERSION_MAJOR(deviceApiVersion))
            .append('.').append(VK10.VK_API_VERSION_MINOR(deviceApiVersion))
            .append('.').append(VK10.VK_API_VERSION_PATCH(deviceApiVersion));
        driverInfo = sb.toString();
    }
}
