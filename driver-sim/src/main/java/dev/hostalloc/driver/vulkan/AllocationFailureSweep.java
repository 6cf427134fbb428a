package dev.hostalloc.driver.vulkan;

import dev.hostalloc.vulkan.VkResults;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.testkit.DeterministicFailAllocator;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationError;
import dev.hostalloc.testkit.ValidationReport;
import dev.hostalloc.vulkan.VulkanAllocationCallbacks;
import dev.hostalloc.vulkan.VulkanAvailability;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The Vulkan CTS's {@code device_init.create_instance_device_intentional_alloc_fail} on a real driver.
 * The driver's host memory comes from {@code base} through a {@link DeterministicFailAllocator} and a
 * {@link RecordingAllocator}. A counting run (create instance, enumerate physical devices, create
 * device, destroy device, destroy instance) counts the allocations; then for every failure index
 * {@code i} in {@code [0, count + extra)} the same run is made with allocation {@code i} and all later
 * ones failing. Every call must return {@code VK_SUCCESS} or {@code VK_ERROR_OUT_OF_HOST_MEMORY}, a
 * failed create must leave its handle NULL, and after teardown nothing may be live; every breach is
 * recorded as a finding with its exact numbers. A guard above {@code base} refuses frees of pointers
 * it never handed out, so a driver freeing garbage on a failure path is a finding, not heap corruption.
 *
 * <p>A driver that crashes on a failure path takes the JVM with it; run the sweep in a child JVM to
 * find the index (each iteration is independent and can be re-run with {@link #runIteration}).
 */
public final class AllocationFailureSweep
{
    /** Failure points tried beyond the counted allocations, as in the CTS. */
    public static final int DEFAULT_EXTRA_ITERATIONS = 100;

    /** The outcome of a run in which every call succeeded. */
    public static final String ALL_SUCCEEDED = "all calls succeeded";

    private static final int NO_SCOPE_ALLOWED_LIVE = 0;

    private AllocationFailureSweep()
    {
    }

    /**
     * Runs the sweep with {@link #DEFAULT_EXTRA_ITERATIONS}.
     *
     * @param base the allocator that serves the allocations that pass.
     * @return counts, outcomes and findings.
     * @throws IllegalStateException when Vulkan is unavailable (the message says what to install).
     */
    public static SweepResult run(final AllocationCallbacks base)
    {
        return run(base, DEFAULT_EXTRA_ITERATIONS);
    }

    /**
     * Runs the sweep.
     *
     * @param base            the allocator that serves the allocations that pass.
     * @param extraIterations failure points tried beyond the counted allocations; not negative.
     * @return counts, outcomes and findings.
     * @throws IllegalStateException    when Vulkan is unavailable (the message says what to install).
     * @throws IllegalArgumentException when {@code extraIterations} is negative.
     */
    public static SweepResult run(final AllocationCallbacks base, final int extraIterations)
    {
        Objects.requireNonNull(base, "base");
        if (extraIterations < 0)
        {
            throw new IllegalArgumentException("extraIterations must not be negative: " + extraIterations);
        }
        requireVulkan();
        final long start = System.nanoTime();
        final DeterministicFailAllocator failing =
            new DeterministicFailAllocator(new LivePointerGuard(base), DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
        final RecordingAllocator recorder = new RecordingAllocator(failing);
        final Map<String, Integer> outcomes = new LinkedHashMap<>();
        final List<String> findings = new ArrayList<>();
        final long count;
        final int iterations;
        final String deviceName;
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(recorder))
        {
            final Iteration counting = iterate(bridge, recorder, failing, Long.MAX_VALUE);
            count = counting.attempts;
            deviceName = counting.deviceName;
            for (final String finding : counting.findings)
            {
                findings.add("counting run: " + finding);
            }
            if (!ALL_SUCCEEDED.equals(counting.outcome))
            {
                findings.add("counting run: " + counting.outcome);
            }

            iterations = Math.toIntExact(count + extraIterations);
            for (int i = 0; i < iterations; i++)
            {
                final Iteration iteration = iterate(bridge, recorder, failing, i);
                outcomes.merge(iteration.outcome, 1, Integer::sum);
                for (final String finding : iteration.findings)
                {
                    findings.add("fail at " + i + ": " + finding);
                }
            }
            collectBridgeViolations(bridge, findings);
        }
        final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return new SweepResult(deviceName, count, iterations, outcomes, findings, elapsedMillis);
    }

    /**
     * One run with allocation {@code failIndex} (from 0) and all later ones failing, for re-running a
     * single failure point (e.g. in a child JVM, to find one that crashes the driver).
     *
     * @param base      the allocator that serves the allocations that pass.
     * @param failIndex the first allocation to fail; {@link Long#MAX_VALUE} for none.
     * @return the outcome (first non-success call and result, or {@link #ALL_SUCCEEDED}) followed by the
     *         findings, one per element.
     * @throws IllegalStateException when Vulkan is unavailable.
     */
    public static List<String> runIteration(final AllocationCallbacks base, final long failIndex)
    {
        Objects.requireNonNull(base, "base");
        requireVulkan();
        final DeterministicFailAllocator failing =
            new DeterministicFailAllocator(new LivePointerGuard(base), DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
        final RecordingAllocator recorder = new RecordingAllocator(failing);
        final List<String> lines = new ArrayList<>();
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(recorder))
        {
            final Iteration iteration = iterate(bridge, recorder, failing, failIndex);
            lines.add(iteration.outcome);
            lines.addAll(iteration.findings);
            collectBridgeViolations(bridge, lines);
        }
        return lines;
    }

    private static Iteration iterate(
        final VulkanAllocationCallbacks bridge,
        final RecordingAllocator recorder,
        final DeterministicFailAllocator failing,
        final long failIndex)
    {
        recorder.clear();
        failing.reset(DeterministicFailAllocator.Mode.COUNT_AND_FAIL, failIndex);
        final Iteration iteration = new Iteration();
        try (VulkanCalls vk = new VulkanCalls(bridge.struct(), iteration))
        {
            iteration.run(vk);
        }
        iteration.attempts = failing.attempts();
        failing.reset(DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);

        final ValidationReport report = recorder.validate().check(NO_SCOPE_ALLOWED_LIVE);
        if (!report.leaks().isEmpty())
        {
            iteration.findings.add(LiveBlocks.summary(report.leaks(), null) + " alive after teardown");
        }
        if (!report.internalLeaks().isEmpty())
        {
            iteration.findings.add("internal allocations reported alive after teardown: " + report.internalLeaks());
        }
        for (final ValidationError violation : report.violations())
        {
            iteration.findings.add(violation.toString());
        }
        return iteration;
    }

    private static void collectBridgeViolations(final VulkanAllocationCallbacks bridge, final List<String> findings)
    {
        if (bridge.violations().hasViolations())
        {
            findings.add("bridge: " + bridge.violations().report().strip());
        }
        if (0 != bridge.delegateThrowableCount())
        {
            findings.add("bridge: the allocator threw " + bridge.delegateThrowableCount() + " times, first: "
                + bridge.firstDelegateThrowable());
        }
    }

    private static void requireVulkan()
    {
        final VulkanAvailability.Availability availability = VulkanAvailability.probe();
        if (!availability.available())
        {
            throw new IllegalStateException(availability.detail());
        }
    }

    /** One create/enumerate/create/destroy/destroy run: its outcome and findings. */
    private static final class Iteration implements VulkanCallListener
    {
        private final List<String> findings = new ArrayList<>();
        private String outcome = ALL_SUCCEEDED;
        private String deviceName = "";
        private long attempts;

        @Override
        public void afterCall(final String function, final int result)
        {
            if (!VkResults.isSuccessOrOutOfHostMemory(result))
            {
                findings.add(function + " returned " + VkResults.name(result));
            }
        }

        void run(final VulkanCalls vk)
        {
            if (!check(VulkanCalls.CREATE_INSTANCE, vk.createInstance(), vk))
            {
                return;
            }
            if (check(VulkanCalls.ENUMERATE_PHYSICAL_DEVICES, vk.selectPhysicalDevice(), null))
            {
                if (!vk.hasPhysicalDevice())
                {
                    outcome = "vkEnumeratePhysicalDevices -> VK_SUCCESS with 0 devices";
                    findings.add("vkEnumeratePhysicalDevices returned VK_SUCCESS but no physical device");
                }
                else
                {
                    deviceName = vk.deviceName();
                    if (check(VulkanCalls.CREATE_DEVICE, vk.createDevice(), vk))
                    {
                        vk.destroyDevice();
                    }
                }
            }
            vk.destroyInstance();
        }

        private boolean check(final String function, final int result, final VulkanCalls handleOwner)
        {
            if (VkResults.SUCCESS == result)
            {
                return true;
            }
            outcome = function + " -> " + VkResults.name(result);
            if (null != handleOwner && 0 != handleOwner.lastHandle())
            {
                findings.add(function + " returned " + VkResults.name(result) + " but set the handle to 0x"
                    + Long.toHexString(handleOwner.lastHandle()));
            }
            return false;
        }
    }
}
