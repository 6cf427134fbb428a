package dev.hostalloc.render;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.driver.vulkan.LivePointerGuard;
import dev.hostalloc.vulkan.VkResults;
import dev.hostalloc.testkit.DeterministicFailAllocator;
import dev.hostalloc.vulkan.VulkanAvailability;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The Vulkan CTS's {@code alloc_callback_fail} method over the whole renderer on a real driver: every
 * host allocation - the driver's and the renderer's own - goes through a
 * {@link DeterministicFailAllocator}. A counting run (setup, one frame, teardown) counts them; then
 * for each chosen N, allocation N and every later one fail: setup must stop with
 * {@code VK_ERROR_OUT_OF_HOST_MEMORY} surfaced as a {@link RenderSetupException} (or the frame fail
 * that way, or succeed when the failure was tolerated), {@link Renderer#close()} must tear down what
 * exists, and nothing of ours may stay live. Blocks still live when every object of ours is destroyed
 * are the driver's: reported apart, with the call that allocated them; so are frees of pointers the
 * driver never got. A guard above {@code base}
 * refuses frees of pointers it never handed out (a finding, not heap corruption). Validation is off:
 * the layer's own allocations would be swept too.
 */
public final class RenderFaultSweep
{
    /** The outcome of an iteration in which nothing failed. */
    public static final String ALL_SUCCEEDED = "setup + frame succeeded (the failure was absorbed or not reached)";
    /**
     * Failure points known to crash the process (not return an error) on lavapipe (Mesa 22.3.6, LLVM
     * 15): the key is the call and which of its allocations fails ({@code vkCmdBeginRenderPass#1} = its
     * second), found by this sweep and re-checked one by one in child processes with
     * {@code --only N} and {@value #TRY_KNOWN_CRASHES_PROPERTY}. Such points are not tried but listed as
     * skipped with the evidence: lavapipe's command recording and pipeline-layout creation do not check
     * a failed host allocation.
     */
    public static final Map<String, String> KNOWN_DRIVER_CRASHES = Map.of(
        "vkCreatePipelineLayout#0", "SIGSEGV in libvulkan_lvp.so+0x1f29ba under vkCreatePipelineLayout",
        "vkCmdBeginRenderPass#1", "SIGSEGV in libvulkan_lvp.so+0xd86b6 under vkCmdBeginRenderPass",
        "vkCmdBeginRenderPass#4", "SIGSEGV in libvulkan_lvp.so+0xd8826 under vkCmdBeginRenderPass",
        "vkCmdBindDescriptorSets#1", "SIGSEGV in libc memcpy under vkCmdBindDescriptorSets",
        "vkCmdEndRenderPass#2", "SIGSEGV in libvulkan_lvp.so+0xd86b6 under vkCmdEndRenderPass",
        "vkCmdEndRenderPass#5", "SIGSEGV in libvulkan_lvp.so+0xd86b6 under vkCmdEndRenderPass");

    /**
     * System property: {@code true} tries the known crash points too (to re-check a driver; expect the
     * JVM to die). Combine with {@code --only N} to check one point in a child process.
     */
    public static final String TRY_KNOWN_CRASHES_PROPERTY = "hostalloc.faultsweep.tryKnownCrashes";

    /** System property: {@code true} prints each counted allocation's call and each point tried to stderr. */
    public static final String TRACE_PROPERTY = "hostalloc.faultsweep.trace";

    /** {@code only} value of {@link #run}: sweep, not one point. */
    public static final long ALL_POINTS = -1;

    /** Every index of the frame-and-teardown range is tried. */
    public static final int ALL_FRAME_POINTS = -1;

    /** Told after each failure point. */
    @FunctionalInterface
    public interface Progress
    {
        /**
         * A failure point ran.
         *
         * @param done  points run so far.
         * @param total points in the sweep.
         */
        void tried(int done, int total);
    }

    private RenderFaultSweep()
    {
    }

    /**
     * Runs the sweep: every N of setup, and of the frame-and-teardown range every N or an even sample.
     *
     * @param base         the allocator serving the passing allocations (e.g. {@code system}).
     * @param framesSample how many failure points to try in the frame-and-teardown range (evenly
     *                     spaced, always including its first), or {@link #ALL_FRAME_POINTS}.
     * @param only         the one failure point to try (e.g. to re-check a crash in a child process), or
     *                     {@link #ALL_POINTS} for the sweep.
     * @param progress     told after each failure point.
     * @return the outcome table, findings and driver leaks.
     * @throws IllegalStateException when Vulkan is unavailable or the counting run fails.
     */
    public static FaultSweepResult run(
        final AllocationCallbacks base, final int framesSample, final long only, final Progress progress)
    {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(progress, "progress");
        final VulkanAvailability.Availability availability = VulkanAvailability.probe();
        if (!availability.available())
        {
            throw new IllegalStateException(availability.detail());
        }
        final long start = System.nanoTime();
        final RenderTrace trace = new RenderTrace();
        final LivePointerGuard guard = new LivePointerGuard(base);
        final DeterministicFailAllocator failing =
            new DeterministicFailAllocator(guard, DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
        final StepTaggingAllocator tagged = new StepTaggingAllocator(failing, trace);

        failing.reset(DeterministicFailAllocator.Mode.COUNT_AND_FAIL, Long.MAX_VALUE);
        tagged.recordAttempts();
        final String device;
        final long setup;
        final long frame;
        try (Renderer renderer = Renderer.open(tagged, tagged, false, trace))
        {
            setup = failing.attempts();
            renderer.renderFrame(0);
            frame = failing.attempts() - setup;
            device = renderer.deviceName();
        }
        catch (final RenderSetupException ex)
        {
            throw new IllegalStateException("the counting run failed: " + ex.getMessage(), ex);
        }
        final long total = failing.attempts();
        final List<String> attemptSteps = tagged.stopRecordingAttempts();
        if (attemptSteps.size() != total)
        {
            throw new IllegalStateException("counted " + total + " attempts but tagged " + attemptSteps.size());
        }
        final List<String> findings = new ArrayList<>();
        final List<String> driverLeaks = new ArrayList<>();
        if (!tagged.liveTags().isEmpty())
        {
            driverLeaks.add("counting run: " + summarize(tagged.liveTags()));
            tagged.forget();
        }

        final List<String> keys = attemptKeys(attemptSteps);
        if (Boolean.getBoolean(TRACE_PROPERTY))
        {
            for (int i = (int)Math.max(0, setup - 40); i < total; i++)
            {
                System.err.println("faultsweep: attempt " + i + " in " + keys.get(i));
            }
        }
        final List<Long> tried = ALL_POINTS == only ? indices(setup, total, framesSample) : List.of(only);
        if (ALL_POINTS != only && (only < 0 || only >= total))
        {
            throw new IllegalArgumentException("only must be in [0, " + total + "): " + only);
        }
        final Map<Long, String> outcomes = new TreeMap<>();
        int done = 0;
        for (final long n : tried)
        {
            failing.reset(DeterministicFailAllocator.Mode.COUNT_AND_FAIL, n);
            final String crash = KNOWN_DRIVER_CRASHES.get(keys.get((int)n));
            if (null != crash && !Boolean.getBoolean(TRY_KNOWN_CRASHES_PROPERTY))
            {
                outcomes.put(n, "skipped: known lavapipe crash when allocation " + keys.get((int)n) + " fails (" + crash + ")");
                progress.tried(++done, tried.size());
                continue;
            }
            if (Boolean.getBoolean(TRACE_PROPERTY))
            {
                System.err.println("faultsweep: N=" + n + " in " + keys.get((int)n));
                System.err.flush();
            }
            final long refusedBefore = guard.refusedCount();
            outcomes.put(n, iterate(n, tagged, trace, findings, driverLeaks));
            final List<String> badFrees = tagged.takeUnknownFrees();
            final long refused = guard.refusedCount() - refusedBefore;
            if (!badFrees.isEmpty())
            {
                // the renderer frees only its own block, allocated through the tagger: these are the driver's
                driverLeaks.add("N=" + n + ": the driver freed " + badFrees.size()
                    + " pointer(s) it never got from pAllocator (refused by the guard, no heap corruption), during "
                    + String.join(", ", new java.util.TreeSet<>(badFrees)));
            }
            else if (0 != refused)
            {
                findings.add("N=" + n + ": " + refused + " frees/reallocations of pointers never handed out");
            }
            failing.reset(DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
            progress.tried(++done, tried.size());
        }
        return new FaultSweepResult(device, setup, frame, total, tried, compress(outcomes), findings, driverLeaks,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /**
     * The failure indices to try: all of {@code [0, setup)}, then of {@code [setup, total)} all or
     * {@code sample} evenly spaced ones.
     *
     * @param setup  allocations of setup.
     * @param total  allocations of setup, frame and teardown.
     * @param sample points in the frame range, or {@link #ALL_FRAME_POINTS}.
     * @return ascending indices.
     */
    public static List<Long> indices(final long setup, final long total, final int sample)
    {
        final List<Long> indices = new ArrayList<>();
        for (long n = 0; n < setup; n++)
        {
            indices.add(n);
        }
        final long range = total - setup;
        if (ALL_FRAME_POINTS == sample || sample >= range)
        {
            for (long n = setup; n < total; n++)
            {
                indices.add(n);
            }
        }
        else
        {
            for (int i = 0; i < sample; i++)
            {
                indices.add(setup + i * range / sample);
            }
        }
        return indices;
    }

    /**
     * Names each counted allocation by its call and its position among that call's consecutive
     * allocations, e.g. {@code vkCmdDraw#0}.
     *
     * @param steps the step of each attempt.
     * @return the keys.
     */
    static List<String> attemptKeys(final List<String> steps)
    {
        final List<String> keys = new ArrayList<>(steps.size());
        int k = 0;
        for (int i = 0; i < steps.size(); i++)
        {
            k = i > 0 && steps.get(i).equals(steps.get(i - 1)) ? k + 1 : 0;
            keys.add(steps.get(i) + "#" + k);
        }
        return keys;
    }

    private static String iterate(
        final long n,
        final StepTaggingAllocator tagged,
        final RenderTrace trace,
        final List<String> findings,
        final List<String> driverLeaks)
    {
        String outcome = ALL_SUCCEEDED;
        Renderer renderer = null;
        boolean ourObjectsAlive = false;
        long bridgeViolations = 0;
        String bridgeReport = "";
        try
        {
            renderer = Renderer.open(tagged, tagged, false, trace);
            try
            {
                renderer.renderFrame(0);
            }
            catch (final RenderSetupException ex)
            {
                outcome = "frame: " + ex.getMessage();
                check(n, ex, findings);
            }
        }
        catch (final RenderSetupException ex)
        {
            outcome = "setup: " + ex.getMessage();
            check(n, ex, findings);
        }
        catch (final RuntimeException ex)
        {
            outcome = "exception " + ex.getClass().getSimpleName();
            findings.add("N=" + n + ": " + ex);
        }
        finally
        {
            if (null != renderer)
            {
                renderer.close();
                ourObjectsAlive = renderer.anyObjectAlive();
                bridgeViolations = renderer.bridgeViolationCount();
                bridgeReport = renderer.bridgeViolationReport();
            }
        }
        if (ourObjectsAlive)
        {
            findings.add("N=" + n + ": Vulkan objects of the renderer alive after close()");
        }
        if (0 != bridgeViolations)
        {
            findings.add("N=" + n + ": bridge violations: " + bridgeReport.strip());
        }
        final List<StepTaggingAllocator.Tag> live = tagged.liveTags();
        final List<StepTaggingAllocator.Tag> ours = new ArrayList<>();
        for (final StepTaggingAllocator.Tag tag : live)
        {
            if (Renderer.STEP_APP_MEMORY.equals(tag.step()))
            {
                ours.add(tag);
            }
        }
        if (!ours.isEmpty())
        {
            findings.add("N=" + n + ": the renderer's own memory alive after close(): " + summarize(ours));
            live.removeAll(ours);
        }
        if (!live.isEmpty())
        {
            // everything of ours is destroyed and the app block freed: what remains, the driver kept
            final String summary = summarize(live);
            driverLeaks.add("N=" + n + ": " + summary);
            outcome += "; driver leak: " + summary;
            tagged.forget();
        }
        return outcome;
    }

    private static void check(final long n, final RenderSetupException ex, final List<String> findings)
    {
        if (!ex.outOfHostMemory())
        {
            findings.add("N=" + n + ": " + ex.getMessage() + " (expected " + VkResults.name(VkResults.ERROR_OUT_OF_HOST_MEMORY) + ")");
        }
    }

    private static String summarize(final List<StepTaggingAllocator.Tag> tags)
    {
        final Map<String, long[]> byStep = new TreeMap<>();
        for (final StepTaggingAllocator.Tag tag : tags)
        {
            final long[] figures = byStep.computeIfAbsent(tag.step() + " " + tag.scope(), k -> new long[2]);
            figures[0]++;
            figures[1] += tag.size();
        }
        final StringBuilder sb = new StringBuilder();
        for (final Map.Entry<String, long[]> e : byStep.entrySet())
        {
            if (!sb.isEmpty())
            {
                sb.append(", ");
            }
            sb.append(e.getValue()[0]).append(e.getValue()[0] == 1 ? " block (" : " blocks (").append(e.getValue()[1])
                .append(" B) from ").append(e.getKey());
        }
        return sb.toString();
    }

    private static List<FaultSweepResult.Row> compress(final Map<Long, String> outcomes)
    {
        final List<FaultSweepResult.Row> rows = new ArrayList<>();
        long first = -1;
        long last = -1;
        long count = 0;
        String current = null;
        for (final Map.Entry<Long, String> e : outcomes.entrySet())
        {
            if (e.getValue().equals(current))
            {
                last = e.getKey();
                count++;
                continue;
            }
            if (null != current)
            {
                rows.add(new FaultSweepResult.Row(first, last, count, current));
            }
            first = e.getKey();
            last = e.getKey();
            count = 1;
            current = e.getValue();
        }
        if (null != current)
        {
            rows.add(new FaultSweepResult.Row(first, last, count, current));
        }
        return rows;
    }
}
