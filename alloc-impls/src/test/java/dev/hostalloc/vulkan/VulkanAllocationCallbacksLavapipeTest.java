package dev.hostalloc.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.vulkan.VK10.VK_SUCCESS;
import static org.lwjgl.vulkan.VK10.vkCreateInstance;
import static org.lwjgl.vulkan.VK10.vkDestroyInstance;

import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationReport;
import dev.hostalloc.testkit.ValidationResult;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VK11;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.junit.jupiter.api.Test;

/** A real driver's instance allocations go through the bridge (the full smoke run lives in driver-sim). */
class VulkanAllocationCallbacksLavapipeTest
{
    @Test
    void instanceLifetimeIsServedByTheBridge()
    {
        VulkanAssumptions.assumeVulkan();
        final RecordingAllocator recorder = new RecordingAllocator(new SystemAllocator());
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(recorder);
            MemoryStack stack = MemoryStack.stackPush())
        {
            final VkInstanceCreateInfo createInfo = VkInstanceCreateInfo.calloc(stack)
                .sType$Default()
                .pApplicationInfo(VkApplicationInfo.calloc(stack).sType$Default().apiVersion(VK11.VK_API_VERSION_1_1));
            final PointerBuffer pInstance = stack.mallocPointer(1);
            assertEquals(VK_SUCCESS, vkCreateInstance(createInfo, bridge.struct(), pInstance));
            final VkInstance instance = new VkInstance(pInstance.get(0), createInfo);

            final ValidationResult alive = recorder.validate();
            assertTrue(alive.liveCount(SystemAllocationScope.INSTANCE) > 0, alive.statistics().text());
            assertEquals(0, alive.liveCount(SystemAllocationScope.COMMAND), alive.check(0).text());

            vkDestroyInstance(instance, bridge.struct());
            final ValidationReport afterDestroy = recorder.validate().check(0);
            assertTrue(afterDestroy.passed(), afterDestroy.text());
            assertEquals(0, bridge.violations().totalCount(), bridge.violations().report());
            assertEquals(0, bridge.delegateThrowableCount());
        }
    }
}
