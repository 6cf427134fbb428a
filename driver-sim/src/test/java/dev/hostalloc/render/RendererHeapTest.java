package dev.hostalloc.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hostalloc.accounting.Account;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.testkit.HeapAllocationMeter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Steady state: after warm-up a frame allocates 0 Java heap bytes on the render thread, and the
 * renderer makes no host allocation of its own per frame (its account's count does not move).
 * Bounded for lavapipe: {@value #WARM_UP} warm-up frames, rounds of {@value #ITERATIONS} frames.
 */
final class RendererHeapTest
{
    private static final int WARM_UP = 3_000;
    private static final int ITERATIONS = 200;
    private static final int ROUNDS = 5;

    @BeforeAll
    static void vulkan()
    {
        RenderAssumptions.assumeVulkan();
    }

    @Test
    void aSteadyFrameAllocatesNoHeapAndNoAppMemory()
    {
        final AllocationCallbacks stack = Allocators.fromSpec("system");
        try (AccountingAllocator accounting = AccountingAllocator.builder(stack).name("heap-test").build())
        {
            final Account driver = accounting.root().child("driver");
            final Account app = accounting.root().child("app");
            try (Renderer renderer = Renderer.open(driver, app, false, new RenderTrace()))
            {
                final long appAllocationsBefore = app.snapshot().allocations();
                final long bytes = HeapAllocationMeter.minimumBytes(renderer::renderFrame, WARM_UP, ITERATIONS, ROUNDS);
                assertEquals(0, bytes, "Java heap bytes in " + ITERATIONS + " frames");
                assertEquals(appAllocationsBefore, app.snapshot().allocations(), "app host allocations while rendering");
            }
        }
    }
}
