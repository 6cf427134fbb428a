package dev.hostalloc.render;

import dev.hostalloc.vulkan.VulkanAvailability;
import org.junit.jupiter.api.Assumptions;

/** Renderer tests need Vulkan: fail when HOSTALLOC_REQUIRE_VULKAN=1 and it is missing, else skip naming the packages. */
final class RenderAssumptions
{
    private RenderAssumptions()
    {
    }

    static void assumeVulkan()
    {
        final VulkanAvailability.Availability availability = VulkanAvailability.probeOrFailIfRequired();
        Assumptions.assumeTrue(availability.available(),
            () -> availability.detail() + " (install " + VulkanAvailability.PACKAGES + ")");
    }
}
