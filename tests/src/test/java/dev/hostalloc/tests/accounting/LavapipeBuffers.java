package dev.hostalloc.tests.accounting;

import dev.hostalloc.api.DirectAllocation;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VK10;
import org.lwjgl.vulkan.VK11;
import org.lwjgl.vulkan.VkAllocationCallbacks;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkBufferCreateInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkDeviceCreateInfo;
import org.lwjgl.vulkan.VkDeviceQueueCreateInfo;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties;

import java.nio.IntBuffer;
import java.nio.LongBuffer;

import static org.lwjgl.vulkan.VK10.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
import static org.lwjgl.vulkan.VK10.VK_PHYSICAL_DEVICE_TYPE_CPU;
import static org.lwjgl.vulkan.VK10.VK_SHARING_MODE_EXCLUSIVE;
import static org.lwjgl.vulkan.VK10.VK_SUCCESS;

/**
 * A Vulkan instance and device on the CPU device (lavapipe) with one {@code pAllocator}, and storage
 * buffers with another (Vulkan lets each object have its own): the workload of the budget test. Not
 * thread-safe.
 */
@DirectAllocation(reason = "Create-info structs are call-scoped parameters for LWJGL on its thread-local MemoryStack; "
    + "all driver host memory goes through pAllocator.")
final class LavapipeBuffers implements AutoCloseable
{
    /** Bytes of each buffer (device memory is never bound: only the driver's host objects count). */
    static final long BUFFER_SIZE = 4096;

    private final VkAllocationCallbacks allocator;
    private final VkAllocationCallbacks bufferAllocator;
    private VkInstance instance;
    private VkDevice device;
    private int instanceResult = VK10.VK_NOT_READY;
    private int deviceResult = VK10.VK_NOT_READY;

    LavapipeBuffers(final VkAllocationCallbacks allocator, final VkAllocationCallbacks bufferAllocator)
    {
        this.allocator = allocator;
        this.bufferAllocator = bufferAllocator;
    }

    /**
     * Creates the instance and a device with one queue on the CPU device (or the first device).
     *
     * @return {@code VK_SUCCESS} or the first failing {@code VkResult}.
     */
    int createInstanceAndDevice()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkApplicationInfo app = VkApplicationInfo.calloc(stack)
                .sType$Default()
                .pApplicationName(stack.UTF8("hostalloc-budget"))
                .apiVersion(VK11.VK_API_VERSION_1_1);
            final PointerBuffer pInstance = stack.callocPointer(1);
            instanceResult = VK10.vkCreateInstance(
                VkInstanceCreateInfo.calloc(stack).sType$Default().pApplicationInfo(app), allocator, pInstance);
            if (VK_SUCCESS != instanceResult)
            {
                return instanceResult;
            }
            instance = new VkInstance(pInstance.get(0), VkInstanceCreateInfo.calloc(stack).sType$Default().pApplicationInfo(app));

            final IntBuffer count = stack.callocInt(1);
            int result = VK10.vkEnumeratePhysicalDevices(instance, count, null);
            if (VK_SUCCESS != result)
            {
                return result;
            }
            final PointerBuffer devices = stack.callocPointer(count.get(0));
            result = VK10.vkEnumeratePhysicalDevices(instance, count, devices);
            if (VK_SUCCESS != result)
            {
                return result;
            }
            VkPhysicalDevice physical = null;
            final VkPhysicalDeviceProperties properties = VkPhysicalDeviceProperties.calloc(stack);
            for (int i = 0; i < count.get(0) && null == physical; i++)
            {
                final VkPhysicalDevice candidate = new VkPhysicalDevice(devices.get(i), instance);
                VK10.vkGetPhysicalDeviceProperties(candidate, properties);
                if (properties.deviceType() == VK_PHYSICAL_DEVICE_TYPE_CPU)
                {
                    physical = candidate;
                }
            }
            if (null == physical)
            {
                physical = new VkPhysicalDevice(devices.get(0), instance);
            }
            final VkDeviceQueueCreateInfo.Buffer queues = VkDeviceQueueCreateInfo.calloc(1, stack);
            queues.get(0).sType$Default().queueFamilyIndex(0).pQueuePriorities(stack.floats(1.0f));
            final VkDeviceCreateInfo deviceInfo = VkDeviceCreateInfo.calloc(stack).sType$Default().pQueueCreateInfos(queues);
            final PointerBuffer pDevice = stack.callocPointer(1);
            deviceResult = VK10.vkCreateDevice(physical, deviceInfo, allocator, pDevice);
            if (VK_SUCCESS == deviceResult)
            {
                device = new VkDevice(pDevice.get(0), physical, deviceInfo, VK11.VK_API_VERSION_1_1);
            }
            return deviceResult;
        }
    }

    /**
     * {@code vkCreateBuffer} of a {@link #BUFFER_SIZE} storage buffer.
     *
     * @param handle receives the handle (0 on failure).
     * @return the {@code VkResult}.
     */
    int createBuffer(final LongBuffer handle)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkBufferCreateInfo info = VkBufferCreateInfo.calloc(stack)
                .sType$Default()
                .size(BUFFER_SIZE)
                .usage(VK_BUFFER_USAGE_STORAGE_BUFFER_BIT)
                .sharingMode(VK_SHARING_MODE_EXCLUSIVE);
            return VK10.vkCreateBuffer(device, info, bufferAllocator, handle);
        }
    }

    /**
     * {@code vkDestroyBuffer}.
     *
     * @param buffer a handle from {@link #createBuffer}.
     */
    void destroyBuffer(final long buffer)
    {
        VK10.vkDestroyBuffer(device, buffer, bufferAllocator);
    }

    /** Destroys the device and the instance, whichever exist. */
    @Override
    public void close()
    {
        if (null != device)
        {
            VK10.vkDestroyDevice(device, allocator);
            device = null;
        }
        if (null != instance)
        {
            VK10.vkDestroyInstance(instance, allocator);
            instance = null;
        }
    }

    /**
     * The result of {@code vkCreateInstance}, or of {@code vkCreateDevice} once the instance exists.
     *
     * @return the {@code VkResult} of the last creation attempted.
     */
    int result()
    {
        return VK_SUCCESS == instanceResult ? deviceResult : instanceResult;
    }
}
