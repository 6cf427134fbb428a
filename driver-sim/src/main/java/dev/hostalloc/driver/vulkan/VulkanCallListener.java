package dev.hostalloc.driver.vulkan;

import dev.hostalloc.vulkan.VkResults;

/** Told after every Vulkan function {@link VulkanCalls} calls, so a run can check the allocator's state right then. */
@FunctionalInterface
interface VulkanCallListener
{
    /** A listener that does nothing. */
    VulkanCallListener NONE = (function, result) -> { };

    /**
     * Called right after a Vulkan function returned.
     *
     * @param function the function's name, e.g. {@code "vkCreateDevice"} (a constant: no allocation).
     * @param result   its {@code VkResult}, or {@link VkResults#NO_RESULT} for a {@code void} function.
     */
    void afterCall(String function, int result);
}
