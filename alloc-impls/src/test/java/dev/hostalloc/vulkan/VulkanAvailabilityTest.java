package dev.hostalloc.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The probe answers once per JVM, never throws, and says what to install when Vulkan is missing. */
class VulkanAvailabilityTest
{
    @Test
    void probeIsCachedAndDescribesItself()
    {
        final VulkanAvailability.Availability first = VulkanAvailability.probe();
        assertSame(first, VulkanAvailability.probe());
        assertFalse(first.detail().isBlank());
        if (!first.available())
        {
            assertTrue(first.detail().contains(VulkanAvailability.PACKAGES), first.detail());
        }
    }

    @Test
    void requiredFollowsTheEnvironment()
    {
        assertEquals("1".equals(System.getenv(VulkanAvailability.REQUIRE_ENV)), VulkanAvailability.required());
    }

    @Test
    void theProbeFindsADeviceWhenVulkanIsThere()
    {
        final String detail = VulkanAssumptions.assumeVulkan();
        assertTrue(detail.contains("Vulkan 1."), detail);
        assertFalse(detail.contains(VulkanAvailability.PACKAGES), detail);
    }
}
