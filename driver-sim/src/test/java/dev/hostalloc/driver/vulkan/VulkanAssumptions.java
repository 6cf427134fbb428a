package dev.hostalloc.driver.vulkan;

import dev.hostalloc.vulkan.VulkanAvailability;
import org.junit.jupiter.api.Assumptions;

/** Tests that need a Vulkan implementation: fail when it is required, otherwise skip with what to install. */
final class VulkanAssumptions
{
    private VulkanAssumptions()
    {
    }

    /**
     * Continues only when Vulkan is available.
     *
     * @return the availability's detail (device and driver).
     */
    static String assumeVulkan()
    {
        final VulkanAvailability.Availability availability = VulkanAvailability.probeOrFailIfRequired();
        Assumptions.assumeTrue(availability.available(), availability::detail);
        return availability.detail();
    }
}
