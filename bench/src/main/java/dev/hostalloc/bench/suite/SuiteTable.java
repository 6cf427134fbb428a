package dev.hostalloc.bench.suite;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The suite's one table, from the rows of one run: benchmark, median ns/op, the ratio against its
 * reference row (glibc for the per-call rows, the bare system calls for the guard rows,
 * {@code pAllocator = NULL} for the Vulkan rows), B/op and the goal with whether it holds. Rendered as
 * Markdown (what the runner prints) or JSON ({@code --out file.json}).
 */
public final class SuiteTable
{
    /** The goal column's word for a goal that holds. */
    public static final String HOLDS = "yes";

    /** The goal column's word for a goal that does not hold. */
    public static final String MISSES = "NO";

    private static final String NONE = "—";

    private final List<SuiteRow> rows;
    private final Map<String, SuiteRow> byLabel = new LinkedHashMap<>();
    private final double infrastructureBytesPerIteration;

    /**
     * A table of these rows, in this order.
     *
     * @param rows one row per case of the run.
     */
    public SuiteTable(final List<SuiteRow> rows)
    {
        this.rows = List.copyOf(rows);
        for (final SuiteRow row : rows)
        {
            byLabel.put(row.suiteCase().label(), row);
        }
        infrastructureBytesPerIteration = leastBaselineBytesPerIteration(rows);
    }

    /**
     * What JMH's infrastructure allocates per measurement iteration in this run: the least B/op ×
     * operations per iteration over the measured baseline rows. Some baselines allocate nothing themselves
     * (glibc, the bare system calls, MemoryStack), so the least is JMH's fixed share; a baseline that
     * allocates (LWJGL's jemalloc and mimalloc bindings read up to tens of B/op in short runs) only raises
     * its own figure, never the least.
     *
     * @return bytes per iteration, or NaN when no baseline row was measured.
     */
    public double infrastructureBytesPerIteration()
    {
        return infrastructureBytesPerIteration;
    }

    private static double leastBaselineBytesPerIteration(final List<SuiteRow> rows)
    {
        return rows.stream()
            .filter(r -> r.isMeasured() && r.suiteCase().role() == SuiteCase.Role.BASELINE && !Double.isNaN(r.bytesPerIteration()))
            .mapToDouble(SuiteRow::bytesPerIteration)
            .min()
            .orElse(Double.NaN);
    }

    /**
     * The rows.
     *
     * @return the rows in table order.
     */
    public List<SuiteRow> rows()
    {
        return rows;
    }

    /**
     * The row's ratio to its reference row.
     *
     * @param row a row of this table.
     * @return ns/op over the reference's, or NaN when either is missing.
     */
    public double ratio(final SuiteRow row)
    {
        final SuiteRow reference = null == row.suiteCase().ratioTo() ? null : byLabel.get(row.suiteCase().ratioTo());
        return null == reference || !row.isMeasured() || !reference.isMeasured() ? Double.NaN : row.nanos() / reference.nanos();
    }

    /**
     * Whether the row's goal holds.
     *
     * @param row a row of this table.
     * @return {@code TRUE}/{@code FALSE}, or {@code null} when the row has no goal or a side is unmeasured.
     */
    public Boolean goalHolds(final SuiteRow row)
    {
        final Goal goal = row.suiteCase().goal();
        final SuiteRow reference = null == goal ? null : byLabel.get(goal.reference());
        if (null == reference || !row.isMeasured() || !reference.isMeasured())
        {
            return null;
        }
        return goal.holds(row.nanos(), reference.nanos());
    }

    /**
     * The rows that break the B/op criterion or failed to run: any makes the run fail.
     *
     * @return their labels with the reason; empty when the run passes.
     */
    public List<String> failures()
    {
        final List<String> failures = new ArrayList<>();
        for (final SuiteRow row : rows)
        {
            if (row.failed())
            {
                failures.add(row.suiteCase().label() + ": failed: " + row.problem());
            }
            else if (!row.meetsAllocationCriterion(infrastructureBytesPerIteration))
            {
                failures.add(row.suiteCase().label() + ": " + format(row.bytesPerOp(), 3) + " B/op, " +
                    format(row.bytesPerIteration(), 0) + " B per iteration" +
                    (row.suiteCase().role() == SuiteCase.Role.CONTROL ?
                        ", but the control allocates every operation: the GC profiler is not measuring" :
                        ": the stack allocates on the Java heap (B/op not below " + SuiteRow.NO_ALLOCATION_BELOW +
                        " and more than " + SuiteRow.INFRASTRUCTURE_SLACK + " × the infrastructure's " +
                        format(infrastructureBytesPerIteration, 0) + " B per iteration)"));
            }
        }
        return failures;
    }

    /**
     * The goals that do not hold, as the summary lists them.
     *
     * @return one line per missed goal.
     */
    public List<String> missedGoals()
    {
        final List<String> missed = new ArrayList<>();
        for (final SuiteRow row : rows)
        {
            if (Boolean.FALSE.equals(goalHolds(row)))
            {
                missed.add(row.suiteCase().label() + ": " + goalText(row));
            }
        }
        return missed;
    }

    /**
     * The table as Markdown.
     *
     * @return the header line, the separator and one line per row.
     */
    public String markdown()
    {
        final StringBuilder sb = new StringBuilder(128 * (rows.size() + 2));
        sb.append("| benchmark | ns/op (median) | ratio | vs | B/op | goal | holds |\n");
        sb.append("|---|---:|---:|---|---:|---|---|\n");
        for (final SuiteRow row : rows)
        {
            final SuiteCase c = row.suiteCase();
            sb.append("| ").append(c.label()).append(" | ");
            if (!row.isMeasured())
            {
                sb.append(row.failed() ? "FAILED" : "skipped").append(" | | | | ")
                    .append(row.problem().replace('|', '/').replace('\n', ' ')).append(" | |\n");
                continue;
            }
            final double ratio = ratio(row);
            sb.append(nanos(row.nanos())).append(" | ")
                .append(Double.isNaN(ratio) || c.label().equals(c.ratioTo()) ? NONE : format(ratio, 2) + "×").append(" | ")
                .append(null == c.ratioTo() || c.label().equals(c.ratioTo()) ? NONE : shortReference(c)).append(" | ")
                .append(bytes(row)).append(" | ")
                .append(null == c.goal() ? NONE : goalText(row)).append(" | ")
                .append(holdsText(row)).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * The table as JSON: an array of rows with label, role, nsPerOpMedian, samples, ratio, ratioTo,
     * bytesPerOp, goal, goalHolds, problem.
     *
     * @return the JSON text.
     */
    public String json()
    {
        final List<Map<String, Object>> out = new ArrayList<>();
        for (final SuiteRow row : rows)
        {
            final Map<String, Object> m = new LinkedHashMap<>();
            final SuiteCase c = row.suiteCase();
            m.put("label", c.label());
            m.put("role", c.role().name());
            m.put("benchmark", c.jmhName());
            m.put("params", c.params());
            m.put("nsPerOpMedian", finite(row.nanos()));
            m.put("samples", row.samples());
            m.put("ratio", finite(ratio(row)));
            m.put("ratioTo", c.ratioTo());
            m.put("bytesPerOp", finite(row.bytesPerOp()));
            m.put("bytesPerIteration", finite(row.bytesPerIteration()));
            m.put("allocationCriterionMet", row.meetsAllocationCriterion(infrastructureBytesPerIteration));
            m.put("goal", null == c.goal() ? null : c.goal().describe());
            m.put("goalHolds", goalHolds(row));
            m.put("problem", row.problem());
            out.add(m);
        }
        try
        {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out);
        }
        catch (final com.fasterxml.jackson.core.JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write the table as JSON", ex);
        }
    }

    private String goalText(final SuiteRow row)
    {
        final Goal goal = row.suiteCase().goal();
        final SuiteRow reference = byLabel.get(goal.reference());
        final String measured = null == reference || !reference.isMeasured() || !row.isMeasured() ?
            "" : goal.measured(row.nanos(), reference.nanos()) + " ";
        return measured + goal.describe().replace(goal.reference(), shortLabel(goal.reference(), row.suiteCase().label()));
    }

    private String holdsText(final SuiteRow row)
    {
        final Boolean holds = goalHolds(row);
        return null == holds ? NONE : holds ? HOLDS : MISSES;
    }

    private static String shortReference(final SuiteCase c)
    {
        return shortLabel(c.ratioTo(), c.label());
    }

    /** The reference's label without the prefix it shares with the row's, e.g. {@code glibc}. */
    private static String shortLabel(final String reference, final String label)
    {
        int common = 0;
        while (common < reference.length() && common < label.length() && reference.charAt(common) == label.charAt(common))
        {
            common++;
        }
        final int cut = reference.lastIndexOf(' ', common == reference.length() ? common - 1 : common) + 1;
        return reference.substring(cut > 0 && cut < reference.length() ? cut : 0);
    }

    private String bytes(final SuiteRow row)
    {
        final double b = row.bytesPerOp();
        if (Double.isNaN(b))
        {
            return NONE;
        }
        final String value = 0 == b ? "0" : b < 0.001 ? String.format(Locale.ROOT, "%.0e", b) : format(b, b < 10 ? 3 : 0);
        return row.meetsAllocationCriterion(infrastructureBytesPerIteration) || row.suiteCase().role() == SuiteCase.Role.BASELINE ?
            value : value + " (FAILS)";
    }

    private static String nanos(final double ns)
    {
        return ns >= 1000 ? String.format(Locale.ROOT, "%,.0f", ns) : format(ns, 1);
    }

    private static String format(final double value, final int decimals)
    {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static Double finite(final double value)
    {
        return Double.isNaN(value) ? null : value;
    }
}
