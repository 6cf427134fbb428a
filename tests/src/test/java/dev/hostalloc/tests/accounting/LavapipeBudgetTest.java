package dev.hostalloc.tests.accounting;

import dev.hostalloc.accounting.Account;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.accounting.LeakReport;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.AllocationRecord;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationReport;
import dev.hostalloc.vulkan.VulkanAllocationCallbacks;
import dev.hostalloc.vulkan.VulkanAvailability;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lwjgl.system.MemoryStack;

import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.vulkan.VK10.VK_ERROR_OUT_OF_HOST_MEMORY;
import static org.lwjgl.vulkan.VK10.VK_SUCCESS;

/**
 * Budgets on a real driver (lavapipe): an instance, a device and 1 000 buffers, first unlimited to learn
 * what they need, then under a budget 10% below that. The instance and device are created through the
 * root account ({@code lavapipe}) and the buffers through a component account ({@code lavapipe/buffers});
 * Vulkan lets every object have its own {@code pAllocator}.
 *
 * <ul>
 *   <li>Budget on the component, 10% below the buffers' need: every buffer succeeds until the budget is
 *       spent and every later one fails cleanly with {@code VK_ERROR_OUT_OF_HOST_MEMORY}.</li>
 *   <li>Budget on the whole (the root), 10% below what instance, device and buffers need: creation
 *       fails cleanly with {@code VK_ERROR_OUT_OF_HOST_MEMORY} where the budget runs out (lavapipe's
 *       device alone takes about 95% of it, so that is {@code vkCreateDevice}).</li>
 * </ul>
 * In both, nothing leaks once everything is destroyed (the accounts read 0, the leak report is empty,
 * the CTS validator passes on what the driver saw), and the failure count equals the number of host
 * allocations the budget refused.
 */
class LavapipeBudgetTest
{
    private static final int BUFFERS = 1000;
    private static final double BUDGET_FRACTION = 0.9;

    /** What one run saw. */
    private record Run(
        int deviceResult, List<Integer> bufferResults, long bytesAfterDevice, long bytesWithBuffers, long bufferBytes,
        long refusedRequests, long failures, long poolFailures, long bytesAtEnd, long liveAtEnd, LeakReport leaks,
        ValidationReport deviceRecord, ValidationReport bufferRecord, String violations)
    {
        int created()
        {
            return (int)bufferResults.stream().filter(r -> r == VK_SUCCESS).count();
        }

        void assertNothingLeaked()
        {
            assertEquals(0, bytesAtEnd, "nothing leaks");
            assertEquals(0, liveAtEnd);
            assertTrue(leaks.isEmpty(), leaks.text());
            assertTrue(deviceRecord.passed(), deviceRecord.text());
            assertTrue(bufferRecord.passed(), bufferRecord.text());
            assertEquals("no violations", violations);
            assertEquals(refusedRequests, failures, "the failure count says how often the budget refused");
            assertEquals(0, poolFailures);
        }
    }

    private Run unlimited;

    @BeforeEach
    void measureTheNeed()
    {
        final VulkanAvailability.Availability vulkan = VulkanAvailability.probeOrFailIfRequired();
        Assumptions.assumeTrue(vulkan.available(), vulkan::detail);
        unlimited = run(Account.UNLIMITED, Account.UNLIMITED);
        assertEquals(VK_SUCCESS, unlimited.deviceResult());
        assertEquals(BUFFERS, unlimited.created(), "with no budget every buffer is created");
        assertEquals(0, unlimited.failures());
        assertTrue(unlimited.bufferBytes() > 0, "lavapipe keeps host memory per buffer");
        unlimited.assertNothingLeaked();
    }

    @Test
    void aComponentBudgetStopsBufferCreationCleanlyAtTheLimit()
    {
        final long need = unlimited.bufferBytes();
        final long perBuffer = need / BUFFERS;
        final long budget = (long)(need * BUDGET_FRACTION);

        final Run budgeted = run(Account.UNLIMITED, budget);
        assertEquals(VK_SUCCESS, budgeted.deviceResult());
        final int created = budgeted.created();
        assertTrue(created > 0 && created < BUFFERS, "some buffers fit, not all: " + created);
        for (int i = 0; i < BUFFERS; i++)
        {
            assertEquals(i < created ? VK_SUCCESS : VK_ERROR_OUT_OF_HOST_MEMORY, (int)budgeted.bufferResults().get(i),
                "buffer " + i + ": VK_SUCCESS up to the budget, VK_ERROR_OUT_OF_HOST_MEMORY after");
        }
        assertTrue(budgeted.bufferBytes() <= budget, "never above the budget");
        assertTrue(budget - budgeted.bufferBytes() < perBuffer,
            "stopped at the budget: " + (budget - budgeted.bufferBytes()) + " bytes left, a buffer needs " + perBuffer);
        assertEquals((int)(BUFFERS * BUDGET_FRACTION), created, "90% of the buffers fit in 90% of their need");
        assertTrue(budgeted.failures() >= BUFFERS - created, "at least one refusal per failed buffer");
        budgeted.assertNothingLeaked();
    }

    @Test
    void aBudgetOnTheWholeFailsCreationCleanlyWhereItRunsOut()
    {
        final long budget = (long)(unlimited.bytesWithBuffers() * BUDGET_FRACTION);
        final Run budgeted = run(budget, Account.UNLIMITED);
        if (budgeted.deviceResult() == VK_SUCCESS)
        {
            assertTrue(budgeted.created() < BUFFERS, "not everything fits in 90%");
            assertTrue(budgeted.bufferResults().stream().allMatch(r -> r == VK_SUCCESS || r == VK_ERROR_OUT_OF_HOST_MEMORY));
        }
        else
        {
            assertEquals(VK_ERROR_OUT_OF_HOST_MEMORY, budgeted.deviceResult(), "vkCreateInstance/vkCreateDevice");
        }
        assertTrue(budgeted.failures() > 0);
        assertTrue(budgeted.bytesWithBuffers() <= budget);
        budgeted.assertNothingLeaked();
    }

    /**
     * Creates the instance and device through the root account (budget {@code rootBudget}) and 1 000 buffers
     * through {@code lavapipe/buffers} (budget {@code buffersBudget}), then destroys everything.
     */
    private static Run run(final long rootBudget, final long buffersBudget)
    {
        final RecordingViolationHandler violations = new RecordingViolationHandler(8);
        final List<Integer> results = new ArrayList<>();
        try (AccountingAllocator accounting = AccountingAllocator.builder(new SystemAllocator(violations))
            .name("lavapipe").limit(rootBudget).violationHandler(violations).exportToConfiguredCounters(false)
            .onClose(r -> { }).build())
        {
            final Account root = accounting.root();
            final Account buffers = root.child("buffers", buffersBudget);
            // Record what the driver got: a request the budget refused is an allocation that returned 0.
            final RecordingAllocator deviceRecorder = new RecordingAllocator(root);
            final RecordingAllocator bufferRecorder = new RecordingAllocator(buffers);
            final long bytesAfterDevice;
            final long bytesWithBuffers;
            final long bufferBytes;
            final int deviceResult;
            try (VulkanAllocationCallbacks deviceBridge = new VulkanAllocationCallbacks(deviceRecorder);
                 VulkanAllocationCallbacks bufferBridge = new VulkanAllocationCallbacks(bufferRecorder))
            {
                try (LavapipeBuffers vulkan = new LavapipeBuffers(deviceBridge.struct(), bufferBridge.struct());
                     MemoryStack stack = MemoryStack.stackPush())
                {
                    deviceResult = vulkan.createInstanceAndDevice();
                    bytesAfterDevice = root.currentBytes();
                    final LongBuffer handle = stack.callocLong(1);
                    final List<Long> created = new ArrayList<>();
                    if (deviceResult == VK_SUCCESS)
                    {
                        for (int i = 0; i < BUFFERS; i++)
                        {
                            handle.put(0, 0L);
                            final int result = vulkan.createBuffer(handle);
                            results.add(result);
                            if (result == VK_SUCCESS)
                            {
                                created.add(handle.get(0));
                            }
                        }
                    }
                    bytesWithBuffers = root.currentBytes();
                    bufferBytes = buffers.currentBytes();
                    created.forEach(vulkan::destroyBuffer);
                }
                assertEquals(0, deviceBridge.delegateThrowableCount(), String.valueOf(deviceBridge.firstDelegateThrowable()));
                assertEquals(0, bufferBridge.delegateThrowableCount(), String.valueOf(bufferBridge.firstDelegateThrowable()));
            }
            final long refused = refused(deviceRecorder) + refused(bufferRecorder);
            return new Run(deviceResult, results, bytesAfterDevice, bytesWithBuffers, bufferBytes, refused,
                root.failures() + buffers.failures(), root.poolFailures() + buffers.poolFailures(), root.currentBytes(),
                root.liveBlocks(), accounting.leakReport(), deviceRecorder.validate().check(0),
                bufferRecorder.validate().check(0), violations.report().strip());
        }
    }

    private static long refused(final RecordingAllocator recorder)
    {
        return recorder.records().stream()
            .filter(r -> (r.kind() == AllocationRecord.Kind.ALLOCATION || r.kind() == AllocationRecord.Kind.REALLOCATION) &&
                r.returned() == 0 && r.size() != 0)
            .count();
    }
}
