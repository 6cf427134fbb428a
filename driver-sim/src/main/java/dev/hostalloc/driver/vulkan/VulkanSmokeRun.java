package dev.hostalloc.driver.vulkan;

import static org.lwjgl.vulkan.VK10.VK_BUFFER_USAGE_INDEX_BUFFER_BIT;
import static org.lwjgl.vulkan.VK10.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT;
import static org.lwjgl.vulkan.VK10.VK_BUFFER_USAGE_TRANSFER_DST_BIT;
import static org.lwjgl.vulkan.VK10.VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT;
import static org.lwjgl.vulkan.VK10.VK_BUFFER_USAGE_VERTEX_BUFFER_BIT;
import static org.lwjgl.vulkan.VK10.VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
import static org.lwjgl.vulkan.VK10.VK_IMAGE_USAGE_SAMPLED_BIT;
import static org.lwjgl.vulkan.VK10.VK_IMAGE_USAGE_TRANSFER_DST_BIT;

import static org.lwjgl.vulkan.VK10.VK_NULL_HANDLE;

import dev.hostalloc.vulkan.VkResults;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.testkit.LiveBlock;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationError;
import dev.hostalloc.testkit.ValidationReport;
import dev.hostalloc.testkit.ValidationResult;
import dev.hostalloc.vulkan.VulkanAllocationCallbacks;
import dev.hostalloc.vulkan.VulkanAvailability;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The CTS's {@code object_management.single_alloc_callbacks} idea on a real driver, in one run: with
 * every call's {@code pAllocator} set to a {@link VulkanAllocationCallbacks} over a
 * {@link RecordingAllocator} over the given callbacks, create an instance (Vulkan 1.1, no layers),
 * pick a device (lavapipe, or the first), create a device with one queue, several buffers and images,
 * a pipeline cache with a compute pipeline built through it and a {@code vkGetPipelineCacheData}
 * round trip, a command pool with command buffers (one recording a dispatch of that pipeline); then
 * destroy it all in reverse order.
 *
 * <p>After every Vulkan call the records so far are validated: no COMMAND-scope memory may be live
 * once a call has returned, no violation may appear, and every call must succeed; each breach is a
 * finding naming the call. After teardown nothing may be live ({@code check(0)}). A guard under the
 * recorder refuses frees of pointers the allocator never handed out, so a driver bug of that kind is
 * a finding, not heap corruption.
 */
public final class VulkanSmokeRun
{
    private static final long[] BUFFER_SIZES = { 256, 64 * 1024, 1024 * 1024 };
    private static final int[] BUFFER_USAGES = {
        VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
        VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
        VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | VK_BUFFER_USAGE_INDEX_BUFFER_BIT,
    };
    private static final int[] IMAGE_SIDES = { 64, 256 };
    private static final int[] IMAGE_USAGES = {
        VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT,
        VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT,
    };
    private static final int COMMAND_BUFFER_COUNT = 4;
    private static final byte[] NO_INITIAL_DATA = new byte[0];
    private static final int NO_SCOPE_ALLOWED_LIVE = 0;

    private VulkanSmokeRun()
    {
    }

    /**
     * Runs the smoke sequence on the first CPU device (lavapipe) or else the first device.
     *
     * @param callbacks the allocator under test; it is wrapped, never closed.
     * @return what happened; {@link SmokeResult#passed()} says whether it was clean.
     * @throws IllegalStateException when Vulkan is unavailable (the message says what to install).
     * @throws NullPointerException  when {@code callbacks} is {@code null}.
     */
    public static SmokeResult run(final AllocationCallbacks callbacks)
    {
        return execute(callbacks, VulkanSmokeRun::exercise);
    }

    /**
     * A smaller run that records only a global memory barrier ({@code vkCmdPipelineBarrier} with one
     * {@code VkMemoryBarrier} and no buffer or image barriers) into a command buffer, checked the same
     * way. It tracks a known driver behaviour: Mesa's lavapipe 22.3 asks for a 0-byte block there.
     * hostalloc answers size 0 with a unique block, and the run is clean; an allocator answering NULL
     * makes lavapipe report out of memory and free, on its clean-up path, a pointer it never got (the
     * run's guard refuses that free, so it shows as a finding rather than a libc abort).
     *
     * @param callbacks the allocator under test; it is wrapped, never closed.
     * @return what happened.
     * @throws IllegalStateException when Vulkan is unavailable (the message says what to install).
     * @throws NullPointerException  when {@code callbacks} is {@code null}.
     */
    public static SmokeResult runGlobalMemoryBarrier(final AllocationCallbacks callbacks)
    {
        return execute(callbacks, VulkanSmokeRun::exerciseGlobalMemoryBarrier);
    }

    private static SmokeResult execute(final AllocationCallbacks callbacks, final Scenario scenario)
    {
        Objects.requireNonNull(callbacks, "callbacks");
        final VulkanAvailability.Availability availability = VulkanAvailability.probe();
        if (!availability.available())
        {
            throw new IllegalStateException(availability.detail());
        }

        final RecordingAllocator recorder = new RecordingAllocator(new LivePointerGuard(callbacks));
        final StepChecker checker = new StepChecker(recorder);
        final String deviceName;
        final String driverInfo;
        final long bridgeViolations;
        final String bridgeViolationReport;
        final long delegateThrowables;
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(recorder))
        {
            try (VulkanCalls vk = new VulkanCalls(bridge.struct(), checker))
            {
                final Deque<Runnable> teardown = new ArrayDeque<>();
                try
                {
                    if (setUpDevice(vk, checker, teardown))
                    {
                        scenario.exercise(vk, checker, teardown);
                    }
                }
                finally
                {
                    while (!teardown.isEmpty())
                    {
                        teardown.pop().run();
                    }
                }
                deviceName = vk.deviceName();
                driverInfo = vk.driverInfo();
            }
            bridgeViolations = bridge.violations().totalCount();
            bridgeViolationReport = bridge.violations().report();
            delegateThrowables = bridge.delegateThrowableCount();
        }
        final ValidationReport report = recorder.validate().check(NO_SCOPE_ALLOWED_LIVE);
        return new SmokeResult(deviceName, driverInfo, report, checker.steps, checker.findings, checker.notes,
            bridgeViolations, bridgeViolationReport, delegateThrowables);
    }

    private static boolean setUpDevice(final VulkanCalls vk, final StepChecker checker, final Deque<Runnable> teardown)
    {
        if (!checker.succeeded(vk.createInstance()))
        {
            return false;
        }
        final Owned instance = checker.owned();
        teardown.push(() ->
        {
            vk.destroyInstance();
            checker.expectFreed(instance);
        });
        if (!checker.succeeded(vk.selectPhysicalDevice()))
        {
            return false;
        }
        if (!vk.hasPhysicalDevice())
        {
            checker.findings.add("vkEnumeratePhysicalDevices: no physical device");
            return false;
        }
        if (!checker.succeeded(vk.createDevice()))
        {
            return false;
        }
        final Owned device = checker.owned();
        teardown.push(() ->
        {
            vk.destroyDevice();
            checker.expectFreed(device);
        });
        return true;
    }

    private static void exercise(final VulkanCalls vk, final StepChecker checker, final Deque<Runnable> teardown)
    {
        for (int i = 0; i < BUFFER_SIZES.length; i++)
        {
            if (!checker.succeeded(vk.createBuffer(BUFFER_SIZES[i], BUFFER_USAGES[i])))
            {
                return;
            }
            final long buffer = vk.lastHandle();
            final Owned owned = checker.owned();
            teardown.push(() ->
            {
                vk.destroyBuffer(buffer);
                checker.expectFreed(owned);
            });
        }
        for (int i = 0; i < IMAGE_SIDES.length; i++)
        {
            if (!checker.succeeded(vk.createImage(IMAGE_SIDES[i], IMAGE_SIDES[i], IMAGE_USAGES[i])))
            {
                return;
            }
            final long image = vk.lastHandle();
            final Owned owned = checker.owned();
            teardown.push(() ->
            {
                vk.destroyImage(image);
                checker.expectFreed(owned);
            });
        }

        final long pipeline = exercisePipelineCache(vk, checker, teardown);
        if (VK_NULL_HANDLE == pipeline)
        {
            return;
        }

        if (!checker.succeeded(vk.createCommandPool()))
        {
            return;
        }
        final long pool = vk.lastHandle();
        final Owned poolMemory = checker.owned();
        teardown.push(() ->
        {
            vk.destroyCommandPool(pool);
            checker.expectFreed(poolMemory);
        });
        if (!checker.succeeded(vk.allocateCommandBuffers(pool, COMMAND_BUFFER_COUNT)))
        {
            return;
        }
        final Owned buffers = checker.owned();
        teardown.push(() ->
        {
            vk.freeCommandBuffers(pool);
            checker.expectFreed(buffers);
        });
        checker.succeeded(vk.recordDispatch(vk.commandBuffers()[0], pipeline));
    }

    private static void exerciseGlobalMemoryBarrier(
        final VulkanCalls vk, final StepChecker checker, final Deque<Runnable> teardown)
    {
        if (!checker.succeeded(vk.createCommandPool()))
        {
            return;
        }
        final long pool = vk.lastHandle();
        teardown.push(() -> vk.destroyCommandPool(pool));
        if (!checker.succeeded(vk.allocateCommandBuffers(pool, 1)))
        {
            return;
        }
        teardown.push(() -> vk.freeCommandBuffers(pool));
        checker.succeeded(vk.recordGlobalMemoryBarrier(vk.commandBuffers()[0]));
    }

    /**
     * A pipeline cache, a compute pipeline built through it, and the cache data round trip: the data
     * of the filled cache seeds a second cache whose data must come back identical.
     *
     * @return the pipeline (destroyed at teardown), or {@code VK_NULL_HANDLE} when a step failed.
     */
    private static long exercisePipelineCache(
        final VulkanCalls vk, final StepChecker checker, final Deque<Runnable> teardown)
    {
        if (!checker.succeeded(vk.createPipelineCache(NO_INITIAL_DATA)))
        {
            return VK_NULL_HANDLE;
        }
        final long cache = vk.lastHandle();
        final Owned cacheMemory = checker.owned();
        teardown.push(() ->
        {
            vk.destroyPipelineCache(cache);
            checker.expectFreed(cacheMemory);
        });

        if (!checker.succeeded(vk.createEmptyComputeShaderModule()))
        {
            return VK_NULL_HANDLE;
        }
        final long module = vk.lastHandle();
        final Owned moduleMemory = checker.owned();
        if (!checker.succeeded(vk.createEmptyPipelineLayout()))
        {
            vk.destroyShaderModule(module);
            return VK_NULL_HANDLE;
        }
        final long layout = vk.lastHandle();
        final Owned layoutMemory = checker.owned();
        teardown.push(() ->
        {
            vk.destroyPipelineLayout(layout);
            checker.expectFreed(layoutMemory);
        });
        final int pipelineResult = vk.createComputePipeline(cache, module, layout);
        final Owned pipelineMemory = checker.owned();
        // A module may be destroyed as soon as the pipelines using it exist.
        vk.destroyShaderModule(module);
        checker.expectFreed(moduleMemory);
        if (!checker.succeeded(pipelineResult))
        {
            return VK_NULL_HANDLE;
        }
        final long pipeline = vk.lastHandle();
        teardown.push(() ->
        {
            vk.destroyPipeline(pipeline);
            checker.expectFreed(pipelineMemory);
        });

        if (!checker.succeeded(vk.getPipelineCacheData(cache)))
        {
            return VK_NULL_HANDLE;
        }
        final byte[] data = vk.pipelineCacheData();
        if (!checker.succeeded(vk.createPipelineCache(data)))
        {
            return VK_NULL_HANDLE;
        }
        final long copy = vk.lastHandle();
        final Owned copyMemory = checker.owned();
        teardown.push(() ->
        {
            vk.destroyPipelineCache(copy);
            checker.expectFreed(copyMemory);
        });
        if (!checker.succeeded(vk.getPipelineCacheData(copy)))
        {
            return VK_NULL_HANDLE;
        }
        final byte[] copied = vk.pipelineCacheData();
        if (!Arrays.equals(data, copied))
        {
            checker.findings.add("vkGetPipelineCacheData: a cache created from " + data.length
                + " bytes of cache data gave back " + copied.length + " different bytes");
        }
        return pipeline;
    }

    /** The part of a run between device creation and teardown. */
    @FunctionalInterface
    private interface Scenario
    {
        void exercise(VulkanCalls vk, StepChecker checker, Deque<Runnable> teardown);
    }

    /**
     * The non-COMMAND blocks a create call allocated and left live: the memory of the object it made,
     * which its destroy call is expected to free.
     */
    private record Owned(String createCall, List<LiveBlock> blocks)
    {
    }

    /** Blocks a destroy call left alive, watched until some later call frees them. */
    private static final class Deferred
    {
        private final String destroyCall;
        private final String createCall;
        private final List<LiveBlock> blocks;

        Deferred(final String destroyCall, final String createCall, final List<LiveBlock> blocks)
        {
            this.destroyCall = destroyCall;
            this.createCall = createCall;
            this.blocks = new ArrayList<>(blocks);
        }
    }

    /** Validates the records after every call and turns what it sees into steps, findings and notes. */
    private static final class StepChecker implements VulkanCallListener
    {
        private final RecordingAllocator recorder;
        private final List<SmokeStep> steps = new ArrayList<>();
        private final List<String> findings = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final List<Deferred> deferred = new ArrayList<>();
        private int recordsBefore;
        private int violationsBefore;
        private ValidationResult lastState;
        private String lastCall = "";
        private int lastFrom;
        private int lastTo;

        StepChecker(final RecordingAllocator recorder)
        {
            this.recorder = recorder;
        }

        boolean succeeded(final int result)
        {
            return VkResults.SUCCESS == result;
        }

        /**
         * What the last call allocated that is live and not COMMAND-scope.
         *
         * @return the blocks, with the call that made them.
         */
        Owned owned()
        {
            final List<LiveBlock> blocks = new ArrayList<>();
            for (final LiveBlock block : lastState.liveBlocks())
            {
                if (block.recordIndex() >= lastFrom && block.recordIndex() < lastTo
                    && SystemAllocationScope.COMMAND != block.scope())
                {
                    blocks.add(block);
                }
            }
            return new Owned(lastCall, blocks);
        }

        /**
         * Called right after a destroy call: notes the blocks of {@code owned} it left alive, and
         * watches them until they are freed.
         *
         * @param owned what the matching create call allocated.
         */
        void expectFreed(final Owned owned)
        {
            final List<LiveBlock> still = stillLive(owned.blocks());
            if (!still.isEmpty())
            {
                notes.add(lastCall + " left " + LiveBlocks.summary(still, null) + " that " + owned.createCall()
                    + " allocated alive");
                deferred.add(new Deferred(lastCall, owned.createCall(), still));
            }
        }

        @Override
        public void afterCall(final String function, final int result)
        {
            final int index = steps.size();
            final int records = recorder.recordCount();
            final ValidationResult state = recorder.validate();
            final List<LiveBlock> live = state.liveBlocks();
            long liveBytes = 0;
            for (final LiveBlock block : live)
            {
                liveBytes += block.size();
            }
            final long commandLive = state.liveCount(SystemAllocationScope.COMMAND);
            steps.add(new SmokeStep(index, function, result, records - recordsBefore, live.size(), liveBytes, commandLive));
            final String call = function + " (call #" + index + ")";
            lastState = state;
            lastCall = call;
            lastFrom = recordsBefore;
            lastTo = records;
            recordsBefore = records;

            if (VkResults.NO_RESULT != result && VkResults.SUCCESS != result)
            {
                findings.add(call + " returned " + VkResults.name(result));
            }
            if (0 != commandLive)
            {
                findings.add(call + ": " + LiveBlocks.summary(live, SystemAllocationScope.COMMAND)
                    + " alive after the call returned");
            }
            final long commandInternal =
                state.internalTotal(InternalAllocationType.EXECUTABLE, SystemAllocationScope.COMMAND);
            if (0 != commandInternal)
            {
                findings.add(call + ": " + commandInternal
                    + " bytes of COMMAND-scope internal (EXECUTABLE) memory reported alive after the call returned");
            }
            final List<ValidationError> violations = state.violations();
            for (int i = violationsBefore; i < violations.size(); i++)
            {
                findings.add(call + ": " + violations.get(i));
            }
            violationsBefore = violations.size();
            trackDeferred(call);
        }

        private void trackDeferred(final String call)
        {
            for (int i = deferred.size() - 1; i >= 0; i--)
            {
                final Deferred d = deferred.get(i);
                if (d.destroyCall.equals(call))
                {
                    continue;
                }
                final List<LiveBlock> still = stillLive(d.blocks);
                if (still.size() < d.blocks.size())
                {
                    final List<LiveBlock> freed = new ArrayList<>(d.blocks);
                    freed.removeAll(still);
                    notes.add(call + " freed " + LiveBlocks.summary(freed, null) + " that " + d.createCall
                        + " allocated and " + d.destroyCall + " left alive");
                    d.blocks.retainAll(still);
                    if (d.blocks.isEmpty())
                    {
                        deferred.remove(i);
                    }
                }
            }
        }

        private List<LiveBlock> stillLive(final List<LiveBlock> blocks)
        {
            final List<LiveBlock> still = new ArrayList<>();
            final List<LiveBlock> live = lastState.liveBlocks();
            for (final LiveBlock block : blocks)
            {
                if (live.contains(block))
                {
                    still.add(block);
                }
            }
            return still;
        }
    }
}
