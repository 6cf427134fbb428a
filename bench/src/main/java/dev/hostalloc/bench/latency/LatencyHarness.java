package dev.hostalloc.bench.latency;

import dev.hostalloc.tlsf.ThreadingMode;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Tail latency of one free plus one allocate, for a realistic size mix over a working set of live
 * blocks, for hostalloc's TLSF pool against glibc {@code malloc}/{@code free} measured in the same
 * run. Not a test: it prints a Markdown table and asserts nothing.
 *
 * <p>Every pair is timed on its own with {@link System#nanoTime()}, so the figures include the
 * timer (its own row shows how much); they are per-pair wall-clock times, preemption and
 * interrupts included, which is what a real-time caller sees. Rounds interleave the allocators
 * (each round runs all of them, in rotated order) and the table gives, for each percentile, the
 * median over rounds and the range.
 *
 * <p>Run (from the repository root):
 * <pre>
 * ./mvnw -q -B -pl bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED --add-opens java.base/jdk.internal.misc=ALL-UNNAMED \
 *      --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Xms512m -Xmx512m -XX:+AlwaysPreTouch \
 *      -cp 'bench/target/bench.jar:bench/target/lib/*' dev.hostalloc.bench.latency.LatencyHarness
 * </pre>
 * (or {@code bench/latency.sh}). Options: {@code --rounds N} (default 7), {@code --ops N} pairs per
 * allocator per round (default 2 000 000), {@code --warmup N} (default 2 000 000), {@code --live N}
 * blocks in the working set of the general mixes (default 1024), {@code --seed N},
 * {@code --scenario general|aligned|realtime|all} (default all).
 */
public final class LatencyHarness
{
    private static final int DEFAULT_ROUNDS = 7;
    private static final int DEFAULT_OPERATIONS = 2_000_000;
    private static final int DEFAULT_WARM_UP = 2_000_000;
    private static final int DEFAULT_LIVE_BLOCKS = 1024;
    private static final long DEFAULT_SEED = 42;
    private static final int REALTIME_LIVE_BLOCKS = 64;
    private static final String GENERAL = "general";
    private static final String ALIGNED = "aligned";
    private static final String REALTIME = "realtime";
    private static final long HIGHEST_TRACKABLE_NANOS = 60_000_000_000L;
    private static final int SIGNIFICANT_DIGITS = 3;
    private static final long ONE_MICROSECOND = 1_000;
    private static final double PER_MILLION = 1_000_000.0;

    private LatencyHarness()
    {
    }

    /** What one allocator did in one round. */
    record Round(long p50, long p99, long p9999, long max, double over1usPerMillion, long samples, long failures)
    {
    }

    /** Options. */
    record Options(int rounds, int operations, int warmUp, int liveBlocks, long seed, String scenario)
    {
        /** Runs every scenario. */
        static final String ALL = "all";

        Options(final int rounds, final int operations, final int warmUp, final int liveBlocks, final long seed)
        {
            this(rounds, operations, warmUp, liveBlocks, seed, ALL);
        }

        boolean runs(final String name)
        {
            return ALL.equals(scenario) || scenario.equals(name);
        }

        static Options parse(final String[] args)
        {
            int rounds = DEFAULT_ROUNDS;
            int operations = DEFAULT_OPERATIONS;
            int warmUp = DEFAULT_WARM_UP;
            int live = DEFAULT_LIVE_BLOCKS;
            long seed = DEFAULT_SEED;
            String scenario = ALL;
            for (int i = 0; i < args.length; i++)
            {
                final String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i])
                {
                    case "--rounds" -> rounds = positive(args[i], value);
                    case "--ops" -> operations = positive(args[i], value);
                    case "--warmup" -> warmUp = positive(args[i], value);
                    case "--live" -> live = positive(args[i], value);
                    case "--seed" -> seed = Long.parseLong(require(args[i], value));
                    case "--scenario" -> scenario = scenario(require(args[i], value));
                    default -> throw new IllegalArgumentException("unknown option " + args[i] +
                        "; options: --rounds N, --ops N, --warmup N, --live N, --seed N, " +
                        "--scenario general|aligned|realtime|all");
                }
                i++;
            }
            return new Options(rounds, operations, warmUp, live, seed, scenario);
        }

        private static String scenario(final String value)
        {
            return switch (value)
            {
                case GENERAL, ALIGNED, REALTIME, ALL -> value;
                default -> throw new IllegalArgumentException(
                    "unknown scenario " + value + "; valid: general, aligned, realtime, all");
            };
        }

        private static int positive(final String option, final String value)
        {
            final int n = Integer.parseInt(require(option, value));
            if (n < 1)
            {
                throw new IllegalArgumentException(option + " must be at least 1: " + n);
            }
            return n;
        }

        private static String require(final String option, final String value)
        {
            if (null == value)
            {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return value;
        }
    }

    /**
     * Runs the harness and prints the Markdown report to standard output.
     *
     * @param args options, see the class comment.
     */
    public static void main(final String[] args)
    {
        run(Options.parse(args), System.out);
    }

    /**
     * Runs every scenario and prints the report.
     *
     * @param options what to run.
     * @param out     where the Markdown goes.
     */
    static void run(final Options options, final PrintStream out)
    {
        out.println("# hostalloc allocate+free latency");
        out.println();
        out.println(environment(options));
        if (options.runs(GENERAL))
        {
            scenario(out, options, "General mix, alignment 8 (malloc's own)",
                new Workload(Workload.Sizes.GENERAL, Workload.Alignments.MALLOC, options.liveBlocks(), options.seed()));
        }
        if (options.runs(ALIGNED))
        {
            scenario(out, options, "General mix, Vulkan-style alignments (70 % 16, 20 % 64, 8 % 256, 2 % 4096)",
                new Workload(Workload.Sizes.GENERAL, Workload.Alignments.MIXED, options.liveBlocks(), options.seed()));
        }
        if (options.runs(REALTIME))
        {
            scenario(out, options, "Real-time loop: " + REALTIME_LIVE_BLOCKS + " live blocks of 16–1024 bytes, alignment 8",
                new Workload(Workload.Sizes.REALTIME, Workload.Alignments.MALLOC, REALTIME_LIVE_BLOCKS, options.seed()));
        }
    }

    private static void scenario(final PrintStream out, final Options options, final String title, final Workload workload)
    {
        final List<Subject> subjects = List.of(
            new GlibcSubject(),
            new TlsfSubject(ThreadingMode.OWNED),
            new TlsfSubject(ThreadingMode.SHARED),
            new SystemSubject(),
            new TimerSubject(),
            new ArithmeticSubject());
        final List<List<Round>> rounds = measure(subjects, workload, options);
        out.println();
        out.println("## " + title);
        out.println();
        out.print(table(subjects, rounds));
        out.flush();
    }

    static List<List<Round>> measure(final List<Subject> subjects, final Workload workload, final Options options)
    {
        final List<List<Round>> rounds = new ArrayList<>();
        for (final Subject subject : subjects)
        {
            subject.prepare(workload);
            subject.run(workload, 0, options.warmUp(), null);
            rounds.add(new ArrayList<>());
        }
        final Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NANOS, SIGNIFICANT_DIGITS);
        int position = options.warmUp();
        for (int round = 0; round < options.rounds(); round++)
        {
            for (int k = 0; k < subjects.size(); k++)
            {
                final int s = (k + round) % subjects.size();   // rotate who goes first
                histogram.reset();
                final long failures = subjects.get(s).run(workload, position, options.operations(), histogram);
                final long max = histogram.getMaxValue();
                final long slow = max < ONE_MICROSECOND ? 0 : histogram.getCountBetweenValues(ONE_MICROSECOND, max);
                rounds.get(s).add(new Round(
                    histogram.getValueAtPercentile(50.0),
                    histogram.getValueAtPercentile(99.0),
                    histogram.getValueAtPercentile(99.99),
                    histogram.getMaxValue(),
                    slow * PER_MILLION / Math.max(1, histogram.getTotalCount()),
                    histogram.getTotalCount(),
                    failures));
            }
            position += options.operations();
        }
        for (final Subject subject : subjects)
        {
            subject.close();
        }
        return rounds;
    }

    static String table(final List<Subject> subjects, final List<List<Round>> rounds)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("| allocator | p50 ns | p99 ns | p99.99 ns | max ns | pairs over 1 µs per 10^6 | failed |")
            .append(System.lineSeparator());
        sb.append("|---|---:|---:|---:|---:|---:|---:|").append(System.lineSeparator());
        for (int s = 0; s < rounds.size(); s++)
        {
            final List<Round> r = rounds.get(s);
            sb.append("| ").append(subjects.get(s).name())
                .append(" | ").append(cell(r, Round::p50))
                .append(" | ").append(cell(r, Round::p99))
                .append(" | ").append(cell(r, Round::p9999))
                .append(" | ").append(cell(r, Round::max))
                .append(" | ").append(String.format(Locale.ROOT, "%.1f", median(r.stream()
                    .mapToDouble(Round::over1usPerMillion).toArray())))
                .append(" | ").append(r.stream().mapToLong(Round::failures).sum())
                .append(" |").append(System.lineSeparator());
        }
        sb.append(System.lineSeparator()).append("Each cell: median over ").append(rounds.get(0).size())
            .append(" rounds [lowest–highest round]; ").append(rounds.get(0).get(0).samples())
            .append(" timed pairs per allocator per round.").append(System.lineSeparator());
        return sb.toString();
    }

    private static String cell(final List<Round> rounds, final java.util.function.ToLongFunction<Round> field)
    {
        final long[] values = rounds.stream().mapToLong(field).sorted().toArray();
        final long median = values[values.length / 2];
        if (values.length == 1)
        {
            return Long.toString(median);
        }
        return median + " [" + values[0] + "–" + values[values.length - 1] + "]";
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String environment(final Options options)
    {
        return "- JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") +
            System.lineSeparator() + "- CPU: " + cpuModel() + ", " + Runtime.getRuntime().availableProcessors() +
            " processors" + System.lineSeparator() + "- workload: free one of " + options.liveBlocks() +
            " live blocks and allocate a new one (60 % 8–256 B, 30 % –4 KiB, 9 % –32 KiB, 1 % –64 KiB); " +
            options.rounds() + " rounds of " + options.operations() + " timed pairs per allocator after " +
            options.warmUp() + " warm-up pairs; seed " + options.seed() + System.lineSeparator() +
            "- TLSF arena: " + (TlsfSubject.ARENA_BYTES >> 20) + " MiB anonymous mapping, populated";
    }

    private static String cpuModel()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
            {
                if (line.startsWith("model name"))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final java.io.IOException | RuntimeException ex)
        {
            return "unknown (" + ex.getMessage() + ")";
        }
        return "unknown";
    }
}
