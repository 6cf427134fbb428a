package dev.hostalloc.bench.suite;

import dev.hostalloc.vulkan.VulkanAvailability;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Runs the suite ({@link SuitePlan}) through JMH's Runner API, one case at a time, with the GC profiler
 * on every benchmark and the project's JVM flags on every fork, and prints ONE Markdown table
 * ({@link SuiteTable}) on standard output; JMH's own log goes to a file named on standard error.
 *
 * <p>{@code ./hostalloc bench [--quick|--smoke] [--filter REGEX] [--out FILE.md|FILE.json]}:
 * <ul>
 *   <li>default: 2 rounds; in each, every row runs once in its own fork, 2 warm-up + 5 measurement iterations
 *       of 1 s; about 18 minutes. Interleaving the rounds spreads a load change on a shared machine over all rows;</li>
 *   <li>{@code --quick}: 1 fork × (2 warm-ups of 0.3 s + 3 measurements of 0.2 s), about 2 minutes on 2 cores;</li>
 *   <li>{@code --smoke}: no fork (in this JVM), 1 warm-up + 1 measurement of 20 ms: proves the suite runs
 *       and the table is complete, measures nothing worth reading (the test of the module runs it);</li>
 *   <li>{@code --filter}: only rows whose label matches (found anywhere), plus the rows they are compared
 *       with and the allocation control.</li>
 * </ul>
 *
 * <p>ns/op is the median of every measurement iteration's score over all rounds (forks); B/op the mean over rounds. Exit status: 0 when
 * every hostalloc row allocates nothing per operation (B/op below {@value SuiteRow#NO_ALLOCATION_BELOW})
 * and the control row does allocate, 1 otherwise or when a benchmark fails or Vulkan is required
 * ({@code HOSTALLOC_REQUIRE_VULKAN=1}) but missing, 2 for bad arguments. Missed performance goals are
 * reported in the table and the summary, not in the exit status: the machine decides them, not the code.
 */
public final class SuiteRunner
{
    /** Exit status of a run whose rows all meet the B/op criterion. */
    public static final int OK = 0;

    /** Exit status of a run with an allocating hostalloc row, a failed benchmark or missing required Vulkan. */
    public static final int FAILED = 1;

    /** Exit status for bad arguments. */
    public static final int USAGE = 2;

    private static final String FLAGS_RESOURCE = "jvm.flags";
    private static final String GC_NORM = "gc.alloc.rate.norm";
    private static final double NANOS_PER_MILLI = 1e6;
    private static final String JMH_IGNORE_LOCK = "jmh.ignoreLock";
    private static final String JMH_LOCK_MESSAGE = "Unable to acquire the JMH lock";
    private static final Duration LOCK_RETRY = Duration.ofSeconds(10);
    private static final Duration LOCK_PATIENCE = Duration.ofMinutes(30);
    private static final String USAGE_TEXT =
        "usage: hostalloc bench [--quick | --smoke] [--filter REGEX] [--out FILE.md | FILE.json]";

    /** How long a run measures. */
    public enum Length
    {
        /** The default: 2 rounds of 1 fork each, 2 warm-up and 5 measurement iterations of 1 s. */
        FULL(2, 1, 2, 1000, 5, 1000),
        /**
         * {@code --quick}: 1 round of 1 fork, 2 warm-up iterations of 300 ms (one was too few for the slow rows,
         * e.g. guard pages on two threads, to reach C2 before the measurement), 3 measurement iterations of 200 ms.
         */
        QUICK(1, 1, 2, 300, 3, 200),
        /** {@code --smoke}: in this JVM (no fork), 1 warm-up and 1 measurement iteration of 20 ms. */
        SMOKE(1, 0, 1, 20, 1, 20);

        final int rounds;
        final int forks;
        final int warmups;
        final int warmupMillis;
        final int measurements;
        final int measurementMillis;

        Length(final int rounds, final int forks, final int warmups, final int warmupMillis, final int measurements,
            final int measurementMillis)
        {
            this.rounds = rounds;
            this.forks = forks;
            this.warmups = warmups;
            this.warmupMillis = warmupMillis;
            this.measurements = measurements;
            this.measurementMillis = measurementMillis;
        }

        /**
         * The run's shape in words, for the table's header.
         *
         * @return e.g. {@code 2 rounds × 1 fork × (2 warm-up of 1000 ms + 5 measurements of 1000 ms) per row}.
         */
        public String describe()
        {
            return (1 == rounds ? "" : rounds + " rounds (every row once per round, rows interleaved) × ") +
                (0 == forks ? "no fork (in the runner's JVM)" : forks + (1 == forks ? " fork" : " forks")) +
                " × (" + warmups + " warm-up of " + warmupMillis + " ms + " + measurements + " measurement" +
                (1 == measurements ? "" : "s") + " of " + measurementMillis + " ms) per row";
        }
    }

    /**
     * Parsed arguments.
     *
     * @param length how long to measure.
     * @param filter rows to run, or {@code null} for all.
     * @param out    where to write the table too ({@code .json} for JSON, else Markdown), or {@code null}.
     */
    public record Arguments(Length length, Pattern filter, Path out)
    {
        /**
         * Parses the command line.
         *
         * @param args the arguments.
         * @return the arguments.
         * @throws IllegalArgumentException for an unknown option, a missing value or a bad regex.
         */
        public static Arguments parse(final String... args)
        {
            Length length = Length.FULL;
            Pattern filter = null;
            Path out = null;
            for (int i = 0; i < args.length; i++)
            {
                switch (args[i])
                {
                    case "--quick" -> length = Length.QUICK;
                    case "--smoke" -> length = Length.SMOKE;
                    case "--filter" -> filter = regex(value(args, ++i, "--filter"));
                    case "--out" -> out = Path.of(value(args, ++i, "--out"));
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; " + USAGE_TEXT);
                }
            }
            return new Arguments(length, filter, out);
        }

        private static String value(final String[] args, final int i, final String option)
        {
            if (i >= args.length)
            {
                throw new IllegalArgumentException(option + " needs a value; " + USAGE_TEXT);
            }
            return args[i];
        }

        private static Pattern regex(final String text)
        {
            try
            {
                return Pattern.compile(text);
            }
            catch (final PatternSyntaxException ex)
            {
                throw new IllegalArgumentException("--filter '" + text + "' is not a regular expression: " + ex.getDescription(), ex);
            }
        }
    }

    /** What to do with the Vulkan rows. */
    public enum VulkanGate
    {
        /** Vulkan is available: run them. */
        RUN,
        /** Unavailable and not required: skip them, saying why. */
        SKIP,
        /** Unavailable but {@code HOSTALLOC_REQUIRE_VULKAN=1}: the run fails. */
        FAIL;

        /**
         * The decision.
         *
         * @param available whether the probe found a usable Vulkan.
         * @param required  whether the environment requires Vulkan.
         * @return what to do with the Vulkan rows.
         */
        public static VulkanGate of(final boolean available, final boolean required)
        {
            return available ? RUN : required ? FAIL : SKIP;
        }
    }

    /**
     * The outcome of a run.
     *
     * @param table  the table.
     * @param status the exit status.
     */
    public record Outcome(SuiteTable table, int status)
    {
    }

    private SuiteRunner()
    {
    }

    /**
     * Runs the suite and exits with its status.
     *
     * @param args see the class comment.
     */
    public static void main(final String[] args)
    {
        final Arguments arguments;
        try
        {
            arguments = Arguments.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("hostalloc bench: " + ex.getMessage());
            System.exit(USAGE);
            return;
        }
        final Outcome outcome = run(arguments, System.out, System.err);
        System.exit(outcome.status());
    }

    /**
     * Runs the selected cases and prints the table.
     *
     * @param arguments what to run.
     * @param out       where the table and the summary go.
     * @param progress  where one line per case goes while it runs.
     * @return the table and the exit status.
     */
    public static Outcome run(final Arguments arguments, final PrintStream out, final PrintStream progress)
    {
        final Instant start = Instant.now();
        final List<SuiteCase> cases = SuitePlan.select(SuitePlan.all(SuiteRunner::threadSafe), arguments.filter());
        final boolean wantsVulkan = cases.stream().anyMatch(c -> c.benchmark() == VulkanBenchmark.class);
        final VulkanAvailability.Availability vulkan = wantsVulkan ? VulkanAvailability.probe() : null;
        final VulkanGate gate = null == vulkan ? VulkanGate.RUN : VulkanGate.of(vulkan.available(), VulkanAvailability.required());
        if (gate == VulkanGate.FAIL)
        {
            out.println("hostalloc bench: " + VulkanAvailability.REQUIRE_ENV + "=1 but " + vulkan.detail());
            return new Outcome(new SuiteTable(List.of()), FAILED);
        }

        if (arguments.length() == Length.SMOKE)
        {
            // A smoke run measures nothing, so another JMH run on the machine (JMH's /tmp/jmh.lock) may go on.
            System.setProperty(JMH_IGNORE_LOCK, "true");
        }
        final Path log = jmhLog();
        final List<SuiteRow> rows = new ArrayList<>(cases.size());
        try (PrintStream jmhOut = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8))
        {
            progress.printf(Locale.ROOT, "hostalloc bench: %d rows, %s; JMH log: %s%n",
                cases.size(), arguments.length().describe(), log);
            final OutputFormat format = OutputFormatFactory.createFormatInstance(jmhOut, VerboseMode.NORMAL);
            final Length length = arguments.length();
            final Samples[] samples = new Samples[cases.size()];
            for (int i = 0; i < samples.length; i++)
            {
                samples[i] = new Samples();
            }
            // Rounds outermost: a load change on the shared machine lands on every row's samples alike.
            for (int round = 1; round <= length.rounds; round++)
            {
                for (int i = 0; i < cases.size(); i++)
                {
                    final SuiteCase c = cases.get(i);
                    if (gate == VulkanGate.SKIP && c.benchmark() == VulkanBenchmark.class)
                    {
                        continue;
                    }
                    if (null == samples[i].failure)
                    {
                        measureWhenJmhIsFree(c, length, format, progress, samples[i]);
                    }
                    progress.printf(Locale.ROOT, "[round %d/%d, %d/%d] %s: %s%n", round, length.rounds, i + 1, cases.size(),
                        c.label(), null == samples[i].failure ? samples[i].latest() : "FAILED " + samples[i].failure);
                }
            }
            for (int i = 0; i < cases.size(); i++)
            {
                final SuiteCase c = cases.get(i);
                rows.add(gate == VulkanGate.SKIP && c.benchmark() == VulkanBenchmark.class ?
                    SuiteRow.skipped(c, vulkan.detail()) : samples[i].row(c, length));
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }

        final SuiteTable table = new SuiteTable(rows);
        final Duration wall = Duration.between(start, Instant.now());
        final String report = report(table, arguments, vulkan, gate, wall);
        out.print(report);
        out.flush();
        if (null != arguments.out())
        {
            write(arguments.out(), arguments.out().toString().endsWith(".json") ? table.json() : report);
        }
        return new Outcome(table, table.failures().isEmpty() ? OK : FAILED);
    }

    /**
     * Whether a stack of the plan may be called from two threads at once: builds it and asks its traits.
     *
     * @param spec a spec as {@link BenchStack#open(String)} takes it.
     * @return {@code traits().threadSafe()}.
     */
    static boolean threadSafe(final String spec)
    {
        try (BenchStack stack = BenchStack.open(spec))
        {
            return stack.callbacks().traits().threadSafe();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("cannot build " + spec + " to ask whether it is thread-safe", ex);
        }
    }

    private static void measureWhenJmhIsFree(
        final SuiteCase c, final Length length, final OutputFormat format, final PrintStream progress, final Samples samples)
    {
        final long deadline = System.nanoTime() + LOCK_PATIENCE.toNanos();
        while (true)
        {
            final String failure = measure(c, length, format, samples);
            if (null == failure || !failure.contains(JMH_LOCK_MESSAGE) || System.nanoTime() > deadline)
            {
                samples.failure = failure;
                return;
            }
            progress.println("hostalloc bench: another JMH run holds its lock (/tmp/jmh.lock); waiting " +
                LOCK_RETRY.toSeconds() + " s (run benchmarks under flock /tmp/hostalloc-bench.lock to queue instead)");
            try
            {
                Thread.sleep(LOCK_RETRY);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                samples.failure = failure;
                return;
            }
        }
    }

    /** Runs one case once (one round); adds its iteration scores and B/op to the samples; returns an error or null. */
    private static String measure(final SuiteCase c, final Length length, final OutputFormat format, final Samples samples)
    {
        final ChainedOptionsBuilder options = new OptionsBuilder()
            .include("^" + Pattern.quote(c.jmhName()) + "$")
            .forks(length.forks)
            .warmupIterations(length.warmups)
            .warmupTime(TimeValue.milliseconds(length.warmupMillis))
            .measurementIterations(length.measurements)
            .measurementTime(TimeValue.milliseconds(length.measurementMillis))
            .addProfiler(GCProfiler.class)
            .jvmArgs(jvmFlags())
            .shouldFailOnError(true);
        for (final Map.Entry<String, String> param : c.params().entrySet())
        {
            options.param(param.getKey(), param.getValue());
        }
        try
        {
            final RunResult result = new Runner(options.build(), format).runSingle();
            check(c, result.getParams());
            for (final BenchmarkResult fork : result.getBenchmarkResults())
            {
                for (final IterationResult iteration : fork.getIterationResults())
                {
                    samples.scores.add(iteration.getPrimaryResult().getScore());
                }
            }
            final Result<?> norm = normalizedAllocation(result);
            samples.bytesPerOp.add(null == norm ? Double.NaN : norm.getScore());
            return null;
        }
        catch (final RunnerException | RuntimeException ex)
        {
            final Throwable cause = null == ex.getCause() ? ex : ex.getCause();
            return cause.getClass().getSimpleName() + ": " + cause.getMessage() + " (see the JMH log)";
        }
    }

    /** One case's measurement iterations and B/op figures over all rounds. */
    private static final class Samples
    {
        final List<Double> scores = new ArrayList<>();
        final List<Double> bytesPerOp = new ArrayList<>();
        String failure;

        String latest()
        {
            return scores.isEmpty() ? "no iterations" : String.format(Locale.ROOT, "median so far %.1f ns/op, %.3g B/op",
                median(scores), bytesPerOp.get(bytesPerOp.size() - 1));
        }

        SuiteRow row(final SuiteCase c, final Length length)
        {
            if (null != failure)
            {
                return SuiteRow.failed(c, failure);
            }
            if (scores.isEmpty())
            {
                return SuiteRow.failed(c, "JMH returned no iterations");
            }
            final double nanos = median(scores);
            final double norm = bytesPerOp.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            final int threads = c.benchmark() == TwoThreadBenchmark.class ? TwoThreadBenchmark.THREADS : 1;
            final double operationsPerIteration = threads * length.measurementMillis * NANOS_PER_MILLI / nanos;
            return SuiteRow.measured(c, nanos, scores.size(), norm, norm * operationsPerIteration);
        }

        private static double median(final List<Double> values)
        {
            final double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            final int middle = sorted.length / 2;
            return 0 == sorted.length % 2 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle];
        }
    }

    private static void check(final SuiteCase c, final BenchmarkParams params)
    {
        for (final Map.Entry<String, String> param : c.params().entrySet())
        {
            if (!param.getValue().equals(params.getParam(param.getKey())))
            {
                throw new IllegalStateException(c.label() + " ran with " + param.getKey() + "=" + params.getParam(param.getKey()));
            }
        }
    }

    private static Result<?> normalizedAllocation(final RunResult result)
    {
        for (final Map.Entry<String, Result> secondary : result.getSecondaryResults().entrySet())
        {
            if (secondary.getKey().endsWith(GC_NORM))
            {
                return secondary.getValue();
            }
        }
        return null;
    }

    private static String report(final SuiteTable table, final Arguments arguments,
        final VulkanAvailability.Availability vulkan, final VulkanGate gate, final Duration wall)
    {
        final StringBuilder sb = new StringBuilder(16_384);
        sb.append("# hostalloc bench\n\n");
        sb.append(Machine.describe(null == vulkan ? null : vulkan.detail())).append("\n\n");
        sb.append("Run: `./hostalloc bench").append(switch (arguments.length())
        {
            case FULL -> "";
            case QUICK -> " --quick";
            case SMOKE -> " --smoke";
        }).append(null == arguments.filter() ? "" : " --filter '" + arguments.filter().pattern() + "'")
            .append("`: ").append(arguments.length().describe()).append(", wall time ")
            .append(wall.toMinutesPart()).append(" min ").append(wall.toSecondsPart()).append(" s.\n");
        sb.append("ns/op is the median of every measurement iteration over all rounds and forks (AverageTime mode, per ")
            .append("operation per thread); batch rows are per allocate+free pair of the 64-block pattern. ")
            .append("Ratios and goals compare rows of this run only. B/op is JMH's gc.alloc.rate.norm (mean over ")
            .append("the measurement iterations); the criterion \"no heap allocation per operation\" is B/op < ")
            .append(SuiteRow.NO_ALLOCATION_BELOW).append(" (JMH's own infrastructure reads 1e-4 to 1e-2 B/op on ")
            .append("fast benchmarks, baselines included; one object is at least 16 B), or, for operations so slow ")
            .append("that JMH's fixed allocation per iteration exceeds that (guard pages, system calls), at most ")
            .append(SuiteRow.INFRASTRUCTURE_SLACK).append(" × the bytes per iteration the baseline rows of this run ")
            .append(String.format(Locale.ROOT, "allocate (the least: %.0f B)", table.infrastructureBytesPerIteration()))
            .append(": every hostalloc row must meet it, the control row must not.\n\n");
        sb.append(table.markdown()).append('\n');
        if (gate == VulkanGate.SKIP)
        {
            sb.append("Vulkan rows skipped: ").append(vulkan.detail()).append(" (set ")
                .append(VulkanAvailability.REQUIRE_ENV).append("=1 to make this a failure).\n\n");
        }
        final List<String> missed = table.missedGoals();
        sb.append(missed.isEmpty() ? "Every measured goal holds.\n" : "Goals missed (" + missed.size() + "):\n");
        for (final String line : missed)
        {
            sb.append("- ").append(line).append('\n');
        }
        final List<String> failures = table.failures();
        sb.append(failures.isEmpty() ?
            "\nB/op criterion: every hostalloc row allocates nothing per operation; the control row allocates. PASS\n" :
            "\nFAIL (" + failures.size() + "):\n");
        for (final String line : failures)
        {
            sb.append("- ").append(line).append('\n');
        }
        return sb.toString();
    }

    private static String[] jvmFlags()
    {
        try (InputStream in = SuiteRunner.class.getResourceAsStream(FLAGS_RESOURCE))
        {
            if (null == in)
            {
                throw new IllegalStateException("the bench jar lacks " + FLAGS_RESOURCE + ": rebuild it with ./mvnw -pl bench -am package");
            }
            final String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            if (flags.contains("${"))
            {
                throw new IllegalStateException(FLAGS_RESOURCE + " was not filtered by Maven: " + flags);
            }
            return flags.split("\\s+");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Path jmhLog()
    {
        try
        {
            return Files.createTempFile("hostalloc-bench-jmh", ".log");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static void write(final Path path, final String text)
    {
        try (OutputStream stream = Files.newOutputStream(path))
        {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
