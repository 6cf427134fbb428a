package dev.hostalloc.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hostalloc.accounting.Account;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.stack.Allocators;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Steady state: after warm-up a frame allocates 0 Java heap bytes on the render thread, and the
 * renderer makes no host allocation of its own per frame (its account's count does not move).
 * Bounded for lavapipe (a frame takes ~0.4 ms there): {@value #WARM_UP} warm-up frames, then the fewest
 * bytes of {@value #ROUNDS} rounds of {@value #ITERATIONS} frames.
 */
final class RendererHeapTest
{
    private static final int WARM_UP = 20_000;
    private static final int ITERATIONS = 1_000;
    private static final int ROUNDS = 5;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();

    @BeforeAll
    static void vulkan()
    {
        RenderAssumptions.assumeVulkan();
    }

    @Test
    void aSteadyFrameAllocatesNoHeapAndNoAppMemory()
    {
        // the run's default stack, with the driver and the renderer on accounts of it as in `hostalloc run`
        final AllocationCallbacks stack = Allocators.fromSpec("cookies,accounting,system");
        try (AccountingAllocator accounting = AccountingAllocator.builder(stack).name("heap-test").trackBlocks(true).build())
        {
            final AllocationCallbacks driver = accounting.root().child("driver");
            final Account app = accounting.root().child("app");
            try (Renderer renderer = Renderer.open(driver, app, false, new RenderTrace()))
            {
                final long appAllocationsBefore = app.snapshot().allocations();
                // the loop is here, not in HeapAllocationMeter: a lambda around LWJGL's FFM downcalls can
                // box arguments where a direct call site, once compiled, does not
                for (int frame = 0; frame < WARM_UP; frame++)
                {
                    renderer.renderFrame(frame);
                }
                long bytes = Long.MAX_VALUE;
                for (int round = 0; round < ROUNDS; round++)
                {
                    final long before = THREADS.getCurrentThreadAllocatedBytes();
                    for (int frame = 0; frame < ITERATIONS; frame++)
                    {
                        renderer.renderFrame(frame);
                    }
                    bytes = Math.min(bytes, THREADS.getCurrentThreadAllocatedBytes() - before);
                }
                assertEquals(0, bytes, "Java heap bytes in " + ITERATIONS + " frames");
                assertEquals(appAllocationsBefore, app.snapshot().allocations(), "app host allocations while rendering");
            }
        }
    }
}
