package dev.hostalloc.testkit;

import java.util.List;

/**
 * The verdict of {@link ValidationResult#check(int)}: violations, leaks and statistics, with a report
 * a person can read. Immutable.
 */
public final class ValidationReport
{
    private final List<ValidationError> violations;
    private final List<LiveBlock> leaks;
    private final List<InternalLeak> internalLeaks;
    private final AllocationStatistics statistics;

    ValidationReport(
        final List<ValidationError> violations,
        final List<LiveBlock> leaks,
        final List<InternalLeak> internalLeaks,
        final AllocationStatistics statistics)
    {
        this.violations = List.copyOf(violations);
        this.leaks = List.copyOf(leaks);
        this.internalLeaks = List.copyOf(internalLeaks);
        this.statistics = statistics;
    }

    /**
     * Whether the recording is clean.
     *
     * @return {@code true} when there are no violations, no leaked blocks and no leaked internal memory.
     */
    public boolean passed()
    {
        return violations.isEmpty() && leaks.isEmpty() && internalLeaks.isEmpty();
    }

    /**
     * The misuse found.
     *
     * @return an unmodifiable list.
     */
    public List<ValidationError> violations()
    {
        return violations;
    }

    /**
     * Live blocks in scopes that had to be empty.
     *
     * @return an unmodifiable list.
     */
    public List<LiveBlock> leaks()
    {
        return leaks;
    }

    /**
     * Outstanding internal-allocation totals in scopes that had to be empty.
     *
     * @return an unmodifiable list.
     */
    public List<InternalLeak> internalLeaks()
    {
        return internalLeaks;
    }

    /**
     * The recording's statistics.
     *
     * @return the statistics.
     */
    public AllocationStatistics statistics()
    {
        return statistics;
    }

    /**
     * The report: a verdict line, one line per violation and per leak (sizes, scopes, addresses), then
     * the per-scope statistics.
     *
     * @return the report.
     */
    public String text()
    {
        final String nl = System.lineSeparator();
        final StringBuilder sb = new StringBuilder(1024);
        sb.append(passed() ? "PASS" : "FAIL").append(": ")
            .append(violations.size()).append(violations.size() == 1 ? " violation, " : " violations, ")
            .append(leaks.size() + internalLeaks.size()).append(leaks.size() + internalLeaks.size() == 1 ? " leak" : " leaks")
            .append(nl);
        for (final ValidationError violation : violations)
        {
            sb.append("  ").append(violation).append(nl);
        }
        long leakedBytes = 0;
        for (final LiveBlock leak : leaks)
        {
            sb.append("  LEAK ").append(leak).append(nl);
            leakedBytes += leak.size();
        }
        for (final InternalLeak leak : internalLeaks)
        {
            sb.append("  LEAK ").append(leak).append(nl);
        }
        if (!leaks.isEmpty())
        {
            sb.append("  leaked ").append(leaks.size()).append(" blocks, ").append(leakedBytes).append(" bytes").append(nl);
        }
        sb.append(statistics.text());
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return text();
    }
}
