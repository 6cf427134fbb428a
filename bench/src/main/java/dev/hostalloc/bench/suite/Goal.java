package dev.hostalloc.bench.suite;

import java.util.Locale;
import java.util.Objects;

/**
 * One performance goal of issue 10, checked against a reference row of the same run: either a ratio
 * ({@code ns/op ≤ limit × reference}) or an added cost ({@code ns/op − reference ≤ limit} nanoseconds).
 *
 * @param kind      ratio or added nanoseconds.
 * @param limit     the bound.
 * @param reference the label of the row the goal compares with.
 */
public record Goal(Kind kind, double limit, String reference)
{
    /** How a goal compares. */
    public enum Kind
    {
        /** {@code ns ≤ limit × reference ns}. */
        RATIO,
        /** {@code ns − reference ns ≤ limit}. */
        ADDED_NANOS
    }

    /**
     * Validates the goal.
     *
     * @throws NullPointerException     when {@code kind} or {@code reference} is {@code null}.
     * @throws IllegalArgumentException when {@code limit} is not positive.
     */
    public Goal
    {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reference, "reference");
        if (!(limit > 0))
        {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
    }

    /**
     * A ratio goal.
     *
     * @param limit     the largest ratio that holds.
     * @param reference the reference row's label.
     * @return the goal.
     */
    public static Goal ratio(final double limit, final String reference)
    {
        return new Goal(Kind.RATIO, limit, reference);
    }

    /**
     * An added-cost goal.
     *
     * @param nanos     the most nanoseconds per operation the row may add over the reference.
     * @param reference the reference row's label.
     * @return the goal.
     */
    public static Goal addedNanos(final double nanos, final String reference)
    {
        return new Goal(Kind.ADDED_NANOS, nanos, reference);
    }

    /**
     * Whether the goal holds for a measurement.
     *
     * @param nanos          the row's ns/op.
     * @param referenceNanos the reference row's ns/op.
     * @return {@code true} when it holds.
     */
    public boolean holds(final double nanos, final double referenceNanos)
    {
        return kind == Kind.RATIO ? nanos <= limit * referenceNanos : nanos - referenceNanos <= limit;
    }

    /**
     * What the row measured against the goal, e.g. {@code +3.2 ns} or {@code 1.07×}.
     *
     * @param nanos          the row's ns/op.
     * @param referenceNanos the reference row's ns/op.
     * @return the measured figure, formatted.
     */
    public String measured(final double nanos, final double referenceNanos)
    {
        return kind == Kind.RATIO ?
            String.format(Locale.ROOT, "%.2f×", nanos / referenceNanos) :
            String.format(Locale.ROOT, "%+.1f ns", nanos - referenceNanos);
    }

    /**
     * The goal as the table shows it, e.g. {@code ≤ 1.30× pair a=8 glibc}.
     *
     * @return the text.
     */
    public String describe()
    {
        return kind == Kind.RATIO ?
            String.format(Locale.ROOT, "≤ %.2f× %s", limit, reference) :
            String.format(Locale.ROOT, "≤ +%.0f ns over %s", limit, reference);
    }
}
