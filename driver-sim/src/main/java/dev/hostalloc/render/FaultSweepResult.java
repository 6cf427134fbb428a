package dev.hostalloc.render;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of a {@link RenderFaultSweep}.
 *
 * @param device             the Vulkan device.
 * @param setupAllocations   allocations of a full setup in the counting run.
 * @param frameAllocations   allocations of one frame in the counting run.
 * @param totalAllocations   allocations of setup + one frame + teardown.
 * @param tried              the failure indices tried, ascending.
 * @param rows               consecutive tried indices with the same outcome, compressed.
 * @param findings           breaches: a result other than success or out-of-host-memory, a crash-like
 *                           exception, blocks of ours alive after teardown, bridge violations.
 * @param driverLeaks        the driver's own faults, per failure index: blocks it left alive after
 *                           everything of ours was destroyed, with the call that allocated them, and
 *                           frees of pointers it never got, with the call that made them.
 * @param elapsedMillis      wall time.
 */
public record FaultSweepResult(
    String device,
    long setupAllocations,
    long frameAllocations,
    long totalAllocations,
    List<Long> tried,
    List<Row> rows,
    List<String> findings,
    List<String> driverLeaks,
    long elapsedMillis)
{
    /**
     * A run of consecutive tried indices with one outcome.
     *
     * @param first   the first index.
     * @param last    the last index.
     * @param count   how many indices were tried in the run.
     * @param outcome what happened.
     */
    public record Row(long first, long last, long count, String outcome)
    {
        /**
         * Validates the row.
         *
         * @throws NullPointerException when {@code outcome} is {@code null}.
         */
        public Row
        {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    /**
     * Makes the lists immutable.
     *
     * @throws NullPointerException when a list is {@code null}.
     */
    public FaultSweepResult
    {
        tried = List.copyOf(tried);
        rows = List.copyOf(rows);
        findings = List.copyOf(findings);
        driverLeaks = List.copyOf(driverLeaks);
    }

    /**
     * Whether the renderer passed: no finding (driver leaks are reported apart and do not fail it).
     *
     * @return {@code true} when every failure point was handled cleanly on our side.
     */
    public boolean passed()
    {
        return findings.isEmpty();
    }

    /**
     * The table N → outcome.
     *
     * @return lines ending in {@code '\n'}.
     */
    public String table()
    {
        final StringBuilder sb = new StringBuilder();
        final int width = Long.toString(totalAllocations).length() * 2 + 3;
        sb.append(String.format("%-" + width + "s  %5s  %s%n", "FAIL AT N", "TRIED", "OUTCOME"));
        for (final Row row : rows)
        {
            final String range = row.first == row.last ? Long.toString(row.first) : row.first + ".." + row.last;
            sb.append(String.format("%-" + width + "s  %5d  %s%n", range, row.count, row.outcome));
        }
        return sb.toString();
    }
}
