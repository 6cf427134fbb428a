package dev.hostalloc.driver.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.vulkan.VkResults;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.AllocationStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The smoke run on the machine's Vulkan driver (lavapipe in CI) with the libc-backed allocator. */
class VulkanSmokeRunTest
{
    private static final List<String> EXPECTED_CALLS_IN_ORDER = List.of(
        "vkCreateInstance", "vkEnumeratePhysicalDevices", "vkCreateDevice", "vkCreateBuffer", "vkCreateImage",
        "vkCreatePipelineCache", "vkCreateShaderModule", "vkCreatePipelineLayout", "vkCreateComputePipelines",
        "vkDestroyShaderModule", "vkGetPipelineCacheData", "vkCreateCommandPool", "vkAllocateCommandBuffers",
        "vkBeginCommandBuffer", "vkCmdBindPipeline", "vkCmdDispatch", "vkEndCommandBuffer", "vkFreeCommandBuffers",
        "vkDestroyCommandPool", "vkDestroyPipelineCache", "vkDestroyPipeline", "vkDestroyPipelineLayout",
        "vkDestroyImage", "vkDestroyBuffer", "vkDestroyDevice", "vkDestroyInstance");

    @BeforeAll
    static void needsVulkan()
    {
        VulkanAssumptions.assumeVulkan();
    }

    @Test
    void cleanOnTheSystemAllocator()
    {
        final SmokeResult result = VulkanSmokeRun.run(new SystemAllocator());

        assertTrue(result.passed(), result.text());
        assertEquals(List.of(), result.findings(), result.text());
        assertEquals(0, result.bridgeViolations(), result.text());
        assertEquals(0, result.delegateThrowables(), result.text());
        assertTrue(result.report().passed(), result.report().text());
        assertEquals(List.of(), result.report().leaks());
        assertFalse(result.deviceName().isEmpty());

        for (final SmokeStep step : result.steps())
        {
            assertEquals(0, step.commandLiveBlocks(), step.toString());
            if (VkResults.NO_RESULT != step.result())
            {
                assertEquals(VkResults.SUCCESS, step.result(), step.toString());
            }
        }
        final SmokeStep last = result.steps().get(result.steps().size() - 1);
        assertEquals("vkDestroyInstance", last.function());
        assertEquals(0, last.liveBlocks(), "nothing alive after vkDestroyInstance");
        assertSubsequence(EXPECTED_CALLS_IN_ORDER, functions(result.steps()));

        final AllocationStatistics statistics = result.statistics();
        assertTrue(statistics.allocations(SystemAllocationScope.INSTANCE) > 0, statistics.text());
        assertTrue(statistics.allocations(SystemAllocationScope.DEVICE) > 0, statistics.text());
        assertTrue(statistics.allocations(SystemAllocationScope.OBJECT) > 0, statistics.text());
        assertTrue(statistics.allocations(SystemAllocationScope.COMMAND) > 0, statistics.text());
        assertEquals(statistics.totalAllocations(), statistics.frees(), statistics.text());
    }

    @Test
    void knownDriverNotesAreExactlyTheRecordedOnes()
    {
        final SmokeResult result = VulkanSmokeRun.run(new SystemAllocator());
        KnownDrivers.requireKnown(result.driverInfo(), result.text());
        assertEquals(KnownDrivers.LAVAPIPE_MESA_22_3_6_SMOKE_NOTES, result.notes(), result.text());
    }

    @Test
    void aFailingAllocatorIsAFindingAndStillNothingLeaks()
    {
        final AllocationCallbacks noObjectMemory = new FailScope(new SystemAllocator(), SystemAllocationScope.OBJECT);
        final SmokeResult result = VulkanSmokeRun.run(noObjectMemory);

        assertFalse(result.passed(), result.text());
        assertEquals(List.of("vkCreateBuffer (call #10) returned VK_ERROR_OUT_OF_HOST_MEMORY"), result.findings(),
            result.text());
        assertTrue(result.report().passed(), result.report().text());
        assertTrue(result.statistics().failures(SystemAllocationScope.OBJECT) > 0, result.text());
    }

    @Test
    void aGlobalMemoryBarrierIsCleanBecauseSizeZeroGetsABlock()
    {
        // lavapipe asks for 0 bytes here; hostalloc answers with a unique block, as malloc(0) does.
        final SmokeResult result = VulkanSmokeRun.runGlobalMemoryBarrier(new SystemAllocator());
        assertTrue(result.passed(), result.text());
    }

    @Test
    void answeringSizeZeroWithNullMakesLavapipeFreeAPointerItNeverGot()
    {
        // The evidence behind hostalloc's size-0 rule: NULL for 0 bytes is taken as out of memory, and the
        // clean-up then frees a pointer the allocator never returned. The guard refuses it; without the
        // guard, libc gets it and glibc aborts the JVM ("free(): invalid pointer").
        final SmokeResult result = VulkanSmokeRun.runGlobalMemoryBarrier(new ZeroSizeAsNull(new SystemAllocator()));
        KnownDrivers.requireKnown(result.driverInfo(), result.text());

        assertEquals(2, result.findings().size(), result.text());
        assertTrue(Pattern.matches(
            "vkCmdPipelineBarrier \\(call #13\\): FREE_NOT_ALLOCATED_PTR at call #\\d+: FREE 0x[0-9a-f]+ "
                + "\\(free of a pointer never allocated through these callbacks\\)",
            result.findings().get(0)), result.text());
        assertEquals("vkEndCommandBuffer (call #14) returned VK_ERROR_OUT_OF_HOST_MEMORY", result.findings().get(1));
        assertEquals(List.of(), result.report().leaks(), result.text());
        assertEquals(0, result.bridgeViolations());
    }

    private static List<String> functions(final List<SmokeStep> steps)
    {
        final List<String> functions = new ArrayList<>(steps.size());
        for (final SmokeStep step : steps)
        {
            functions.add(step.function());
        }
        return functions;
    }

    private static void assertSubsequence(final List<String> expected, final List<String> actual)
    {
        int j = 0;
        for (final String call : actual)
        {
            if (j < expected.size() && expected.get(j).equals(call))
            {
                j++;
            }
        }
        assertEquals(expected.size(), j, "calls " + actual + " miss " + expected.subList(j, expected.size()));
    }

    /** Fails every allocation in one scope. */
    private record FailScope(AllocationCallbacks delegate, SystemAllocationScope failing) implements AllocationCallbacks
    {
        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            return scope == failing ? 0 : delegate.allocate(size, alignment, scope);
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            return scope == failing && size != 0 ? 0 : delegate.reallocate(original, size, alignment, scope);
        }

        @Override
        public void free(final long memory)
        {
            delegate.free(memory);
        }
    }

    /** Answers size-0 requests with NULL, as the CTS's reference allocator does. */
    private record ZeroSizeAsNull(AllocationCallbacks delegate) implements AllocationCallbacks
    {
        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            return 0 == size ? 0 : delegate.allocate(size, alignment, scope);
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            return delegate.reallocate(original, size, alignment, scope);
        }

        @Override
        public void free(final long memory)
        {
            delegate.free(memory);
        }
    }
}
