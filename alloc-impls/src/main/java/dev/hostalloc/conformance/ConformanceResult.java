package dev.hostalloc.conformance;

import java.util.Objects;

/**
 * The outcome of one {@link ConformanceCheck} run.
 *
 * @param name    the check's name.
 * @param rule    the check's rule, one line.
 * @param outcome passed, failed or skipped.
 * @param detail  the failure message or skip reason; empty when passed.
 * @param failure the failure when {@code outcome} is {@link Outcome#FAILED}, else {@code null}.
 */
public record ConformanceResult(String name, String rule, Outcome outcome, String detail, Throwable failure)
{
    /** How a check ended. */
    public enum Outcome
    {
        /** The allocator follows the rule. */
        PASSED,
        /** The allocator breaks the rule; {@link #detail()} says how. */
        FAILED,
        /** The rule does not apply to this allocator; {@link #detail()} says why. */
        SKIPPED
    }

    /**
     * Validates the result.
     *
     * @throws NullPointerException when {@code name}, {@code rule}, {@code outcome} or {@code detail} is null.
     */
    public ConformanceResult
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * Whether the check passed.
     *
     * @return {@code true} for {@link Outcome#PASSED}.
     */
    public boolean passed()
    {
        return outcome == Outcome.PASSED;
    }

    /**
     * Whether the check failed.
     *
     * @return {@code true} for {@link Outcome#FAILED}.
     */
    public boolean failed()
    {
        return outcome == Outcome.FAILED;
    }

    /**
     * Whether the check was skipped.
     *
     * @return {@code true} for {@link Outcome#SKIPPED}.
     */
    public boolean skipped()
    {
        return outcome == Outcome.SKIPPED;
    }
}
