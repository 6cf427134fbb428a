package dev.hostalloc.driver.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hostalloc.vulkan.VkResults;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.vulkan.VulkanAllocationCallbacks;
import java.lang.management.ManagementFactory;
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
    private static final int ROUNDS = 20;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

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

            int failures = loop(vk, WARM_UP);
            // The loop stays in this class (one monomorphic call site, fully inlined) rather than in
            // HeapAllocationMeter: LWJGL's FFM downcalls allocate unless C2 inlines them into the loop.
            // The fewest bytes of a few rounds, so a one-off runtime allocation cannot fail the test.
            long fewest = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS && fewest != 0; round++)
            {
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                failures += loop(vk, MEASURED);
                fewest = Math.min(fewest, THREADS.getCurrentThreadAllocatedBytes() - before);
            }

            assertEquals(0, failures);
            assertEquals(0, fewest, "heap bytes over " + MEASURED + " vkCreateBuffer/vkDestroyBuffer pairs");
            assertEquals(0, bridge.violations().totalCount(), bridge.violations().report());
            vk.destroyDevice();
            vk.destroyInstance();
        }
    }

    private static int loop(final VulkanCalls vk, final int iterations)
    {
        int failures = 0;
        for (int i = 0; i < iterations; i++)
        {
            if (VkResults.SUCCESS != vk.createAndDestroyBuffer())
            {
                failures++;
            }
        }
        return failures;
    }
}
