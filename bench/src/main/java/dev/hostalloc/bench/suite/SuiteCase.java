package dev.hostalloc.bench.suite;

import java.util.Map;
import java.util.Objects;

/**
 * One row of the suite: a JMH benchmark method with fixed parameters, what its ratio is taken against
 * and the goal it must meet.
 *
 * @param label      the row's name in the table, unique in the plan, e.g. {@code pair a=8 cookies,system}.
 * @param role       whether the row is a hostalloc stack, a baseline or the allocation control.
 * @param benchmark  the JMH benchmark class.
 * @param method     the benchmark method.
 * @param params     the JMH parameters, in order.
 * @param ratioTo    the label of the row the ratio column divides by, or {@code null} for none.
 * @param goal       the goal, or {@code null} for none.
 */
public record SuiteCase(
    String label, Role role, Class<?> benchmark, String method, Map<String, String> params, String ratioTo, Goal goal)
{
    /** What the row is, for the B/op criterion. */
    public enum Role
    {
        /** A hostalloc stack: its B/op must meet the criterion or the run fails. */
        HOSTALLOC,
        /** A native or driver baseline: B/op is shown, not judged. */
        BASELINE,
        /** The control that must allocate: if it reads below the criterion, the profiler is not measuring. */
        CONTROL
    }

    /**
     * Validates the case and copies the parameters.
     *
     * @throws NullPointerException when a required component is {@code null}.
     */
    public SuiteCase
    {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(method, "method");
        params = Map.copyOf(Objects.requireNonNull(params, "params"));
    }

    /**
     * The JMH name of the benchmark method.
     *
     * @return {@code <class>.<method>}.
     */
    public String jmhName()
    {
        return benchmark.getName() + "." + method;
    }
}
