package dev.hostalloc.sim.workload;

import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.sim.DriverStatistics;
import dev.hostalloc.sim.ObjectType;
import dev.hostalloc.sim.SimResult;
import dev.hostalloc.testkit.ValidationReport;

/**
 * What a {@link Simulation} found.
 *
 * @param framesRequested  frames asked for.
 * @param framesRun        frames run (fewer when one failed).
 * @param failedFrame      the first frame whose result or memory was wrong, or -1.
 * @param failure          that frame's result code ({@link SimResult#SUCCESS} when its memory was wrong).
 * @param setupCalls       callback calls (allocations, reallocations, frees) of the setup.
 * @param firstFrameCalls  callback calls of the first frame (its recording grows the chunk chain).
 * @param laterFrameCalls  callback calls of all later frames; 0 for a steady frame loop.
 * @param draws            draws the queue executed.
 * @param statistics       what the driver asked of the callbacks, per object type and scope.
 * @param verdict          the validator's report after teardown, nothing allowed live.
 * @param violations       the violation handler's report, or {@code null} when nothing was reported.
 */
public record SimulationReport(
    int framesRequested,
    int framesRun,
    int failedFrame,
    int failure,
    int setupCalls,
    int firstFrameCalls,
    int laterFrameCalls,
    long draws,
    DriverStatistics statistics,
    ValidationReport verdict,
    String violations)
{
    /**
     * Whether everything held: every frame right, no callback call after the first frame, the
     * validator passed with nothing live, no violation reported.
     *
     * @return {@code true} when the simulation passed.
     */
    public boolean passed()
    {
        return failedFrame < 0 && 0 == laterFrameCalls && verdict.passed() && null == violations;
    }

    /**
     * The report for a person.
     *
     * @return several lines, ending with a newline.
     */
    public String text()
    {
        final StringBuilder sb = new StringBuilder(4096);
        sb.append("Frames: ").append(framesRun).append(" of ").append(framesRequested).append(" run, ")
            .append(draws).append(" draws executed");
        if (failedFrame >= 0)
        {
            sb.append("; FAILED at frame ").append(failedFrame).append(": ")
                .append(SimResult.SUCCESS == failure ? "wrong memory contents" : SimResult.name(failure));
        }
        sb.append('\n');
        sb.append("Callback calls: setup ").append(setupCalls).append(", first frame ").append(firstFrameCalls)
            .append(" (its recording grows the command chunk chain), frames 2..").append(framesRun).append(": ")
            .append(laterFrameCalls).append(0 == laterFrameCalls ? " (steady state allocates nothing)" :
                " (FAILED: a steady frame loop must allocate nothing)").append('\n');
        sb.append('\n').append("Allocations per scope (driver requests, the whole run):\n");
        sb.append(String.format("  %-9s %8s %8s %8s %12s%n", "scope", "allocs", "reallocs", "frees", "bytes"));
        for (final SystemAllocationScope scope : SystemAllocationScope.values())
        {
            long allocations = 0;
            long reallocations = 0;
            long frees = 0;
            long bytes = 0;
            for (final ObjectType type : ObjectType.values())
            {
                allocations += statistics.allocations(type, scope);
                reallocations += statistics.reallocations(type, scope);
                frees += statistics.frees(type, scope);
                bytes += statistics.bytesRequested(type, scope);
            }
            sb.append(String.format("  %-9s %8d %8d %8d %12d%n", scope.name(), allocations, reallocations, frees, bytes));
        }
        sb.append('\n').append("Allocations per object type and scope:\n").append(statistics.text());
        sb.append('\n').append("Validator (CTS validateAllocationCallbacks, nothing may be live after teardown): ")
            .append(verdict.passed() ? "PASSED" : "FAILED").append('\n');
        if (!verdict.passed())
        {
            sb.append(verdict.text());
        }
        sb.append("Violations reported: ").append(null == violations ? "none" : violations.strip()).append('\n');
        return sb.toString();
    }
}
