package dev.hostalloc.driver.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.system.SystemAllocator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The CTS's create_instance_device_intentional_alloc_fail on the machine's driver. */
class AllocationFailureSweepTest
{
    private static final Set<String> ALLOWED_OUTCOMES = Set.of(
        "vkCreateInstance -> VK_ERROR_OUT_OF_HOST_MEMORY",
        "vkEnumeratePhysicalDevices -> VK_ERROR_OUT_OF_HOST_MEMORY",
        "vkCreateDevice -> VK_ERROR_OUT_OF_HOST_MEMORY",
        AllocationFailureSweep.ALL_SUCCEEDED);

    @Test
    void everyFailurePointIsHandledAndNothingIsLeft()
    {
        VulkanAssumptions.assumeVulkan();
        final SweepResult result = AllocationFailureSweep.run(new SystemAllocator());

        // lavapipe 22.3.6 with loader 1.3.239 has no finding at all: every failure point returns
        // VK_ERROR_OUT_OF_HOST_MEMORY from the call that needed the memory and frees everything.
        assertEquals(List.of(), result.findings(), result.text());
        assertTrue(result.passed());
        assertTrue(result.count() > 0, result.text());
        assertEquals(result.count() + AllocationFailureSweep.DEFAULT_EXTRA_ITERATIONS, result.iterations());

        final Map<String, Integer> outcomes = result.outcomes();
        assertTrue(ALLOWED_OUTCOMES.containsAll(outcomes.keySet()), result.text());
        assertEquals(result.iterations(), outcomes.values().stream().mapToInt(Integer::intValue).sum());
        // The allocation count is deterministic: exactly the extra failure points, past the last
        // allocation, let every call succeed.
        assertEquals(AllocationFailureSweep.DEFAULT_EXTRA_ITERATIONS, outcomes.get(AllocationFailureSweep.ALL_SUCCEEDED),
            result.text());
        for (final String call : List.of("vkCreateInstance", "vkEnumeratePhysicalDevices", "vkCreateDevice"))
        {
            assertTrue(outcomes.getOrDefault(call + " -> VK_ERROR_OUT_OF_HOST_MEMORY", 0) > 0,
                call + " never failed: " + result.text());
        }
    }

    @Test
    void oneIterationCanBeReplayed()
    {
        VulkanAssumptions.assumeVulkan();
        assertEquals(List.of("vkCreateInstance -> VK_ERROR_OUT_OF_HOST_MEMORY"),
            AllocationFailureSweep.runIteration(new SystemAllocator(), 0));
        assertEquals(List.of(AllocationFailureSweep.ALL_SUCCEEDED),
            AllocationFailureSweep.runIteration(new SystemAllocator(), Long.MAX_VALUE));
    }

    @Test
    void negativeExtraIterationsAreRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> AllocationFailureSweep.run(new SystemAllocator(), -1));
    }
}
