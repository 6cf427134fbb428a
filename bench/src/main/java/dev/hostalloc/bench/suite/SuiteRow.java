package dev.hostalloc.bench.suite;

import java.util.Objects;

/**
 * What one case measured, or why it has no measurement.
 *
 * @param suiteCase  the case.
 * @param nanos      the median ns/op over every measurement iteration of every fork; NaN without one.
 * @param samples    how many iteration scores the median is taken over.
 * @param bytesPerOp {@code gc.alloc.rate.norm}: the mean over the measurement iterations; NaN when absent.
 * @param bytesPerIteration {@code bytesPerOp} times the operations of one measurement iteration (all threads):
 *                   the heap bytes one iteration allocated; NaN when absent.
 * @param problem    {@code null} when measured; else why not (skipped or failed, see {@link #failed}).
 * @param failed     whether the missing measurement is a failure of the run (an error), not a skip.
 */
public record SuiteRow(
    SuiteCase suiteCase, double nanos, long samples, double bytesPerOp, double bytesPerIteration, String problem, boolean failed)
{
    /**
     * The B/op criterion: below half a byte per operation means no heap allocation per operation (JMH's
     * own infrastructure shows 1e-4 to 1e-2 B/op on every fast benchmark, the bare baselines included,
     * which is why the criterion is not "exactly 0"); one allocated object is at least 16 bytes.
     */
    public static final double NO_ALLOCATION_BELOW = 0.5;

    /**
     * How many times the infrastructure's typical bytes per iteration a row may allocate per iteration
     * and still count as allocating nothing itself: for operations of microseconds (guard pages, system
     * calls) an iteration has so few operations that JMH's fixed few kilobytes per iteration exceed half a
     * byte per operation, the bare system-call floor included.
     */
    public static final double INFRASTRUCTURE_SLACK = 2.0;

    /**
     * Validates the row.
     *
     * @throws NullPointerException when {@code suiteCase} is {@code null}.
     */
    public SuiteRow
    {
        Objects.requireNonNull(suiteCase, "suiteCase");
    }

    /**
     * A measured row.
     *
     * @param suiteCase  the case.
     * @param nanos      median ns/op.
     * @param samples    iteration scores behind the median.
     * @param bytesPerOp B/op.
     * @param bytesPerIteration heap bytes per measurement iteration.
     * @return the row.
     */
    public static SuiteRow measured(
        final SuiteCase suiteCase, final double nanos, final long samples, final double bytesPerOp, final double bytesPerIteration)
    {
        return new SuiteRow(suiteCase, nanos, samples, bytesPerOp, bytesPerIteration, null, false);
    }

    /**
     * A row not run, for a reason that is not an error (e.g. Vulkan unavailable and not required).
     *
     * @param suiteCase the case.
     * @param why       the reason.
     * @return the row.
     */
    public static SuiteRow skipped(final SuiteCase suiteCase, final String why)
    {
        return new SuiteRow(suiteCase, Double.NaN, 0, Double.NaN, Double.NaN, why, false);
    }

    /**
     * A row whose run failed.
     *
     * @param suiteCase the case.
     * @param why       the error.
     * @return the row.
     */
    public static SuiteRow failed(final SuiteCase suiteCase, final String why)
    {
        return new SuiteRow(suiteCase, Double.NaN, 0, Double.NaN, Double.NaN, why, true);
    }

    /**
     * Whether the row has a measurement.
     *
     * @return {@code true} when measured.
     */
    public boolean isMeasured()
    {
        return null == problem;
    }

    /**
     * Whether the row meets the allocation criterion as its role demands: a hostalloc stack allocates
     * nothing per operation (B/op below {@link #NO_ALLOCATION_BELOW}, or at most
     * {@link #INFRASTRUCTURE_SLACK} times the infrastructure's bytes per iteration), the control allocates
     * (both above); baselines and rows without a measurement are not judged.
     *
     * @param infrastructureBytesPerIteration what JMH itself allocates per measurement iteration in this
     *                                        run (the least over the baseline rows); NaN when unknown.
     * @return {@code false} only for a measured hostalloc row that allocates, a measured control row that
     *         does not, or a judged row without a B/op figure (the profiler did not run).
     */
    public boolean meetsAllocationCriterion(final double infrastructureBytesPerIteration)
    {
        if (!isMeasured() || suiteCase.role() == SuiteCase.Role.BASELINE)
        {
            return true;
        }
        if (Double.isNaN(bytesPerOp))
        {
            return false;
        }
        final boolean allocatesNothing = bytesPerOp < NO_ALLOCATION_BELOW ||
            bytesPerIteration <= INFRASTRUCTURE_SLACK * infrastructureBytesPerIteration;
        return suiteCase.role() == SuiteCase.Role.HOSTALLOC ? allocatesNothing : !allocatesNothing;
    }
}
