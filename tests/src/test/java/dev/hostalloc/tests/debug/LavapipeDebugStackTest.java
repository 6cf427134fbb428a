package dev.hostalloc.tests.debug;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.cookie.CookieAllocator;
import dev.hostalloc.driver.vulkan.SmokeResult;
import dev.hostalloc.driver.vulkan.VulkanSmokeRun;
import dev.hostalloc.guard.GuardPageAllocator;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.vulkan.VulkanAvailability;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real driver: the foundation's lavapipe smoke run with the debug stacks underneath, so every block
 * the driver touches sits against a guard page (its end, or with {@code guard:below} its start) and
 * carries a cookie: a driver overflow would kill the JVM, a foreign or double free would be reported.
 * The run must pass with 0 violations and nothing left live in either layer. Fails when Vulkan is
 * required ({@code HOSTALLOC_REQUIRE_VULKAN=1}) and missing, otherwise skips naming the packages.
 */
class LavapipeDebugStackTest
{
    @BeforeAll
    static void needsVulkan()
    {
        final VulkanAvailability.Availability availability = VulkanAvailability.probeOrFailIfRequired();
        Assumptions.assumeTrue(availability.available(), availability::detail);
    }

    @ParameterizedTest
    @ValueSource(strings = { "cookies,guard", "cookies,guard:below", "cookies:header,system" })
    void theSmokeRunIsCleanOnTheDebugStack(final String spec)
    {
        final RecordingViolationHandler handler = new RecordingViolationHandler(16);
        final AllocationCallbacks stack = Allocators.fromSpec(spec, handler);
        final long started = System.nanoTime();
        final SmokeResult result = VulkanSmokeRun.run(stack);
        final long millis = (System.nanoTime() - started) / 1_000_000;

        assertTrue(result.passed(), result.text());
        assertEquals(0, handler.totalCount(), handler.report());
        final CookieAllocator cookies = (CookieAllocator)stack;
        assertEquals(0, cookies.leakedBlocks());
        if (cookies.delegate() instanceof GuardPageAllocator guard)
        {
            assertEquals(0, guard.liveBlocks(), "every guard block freed");
            guard.drainQuarantine();
        }
        System.out.println("LavapipeDebugStackTest " + spec + ": " + result.driverInfo() + ", " + result.steps().size() +
            " Vulkan calls, " + result.statistics().totalAllocations() + " host allocations, 0 violations, " + millis + " ms");
    }
}
