package dev.hostalloc.tests.logging;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.driver.vulkan.SmokeResult;
import dev.hostalloc.driver.vulkan.VulkanSmokeRun;
import dev.hostalloc.logging.LoggingAllocator;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.DeterministicFailAllocator;
import dev.hostalloc.trace.ReplayResult;
import dev.hostalloc.trace.TraceReader;
import dev.hostalloc.trace.TraceReplayer;
import dev.hostalloc.vulkan.VulkanAvailability;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The round trip: record the foundation's lavapipe smoke run through {@code logging}, then
 * replay the trace against other stacks: each must reach the same peak bytes as the run itself, with
 * 0 violations, 0 failures and nothing skipped. The {@code cookies,system} and {@code accounting,system}
 * targets join automatically once those elements are registered.
 */
class LavapipeTraceRoundTripTest
{
    /** Element names whose {@code <name>,system} stack the trace is replayed against when registered. */
    private static final List<String> DECORATORS_WANTED = List.of("cookies", "accounting");

    @TempDir
    static Path dir;

    private static Path trace;
    private static SmokeResult smoke;
    private static LoggingAllocator recorder;

    @BeforeAll
    static void recordTheLavapipeRun()
    {
        final VulkanAvailability.Availability availability = VulkanAvailability.probeOrFailIfRequired();
        Assumptions.assumeTrue(availability.available(), availability::detail);
        trace = dir.resolve("lavapipe.trace");
        final AllocationCallbacks stack = Allocators.fromSpec("logging:" + trace + ",system");
        assertTrue(stack instanceof LoggingAllocator, String.valueOf(stack));
        recorder = (LoggingAllocator)stack;
        try
        {
            smoke = VulkanSmokeRun.run(stack);
        }
        finally
        {
            recorder.close();
        }
        assertTrue(smoke.passed(), smoke.text());
    }

    @TestFactory
    List<DynamicTest> replaysOfTheLavapipeRun() throws Exception
    {
        final TraceReader reader = TraceReader.open(trace);
        final List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("the trace is complete", () ->
        {
            assertTrue(reader.isComplete(), reader.describe());
            assertEquals(0, reader.recordsDropped(), reader.describe());
            assertEquals(recorder.recordsWritten(), reader.recordCount());
            final long calls = smoke.statistics().totalAllocations() + smoke.statistics().frees();
            assertTrue(reader.recordCount() >= calls, reader.recordCount() + " records for " + calls + " calls");
        }));
        for (final Map.Entry<String, Function<RecordingViolationHandler, AllocationCallbacks>> target : targets().entrySet())
        {
            tests.add(DynamicTest.dynamicTest("replay against " + target.getKey(), () ->
            {
                final RecordingViolationHandler violations = ViolationHandler.recordAndCount();
                final AllocationCallbacks stack = target.getValue().apply(violations);
                final ReplayResult result;
                try
                {
                    result = TraceReplayer.replay(reader, stack, true, TraceReplayer.Progress.NONE);
                }
                finally
                {
                    if (stack instanceof LoggingAllocator logging)
                    {
                        logging.close();
                    }
                }
                assertTrue(result.passed(), result.text());
                assertEquals(0, result.violations().size(), result.text());
                assertFalse(violations.hasViolations(), violations.report());
                assertEquals(Map.of(), result.skipped(), result.text());
                assertEquals(reader.recordCount(), result.replayed(), result.text());
                assertEquals(smoke.statistics().peakLiveBytes(), result.peakBytes(),
                    "the same peak as the lavapipe run itself\n" + result.text());
                assertEquals(0, result.liveAtEnd(), "lavapipe's run frees everything");
            }));
        }
        return tests;
    }

    /** Every stack the trace is replayed against, by name; missing wanted elements are reported. */
    private static Map<String, Function<RecordingViolationHandler, AllocationCallbacks>> targets()
    {
        final Map<String, Function<RecordingViolationHandler, AllocationCallbacks>> targets = new LinkedHashMap<>();
        targets.put("system", handler -> Allocators.fromSpec("system", handler));
        // A second stack built without the spec registry, and one that logs the replay in turn.
        targets.put("a hand-built DeterministicFailAllocator(DO_NOT_COUNT) over SystemAllocator", handler ->
            new DeterministicFailAllocator(new SystemAllocator(handler), DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0));
        targets.put("logging:<replay.trace>,system", handler ->
            Allocators.fromSpec("logging:" + dir.resolve("replay.trace") + ",system", handler));
        for (final String element : DECORATORS_WANTED)
        {
            if (Allocators.elementNames().contains(element))
            {
                final String spec = element + ",system";
                targets.put(spec, handler -> Allocators.fromSpec(spec, handler));
            }
            else
            {
                System.out.println("LavapipeTraceRoundTripTest: element '" + element +
                    "' is not registered yet; the replay against '" + element + ",system' waits for it");
            }
        }
        return targets;
    }
}
