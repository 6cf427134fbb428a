package dev.hostalloc.bench.suite;

import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.VulkanHost;
import dev.hostalloc.vulkan.VulkanAllocationCallbacks;
import dev.hostalloc.vulkan.VulkanAvailability;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkAllocationCallbacks;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkBufferCreateInfo;
import org.lwjgl.vulkan.VkCommandBufferAllocateInfo;
import org.lwjgl.vulkan.VkCommandPoolCreateInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkDeviceCreateInfo;
import org.lwjgl.vulkan.VkDeviceQueueCreateInfo;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.concurrent.TimeUnit;

import static org.lwjgl.system.MemoryUtil.memAllocLong;
import static org.lwjgl.system.MemoryUtil.memAllocPointer;
import static org.lwjgl.system.MemoryUtil.memFree;
import static org.lwjgl.vulkan.VK10.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
import static org.lwjgl.vulkan.VK10.VK_COMMAND_BUFFER_LEVEL_PRIMARY;
import static org.lwjgl.vulkan.VK10.VK_PHYSICAL_DEVICE_TYPE_CPU;
import static org.lwjgl.vulkan.VK10.VK_SHARING_MODE_EXCLUSIVE;
import static org.lwjgl.vulkan.VK10.VK_SUCCESS;
import static org.lwjgl.vulkan.VK10.vkAllocateCommandBuffers;
import static org.lwjgl.vulkan.VK10.vkCreateBuffer;
import static org.lwjgl.vulkan.VK10.vkCreateCommandPool;
import static org.lwjgl.vulkan.VK10.vkCreateDevice;
import static org.lwjgl.vulkan.VK10.vkCreateInstance;
import static org.lwjgl.vulkan.VK10.vkDestroyBuffer;
import static org.lwjgl.vulkan.VK10.vkDestroyCommandPool;
import static org.lwjgl.vulkan.VK10.vkDestroyDevice;
import static org.lwjgl.vulkan.VK10.vkDestroyInstance;
import static org.lwjgl.vulkan.VK10.vkEnumeratePhysicalDevices;
import static org.lwjgl.vulkan.VK10.vkFreeCommandBuffers;
import static org.lwjgl.vulkan.VK10.vkGetPhysicalDeviceProperties;
import static org.lwjgl.vulkan.VK11.VK_API_VERSION_1_1;

/**
 * Host-memory callbacks through a real driver (lavapipe on the reference machine): a
 * {@code vkCreateBuffer}+{@code vkDestroyBuffer} loop (two OBJECT-scope allocations per buffer on
 * lavapipe) and a {@code vkAllocateCommandBuffers}+{@code vkFreeCommandBuffers} loop (the pool's
 * allocator), with {@code pAllocator = NULL} (the driver's own malloc: the baseline) or a hostalloc
 * stack through {@link VulkanAllocationCallbacks}. Instance, device and command pool are created with
 * the same allocator as the loop. One device per trial; the runner skips these rows when Vulkan is
 * unavailable (and fails when {@code HOSTALLOC_REQUIRE_VULKAN=1}).
 */
@VulkanHost(reason = "The suite's Vulkan rows: every object is created and destroyed with the trial's pAllocator, "
    + "a VulkanAllocationCallbacks bridge over the measured stack, or NULL for the deliberate driver-malloc baseline "
    + "(bench is outside the self-lint's import: the tests module does not depend on it).")
@DirectAllocation(reason = "the create-info structs and handle buffers of the loop live for the whole trial")
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class VulkanBenchmark
{
    /** The {@link #allocator} value meaning {@code pAllocator = NULL}. */
    public static final String NULL_ALLOCATOR = "NULL";

    /** The bare system allocator behind the bridge: what the upcalls themselves cost, no goal. */
    public static final String BRIDGE_ONLY = "system";

    /** The stack the suite calls production: budgets and statistics, no debug checks. */
    public static final String PRODUCTION = "accounting,system";

    /** The full debug stack. */
    public static final String FULL_DEBUG = "cookies,accounting,logging,system";

    private static final long BUFFER_SIZE = 4096;
    private static final String NAME = "hostalloc-bench";

    /** {@value #NULL_ALLOCATOR} or a hostalloc spec ({@link BenchStack}). */
    @Param({ NULL_ALLOCATOR, BRIDGE_ONLY, PRODUCTION, FULL_DEBUG })
    public String allocator;

    private BenchStack stack;
    private VulkanAllocationCallbacks bridge;
    private VkAllocationCallbacks pAllocator;
    private VkInstance instance;
    private VkDevice device;
    private long commandPool;
    private VkBufferCreateInfo bufferInfo;
    private LongBuffer pBuffer;
    private VkCommandBufferAllocateInfo commandBufferInfo;
    private PointerBuffer pCommandBuffer;

    /**
     * Creates the instance, device, command pool and the loop's structs with the trial's allocator.
     *
     * @throws IllegalStateException when Vulkan is unavailable or a create call fails.
     */
    @Setup(Level.Trial)
    public void setUp()
    {
        final VulkanAvailability.Availability availability = VulkanAvailability.probeOrFailIfRequired();
        if (!availability.available())
        {
            throw new IllegalStateException(availability.detail());
        }
        if (!NULL_ALLOCATOR.equals(allocator))
        {
            stack = BenchStack.open(allocator);
            bridge = new VulkanAllocationCallbacks(stack.callbacks());
            pAllocator = bridge.struct();
        }
        try (MemoryStack frame = MemoryStack.stackPush())
        {
            instance = createInstance(frame);
            device = createDevice(frame, pickDevice(frame));
            final LongBuffer pPool = frame.mallocLong(1);
            check("vkCreateCommandPool", vkCreateCommandPool(device,
                VkCommandPoolCreateInfo.calloc(frame).sType$Default().queueFamilyIndex(0), pAllocator, pPool));
            commandPool = pPool.get(0);
        }
        bufferInfo = VkBufferCreateInfo.calloc()
            .sType$Default()
            .size(BUFFER_SIZE)
            .usage(VK_BUFFER_USAGE_STORAGE_BUFFER_BIT)
            .sharingMode(VK_SHARING_MODE_EXCLUSIVE);
        pBuffer = memAllocLong(1);
        commandBufferInfo = VkCommandBufferAllocateInfo.calloc()
            .sType$Default()
            .commandPool(commandPool)
            .level(VK_COMMAND_BUFFER_LEVEL_PRIMARY)
            .commandBufferCount(1);
        pCommandBuffer = memAllocPointer(1);
    }

    /**
     * Destroys everything, closes the bridge after the last destroy, then the stack.
     *
     * @throws Exception when the bridge or the stack saw a violation.
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception
    {
        vkDestroyCommandPool(device, commandPool, pAllocator);
        vkDestroyDevice(device, pAllocator);
        vkDestroyInstance(instance, pAllocator);
        bufferInfo.free();
        commandBufferInfo.free();
        memFree(pBuffer);
        memFree(pCommandBuffer);
        if (null != bridge)
        {
            final String violations = bridge.violations().hasViolations() ? bridge.violations().report() : null;
            final long throwables = bridge.delegateThrowableCount();
            bridge.close();
            stack.close();
            if (null != violations || 0 != throwables)
            {
                throw new IllegalStateException("the bridge saw " + throwables + " throwables; violations: " + violations);
            }
        }
    }

    /**
     * {@code vkCreateBuffer} of a 4 KiB storage buffer, then {@code vkDestroyBuffer}.
     *
     * @return the buffer handle.
     * @throws IllegalStateException when the driver fails.
     */
    @Benchmark
    public long createDestroyBuffer()
    {
        final VkDevice device = this.device;
        final VkAllocationCallbacks pAllocator = this.pAllocator;
        final LongBuffer pBuffer = this.pBuffer;
        check("vkCreateBuffer", vkCreateBuffer(device, bufferInfo, pAllocator, pBuffer));
        final long buffer = pBuffer.get(0);
        vkDestroyBuffer(device, buffer, pAllocator);
        return buffer;
    }

    /**
     * {@code vkAllocateCommandBuffers} of one primary buffer, then {@code vkFreeCommandBuffers}.
     *
     * @return the command buffer handle.
     * @throws IllegalStateException when the driver fails.
     */
    @Benchmark
    public long allocateFreeCommandBuffer()
    {
        final VkDevice device = this.device;
        final PointerBuffer pCommandBuffer = this.pCommandBuffer;
        check("vkAllocateCommandBuffers", vkAllocateCommandBuffers(device, commandBufferInfo, pCommandBuffer));
        final long handle = pCommandBuffer.get(0);
        vkFreeCommandBuffers(device, commandPool, pCommandBuffer);
        return handle;
    }

    private VkInstance createInstance(final MemoryStack frame)
    {
        final VkInstanceCreateInfo info = VkInstanceCreateInfo.calloc(frame)
            .sType$Default()
            .pApplicationInfo(VkApplicationInfo.calloc(frame)
                .sType$Default()
                .pApplicationName(frame.UTF8(NAME))
                .pEngineName(frame.UTF8(NAME))
                .apiVersion(VK_API_VERSION_1_1));
        final PointerBuffer pInstance = frame.mallocPointer(1);
        check("vkCreateInstance", vkCreateInstance(info, pAllocator, pInstance));
        return new VkInstance(pInstance.get(0), info);
    }

    private VkPhysicalDevice pickDevice(final MemoryStack frame)
    {
        final IntBuffer count = frame.mallocInt(1);
        check("vkEnumeratePhysicalDevices", vkEnumeratePhysicalDevices(instance, count, null));
        if (0 == count.get(0))
        {
            throw new IllegalStateException("no Vulkan physical device");
        }
        final PointerBuffer devices = frame.mallocPointer(count.get(0));
        check("vkEnumeratePhysicalDevices", vkEnumeratePhysicalDevices(instance, count, devices));
        final VkPhysicalDeviceProperties properties = VkPhysicalDeviceProperties.malloc(frame);
        for (int i = 0; i < count.get(0); i++)
        {
            final VkPhysicalDevice candidate = new VkPhysicalDevice(devices.get(i), instance);
            vkGetPhysicalDeviceProperties(candidate, properties);
            if (VK_PHYSICAL_DEVICE_TYPE_CPU == properties.deviceType())
            {
                return candidate; // lavapipe: the driver whose host allocations the suite measures
            }
        }
        return new VkPhysicalDevice(devices.get(0), instance);
    }

    private VkDevice createDevice(final MemoryStack frame, final VkPhysicalDevice physicalDevice)
    {
        final VkDeviceQueueCreateInfo.Buffer queues = VkDeviceQueueCreateInfo.calloc(1, frame);
        queues.get(0).sType$Default().queueFamilyIndex(0).pQueuePriorities(frame.floats(1.0f));
        final VkDeviceCreateInfo info = VkDeviceCreateInfo.calloc(frame).sType$Default().pQueueCreateInfos(queues);
        final PointerBuffer pDevice = frame.mallocPointer(1);
        check("vkCreateDevice", vkCreateDevice(physicalDevice, info, pAllocator, pDevice));
        return new VkDevice(pDevice.get(0), physicalDevice, info);
    }

    private static void check(final String call, final int result)
    {
        if (VK_SUCCESS != result)
        {
            throw new IllegalStateException(call + " returned " + result);
        }
    }
}
