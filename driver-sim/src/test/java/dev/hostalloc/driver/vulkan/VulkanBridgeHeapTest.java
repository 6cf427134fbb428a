package dev.hostalloc.driver.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.HeapAllocationMeter;
import dev.hostalloc.vulkan.VulkanAllocationCallbacks;
import org.junit.jupiter.api.Test;

/**
 * A real driver calling the bridge costs no Java heap: {@code vkCreateBuffer} + {@code vkDestroyBuffer}
 * with {@code pAllocator} = a {@link VulkanAllocationCallbacks} over {@link SystemAllocator}, in a loop,
 * after warm-up, leaves the thread's allocated-bytes counter where it was.
 */
class VulkanBridgeHeapTest
{
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 100_000;

    private int failures;

    @Test
    void createAndDestroyBufferAllocatesNoHeap()
    {
        VulkanAssumptions.assumeVulkan();
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(new SystemAllocator());
            VulkanCalls vk = new VulkanCalls(bridge.struct(), VulkanCallListener.NONE))
        {
            assertEquals(VkResults.SUCCESS, vk.createInstance());
            assertEquals(VkResults.SUCCESS, vk.selectPhysicalDevice());
            assertEquals(VkResults.SUCCESS, vk.createDevice());

            final long bytes = HeapAllocationMeter.minimumBytes(i ->
            {
                if (VkResults.SUCCESS != vk.createAndDestroyBuffer())
                {
                    failures++;
                }
            }, WARM_UP, MEASURED, HeapAllocationMeter.DEFAULT_ROUNDS);

            assertEquals(0, failures);
            assertEquals(0, bytes, "heap bytes over " + MEASURED + " vkCreateBuffer/vkDestroyBuffer pairs");
            assertEquals(0, bridge.violations().totalCount(), bridge.violations().report());
            vk.destroyDevice();
            vk.destroyInstance();
        }
    }
}
