package dev.hostalloc.driver.vulkan;

import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.testkit.AllocationStatistics;
import dev.hostalloc.testkit.ValidationReport;
import java.util.List;
import java.util.Objects;

/**
 * What {@link VulkanSmokeRun} saw: the device, every call with the allocator's state after it, the
 * findings, the validation of the whole recording after teardown (nothing may be live), the per-scope
 * statistics and the bridge's own violation count.
 */
public final class SmokeResult
{
    private final String deviceName;
    private final String driverInfo;
    private final ValidationReport report;
    private final List<SmokeStep> steps;
    private final List<String> findings;
    private final List<String> notes;
    private final long bridgeViolations;
    private final String bridgeViolationReport;
    private final long delegateThrowables;

    SmokeResult(
        final String deviceName,
        final String driverInfo,
        final ValidationReport report,
        final List<SmokeStep> steps,
        final List<String> findings,
        final List<String> notes,
        final long bridgeViolations,
        final String bridgeViolationReport,
        final long delegateThrowables)
    {
        this.deviceName = Objects.requireNonNull(deviceName);
        this.driverInfo = Objects.requireNonNull(driverInfo);
        this.report = Objects.requireNonNull(report);
        this.steps = List.copyOf(steps);
        this.findings = List.copyOf(findings);
        this.notes = List.copyOf(notes);
        this.bridgeViolations = bridgeViolations;
        this.bridgeViolationReport = Objects.requireNonNull(bridgeViolationReport);
        this.delegateThrowables = delegateThrowables;
    }

    /**
     * The device the run used.
     *
     * @return e.g. {@code "llvmpipe (LLVM 15.0.6, 256 bits)"}; empty when none was found.
     */
    public String deviceName()
    {
        return deviceName;
    }

    /**
     * The driver's name, info string and Vulkan version.
     *
     * @return e.g. {@code "llvmpipe Mesa 22.3.6 (LLVM 15.0.6), Vulkan 1.3.230"}.
     */
    public String driverInfo()
    {
        return driverInfo;
    }

    /**
     * The CTS check of the whole recording after teardown, with no scope allowed to be live (mask 0).
     *
     * @return the report.
     */
    public ValidationReport report()
    {
        return report;
    }

    /**
     * Every Vulkan call in order, with the allocator's state after it.
     *
     * @return an unmodifiable list.
     */
    public List<SmokeStep> steps()
    {
        return steps;
    }

    /**
     * What went wrong, one line each, naming the call: a result other than {@code VK_SUCCESS}, a
     * COMMAND-scope block alive after a call returned, a violation the validator found during a call.
     *
     * @return an unmodifiable list; empty on a clean run.
     */
    public List<String> findings()
    {
        return findings;
    }

    /**
     * Observations that do not fail the run: an object's memory (the non-COMMAND blocks its create call
     * allocated) left alive by its destroy call, and the later call that freed it. A driver doing this
     * uses an object's allocator after the object's {@code vkDestroy*} returned, which breaks an
     * application whose per-object callbacks end there.
     *
     * @return an unmodifiable list, one line each with exact block counts, bytes and scopes.
     */
    public List<String> notes()
    {
        return notes;
    }

    /**
     * Per-scope counts of the whole run.
     *
     * @return the statistics of the final validation.
     */
    public AllocationStatistics statistics()
    {
        return report.statistics();
    }

    /**
     * Violations the bridge recorded (invalid scopes or types from the driver, or violations a throwing
     * allocator raised inside a callback).
     *
     * @return the count.
     */
    public long bridgeViolations()
    {
        return bridgeViolations;
    }

    /**
     * Throwables other than violations that the allocator threw inside a callback (bugs; the driver saw
     * NULL or nothing).
     *
     * @return the count.
     */
    public long delegateThrowables()
    {
        return delegateThrowables;
    }

    /**
     * Whether the run was clean.
     *
     * @return {@code true} when there are no findings, the final report passed, and the bridge saw no
     *         violation and no throwable.
     */
    public boolean passed()
    {
        return findings.isEmpty() && report.passed() && 0 == bridgeViolations && 0 == delegateThrowables;
    }

    /**
     * A report a person can read: verdict, device, findings, per-scope statistics, every call, and the
     * final validation.
     *
     * @return the text.
     */
    public String text()
    {
        final String nl = System.lineSeparator();
        final StringBuilder sb = new StringBuilder(8192);
        sb.append("Vulkan smoke run: ").append(passed() ? "PASS" : "FAIL").append(nl);
        sb.append("device: ").append(deviceName).append(nl);
        sb.append("driver: ").append(driverInfo).append(nl);
        sb.append("calls: ").append(steps.size()).append(", findings: ").append(findings.size())
            .append(", notes: ").append(notes.size())
            .append(", bridge violations: ").append(bridgeViolations)
            .append(", allocator throwables: ").append(delegateThrowables).append(nl);
        for (final String finding : findings)
        {
            sb.append("  FINDING ").append(finding).append(nl);
        }
        for (final String note : notes)
        {
            sb.append("  NOTE ").append(note).append(nl);
        }
        if (0 != bridgeViolations)
        {
            sb.append(bridgeViolationReport).append(nl);
        }
        sb.append("allocations per scope:").append(nl).append(statistics().text());
        sb.append("calls:").append(nl);
        for (final SmokeStep step : steps)
        {
            sb.append(step).append(nl);
        }
        sb.append("after teardown (allowed live scopes: none): ").append(nl).append(report.text());
        return sb.toString();
    }

    /**
     * Allocations in one scope, for quick reading.
     *
     * @param scope the scope.
     * @return {@code statistics().allocations(scope)}.
     */
    public long allocations(final SystemAllocationScope scope)
    {
        return statistics().allocations(scope);
    }

    @Override
    public String toString()
    {
        return text();
    }
}
