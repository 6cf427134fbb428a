package dev.hostalloc.sim.workload;

import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.sim.ObjectType;
import dev.hostalloc.sim.SimDriver;
import dev.hostalloc.sim.SimResult;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.HeapAllocationMeter;
import dev.hostalloc.testkit.RecordingAllocator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The frame workload: 1 000 frames of create → record → submit → reset. Until the real-time
 * {@code @NoAllocation} audit lands, the validator shows no callback call per frame after the first,
 * and {@link HeapAllocationMeter} shows the frame loop allocates no Java heap.
 */
class FrameWorkloadTest
{
    private static final int FRAMES = 1000;

    @Test
    void thousandFramesComputeTheRightMemoryAndCallTheCallbacksOnlyInTheFirst()
    {
        final RecordingAllocator recorder = new RecordingAllocator(new SystemAllocator(ViolationHandler.throwing()));
        final SimDriver driver = new SimDriver(recorder, ViolationHandler.throwing());
        final FrameWorkload workload = new FrameWorkload(driver, recorder);
        final int setup = recorder.recordCount();
        assertEquals(SimResult.SUCCESS, workload.frame(0));
        assertTrue(workload.verify(0));
        final int afterFirstFrame = recorder.recordCount();
        assertEquals(1, afterFirstFrame - setup, "the first recording allocates one command chunk");
        for (int frame = 1; frame < FRAMES; frame++)
        {
            assertEquals(SimResult.SUCCESS, workload.frame(frame));
            assertTrue(workload.verify(frame), "frame " + frame);
            assertEquals(afterFirstFrame, recorder.recordCount(), "frame " + frame + " called the callbacks");
        }
        assertEquals(FRAMES, driver.queueDrawCount(workload.queue()));
        assertEquals(3L * FRAMES, driver.queueVerticesDrawn(workload.queue()));
        assertEquals(7L * FRAMES, driver.queueCommandsExecuted(workload.queue()));
        assertTrue(recorder.validate().check(SystemAllocationScope.ALL_SCOPES_MASK &
            ~SystemAllocationScope.COMMAND.bit()).passed(), "no COMMAND-scope block outlives a frame");
        workload.close();
        assertTrue(recorder.validate().check(0).passed(), () -> recorder.validate().check(0).text());
        assertEquals(0, driver.statistics().totalLiveBlocks());
    }

    @Test
    void theFrameLoopAllocatesNoJavaHeap()
    {
        final SimDriver driver = new SimDriver(ViolationHandler.throwing());
        final FrameWorkload workload = new FrameWorkload(driver, null);
        try
        {
            final long bytes = HeapAllocationMeter.minimumBytes(workload::frame, 20_000, 10_000, 5);
            assertEquals(0, bytes, "heap bytes per 10 000 frames");
            assertTrue(workload.verify(9_999));
        }
        finally
        {
            workload.close();
        }
    }

    @Test
    void simulationReportsPerTypeAndScopeAndPasses()
    {
        final RecordingViolationHandler violations = ViolationHandler.recordAndCount();
        final SimulationReport report = Simulation.run(new SystemAllocator(violations), violations, 50);
        assertTrue(report.passed(), report::text);
        assertEquals(50, report.framesRun());
        assertEquals(50, report.draws());
        assertEquals(1, report.firstFrameCalls());
        assertEquals(0, report.laterFrameCalls());
        assertEquals(2, report.statistics().allocations(ObjectType.BUFFER, SystemAllocationScope.OBJECT) / 2);
        assertEquals(2, report.statistics().allocations(ObjectType.PIPELINE_CACHE, SystemAllocationScope.CACHE));
        assertEquals(1, report.statistics().allocations(ObjectType.QUEUE, SystemAllocationScope.DEVICE));
        assertTrue(report.text().contains("Validator (CTS validateAllocationCallbacks, nothing may be live after " +
            "teardown): PASSED"), report::text);
        assertFalse(violations.hasViolations());
    }
}
