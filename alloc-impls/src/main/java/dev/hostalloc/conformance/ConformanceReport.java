package dev.hostalloc.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The results of running a {@link ConformanceSuite} against one allocator, in suite order.
 */
public final class ConformanceReport
{
    private static final String LINE = System.lineSeparator();
    private static final String DETAIL_INDENT = "        ";

    private final List<ConformanceResult> results;

    /**
     * Creates a report.
     *
     * @param results the results in suite order; copied.
     */
    public ConformanceReport(final List<ConformanceResult> results)
    {
        this.results = List.copyOf(results);
    }

    /**
     * Every result, in suite order.
     *
     * @return an unmodifiable list.
     */
    public List<ConformanceResult> results()
    {
        return results;
    }

    /**
     * Whether the allocator conforms: no check failed (skipped checks do not count against it).
     *
     * @return {@code true} when no result is {@link ConformanceResult.Outcome#FAILED}.
     */
    public boolean passed()
    {
        return count(ConformanceResult.Outcome.FAILED) == 0;
    }

    /**
     * The results that failed.
     *
     * @return a new list, in suite order.
     */
    public List<ConformanceResult> failures()
    {
        final List<ConformanceResult> failed = new ArrayList<>();
        for (final ConformanceResult result : results)
        {
            if (result.failed())
            {
                failed.add(result);
            }
        }
        return failed;
    }

    /**
     * The result of one check.
     *
     * @param name the check's name.
     * @return the result, or empty when no check of that name ran.
     */
    public Optional<ConformanceResult> result(final String name)
    {
        for (final ConformanceResult result : results)
        {
            if (result.name().equals(name))
            {
                return Optional.of(result);
            }
        }
        return Optional.empty();
    }

    /**
     * How many checks ended with {@code outcome}.
     *
     * @param outcome the outcome to count.
     * @return the count.
     */
    public int count(final ConformanceResult.Outcome outcome)
    {
        int n = 0;
        for (final ConformanceResult result : results)
        {
            if (result.outcome() == outcome)
            {
                n++;
            }
        }
        return n;
    }

    /**
     * The report for a person: a summary line, then one line per check ({@code PASS}, {@code FAIL}
     * or {@code SKIP}, name, rule) with the failure message or skip reason indented below it.
     *
     * @return the text, ending with a line separator.
     */
    public String text()
    {
        int width = 0;
        for (final ConformanceResult result : results)
        {
            width = Math.max(width, result.name().length());
        }
        final StringBuilder sb = new StringBuilder(256 + 128 * results.size());
        sb.append("conformance: ").append(count(ConformanceResult.Outcome.PASSED)).append(" passed, ")
            .append(count(ConformanceResult.Outcome.FAILED)).append(" failed, ")
            .append(count(ConformanceResult.Outcome.SKIPPED)).append(" skipped of ")
            .append(results.size()).append(" checks").append(LINE);
        for (final ConformanceResult result : results)
        {
            sb.append("  ").append(label(result.outcome())).append("  ").append(result.name());
            sb.append(" ".repeat(width - result.name().length())).append("  ").append(result.rule()).append(LINE);
            if (!result.passed())
            {
                for (final String line : result.detail().split("\\R"))
                {
                    sb.append(DETAIL_INDENT).append(line).append(LINE);
                }
            }
        }
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return text();
    }

    private static String label(final ConformanceResult.Outcome outcome)
    {
        return switch (outcome)
        {
            case PASSED -> "PASS";
            case FAILED -> "FAIL";
            case SKIPPED -> "SKIP";
        };
    }
}
