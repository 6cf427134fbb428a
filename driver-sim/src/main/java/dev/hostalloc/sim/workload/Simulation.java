package dev.hostalloc.sim.workload;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.sim.DriverStatistics;
import dev.hostalloc.sim.SimDriver;
import dev.hostalloc.sim.SimResult;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationReport;

/**
 * Runs the {@link FrameWorkload} on driver-sim with given callbacks (recorded), and reports what
 * the driver asked of them per object type and scope, how many callback calls the frames after
 * the first made (must be 0), whether every frame's results were right, and the validator's verdict
 * once everything is destroyed (nothing may be live).
 */
public final class Simulation
{
    /** Frames run unless told otherwise. */
    public static final int DEFAULT_FRAMES = 1000;

    private Simulation()
    {
    }

    /**
     * Runs {@code frames} frames.
     *
     * @param callbacks  the stack under test: the driver's own mechanism and the instance's callbacks,
     *                   so every object's memory comes from it.
     * @param violations the handler the driver reports to (also the stack's, usually).
     * @param frames     frames to run, at least 1.
     * @return the report.
     * @throws IllegalArgumentException when {@code frames} is below 1.
     * @throws IllegalStateException    when setting up the workload fails.
     */
    public static SimulationReport run(
        final AllocationCallbacks callbacks, final RecordingViolationHandler violations, final int frames)
    {
        if (frames < 1)
        {
            throw new IllegalArgumentException("frames must be at least 1: " + frames);
        }
        final RecordingAllocator recorder = new RecordingAllocator(callbacks);
        final SimDriver driver = new SimDriver(recorder, violations);
        final FrameWorkload workload = new FrameWorkload(driver, recorder);
        final int setupCalls = recorder.recordCount();
        int failedFrame = -1;
        int failure = SimResult.SUCCESS;
        int firstFrameCalls = 0;
        int framesRun = 0;
        int laterFrameCalls;
        long draws;
        try
        {
            for (int frame = 0; frame < frames; frame++)
            {
                final int result = workload.frame(frame);
                framesRun++;
                if (SimResult.SUCCESS != result || !workload.verify(frame))
                {
                    failedFrame = frame;
                    failure = result;
                    break;
                }
                if (0 == frame)
                {
                    firstFrameCalls = recorder.recordCount() - setupCalls;
                }
            }
            laterFrameCalls = recorder.recordCount() - setupCalls - firstFrameCalls;
            draws = driver.queueDrawCount(workload.queue());
        }
        finally
        {
            workload.close();
        }
        final DriverStatistics statistics = driver.statistics().snapshot();
        final ValidationReport verdict = recorder.validate().check(0);
        return new SimulationReport(frames, framesRun, failedFrame, failure, setupCalls, firstFrameCalls,
            laterFrameCalls, draws, statistics, verdict, violations.hasViolations() ? violations.report() : null);
    }
}
