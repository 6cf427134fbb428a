package dev.hostalloc.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.stack.Allocators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CTS alloc_callback_fail sweep over the whole renderer on lavapipe, bounded: every failure point
 * of setup, and {@value #FRAME_SAMPLE} evenly spaced points of the frame-and-teardown range. Every
 * point must end in a clean VK_ERROR_OUT_OF_HOST_MEMORY (setup or frame), a success, or a listed
 * known driver crash that is skipped; nothing of ours may stay live.
 */
final class RenderFaultSweepTest
{
    private static final int FRAME_SAMPLE = 8;

    @BeforeAll
    static void vulkan()
    {
        RenderAssumptions.assumeVulkan();
    }

    @Test
    void everyFailurePointIsHandledCleanly()
    {
        final FaultSweepResult result = RenderFaultSweep.run(Allocators.fromSpec("system"), FRAME_SAMPLE,
            RenderFaultSweep.ALL_POINTS, (done, total) -> { });

        assertTrue(result.passed(), () -> String.join("\n", result.findings()) + "\n" + result.table());
        assertTrue(result.setupAllocations() > 0);
        assertTrue(result.frameAllocations() > 0, "a frame makes driver allocations (command recording)");
        assertEquals(result.setupAllocations() + FRAME_SAMPLE, result.tried().size());
        long setupFailures = 0;
        for (final FaultSweepResult.Row row : result.rows())
        {
            final String outcome = row.outcome();
            assertTrue(outcome.contains("VK_ERROR_OUT_OF_HOST_MEMORY") || outcome.startsWith("skipped: ")
                || outcome.startsWith(RenderFaultSweep.ALL_SUCCEEDED), outcome);
            if (outcome.startsWith("setup: "))
            {
                setupFailures += row.count();
            }
        }
        assertTrue(setupFailures > 0, result::table);
        System.out.println("fault sweep: " + result.tried().size() + " points (setup " + result.setupAllocations()
            + ", frame " + result.frameAllocations() + ", total " + result.totalAllocations() + ") in "
            + result.elapsedMillis() + " ms\n" + result.table());
    }
}
