package dev.hostalloc.bench.logging;

import dev.hostalloc.logging.LoggingAllocator;
import dev.hostalloc.system.SystemAllocator;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;

/**
 * The logging overhead measured so that a shared, noisy machine cancels out: {@code system} and
 * {@code logging/system} (and the do-nothing delegate with and without the logger) run in alternating
 * short batches in one JVM, and the overhead is the median of the per-round differences, with a 95%
 * confidence interval of that median from order statistics. Load from other processes that lasts longer
 * than a round hits both sides of the difference alike, which a JMH run (one stack after the other,
 * seconds apart) cannot offer. Complements {@link LoggingOverheadBenchmark}; not a JMH benchmark.
 *
 * <pre>
 * flock /tmp/hostalloc-bench.lock java --enable-native-access=ALL-UNNAMED \
 *      --add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *      -cp bench/target/benchmarks.jar dev.hostalloc.bench.logging.LoggingInterleavedRun [rounds] [pairs] [work]
 * </pre>
 *
 * Each batch is {@code pairs} allocate(64, 16, OBJECT)+free pairs, each paced by {@code work} JMH CPU tokens
 * (default 100, so the writer keeps up and every record takes the full path). Prints Markdown.
 */
public final class LoggingInterleavedRun
{
    private static final int DEFAULT_ROUNDS = 300;
    private static final int DEFAULT_PAIRS = 4_000;
    private static final int DEFAULT_WORK = 100;
    private static final int WARM_UP_ROUNDS = 60;
    private static final int CALLS_PER_PAIR = 2;
    private static final double Z95 = 1.96;

    private final SystemAllocator system = new SystemAllocator();
    private final LoggingAllocator loggedSystem;
    private final LoggingOverheadBenchmark.NullAllocator none = new LoggingOverheadBenchmark.NullAllocator();
    private final LoggingAllocator loggedNone;
    private final int pairs;
    private final int work;
    private long sink;

    private LoggingInterleavedRun(final int pairs, final int work) throws IOException
    {
        this.pairs = pairs;
        this.work = work;
        // Two loggers of one process must not write the same path (the second would finish the first), so each
        // gets its own link to /dev/null: the writer's cost without the disk's.
        final Path dir = Files.createTempDirectory("hostalloc-interleaved");
        dir.toFile().deleteOnExit();
        loggedSystem = LoggingAllocator.builder(sink(dir, "system.trace"), new SystemAllocator())
            .exportToConfiguredCounters(false).open();
        loggedNone = LoggingAllocator.builder(sink(dir, "null.trace"), new LoggingOverheadBenchmark.NullAllocator())
            .exportToConfiguredCounters(false).open();
    }

    private static Path sink(final Path dir, final String name) throws IOException
    {
        final Path link = Files.createSymbolicLink(dir.resolve(name), Path.of("/dev/null"));
        link.toFile().deleteOnExit();
        return link;
    }

    /**
     * Runs the measurement and prints the table.
     *
     * @param args optional: rounds, pairs per batch, work tokens per pair.
     * @throws IOException when the links to /dev/null cannot be made.
     */
    public static void main(final String[] args) throws IOException
    {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS;
        final int pairs = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_PAIRS;
        final int work = args.length > 2 ? Integer.parseInt(args[2]) : DEFAULT_WORK;
        new LoggingInterleavedRun(pairs, work).run(rounds);
    }

    private void run(final int rounds)
    {
        for (int r = 0; r < WARM_UP_ROUNDS; r++)
        {
            round(r);
        }
        final double[][] perPair = new double[4][rounds];
        for (int r = 0; r < rounds; r++)
        {
            final long[] nanos = round(r);
            for (int s = 0; s < 4; s++)
            {
                perPair[s][r] = nanos[s] / (double)pairs;
            }
        }
        loggedSystem.close();
        loggedNone.close();
        final double[] systemDiff = new double[rounds];
        final double[] noneDiff = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            systemDiff[r] = (perPair[1][r] - perPair[0][r]) / CALLS_PER_PAIR;
            noneDiff[r] = (perPair[3][r] - perPair[2][r]) / CALLS_PER_PAIR;
        }
        System.out.printf(Locale.ROOT, "%d rounds of %,d pairs per stack (work %d tokens), interleaved; records " +
            "written %,d, dropped %,d (logging/system), %,d / %,d (logging/null)%n%n", rounds, pairs, work,
            loggedSystem.recordsWritten(), loggedSystem.recordsDropped(), loggedNone.recordsWritten(), loggedNone.recordsDropped());
        System.out.println("| stack | median ns per pair |");
        System.out.println("|---|---:|");
        final String[] names = { "system", "logging/system", "null", "logging/null" };
        for (int s = 0; s < 4; s++)
        {
            System.out.printf(Locale.ROOT, "| %s | %.1f |%n", names[s], median(perPair[s].clone()));
        }
        System.out.println();
        System.out.println("| added per logged call | median of round differences | 95% CI |");
        System.out.println("|---|---:|---:|");
        print("logging over system", systemDiff);
        print("logging over null", noneDiff);
        System.out.println("(sink " + sink + ")");
    }

    private static void print(final String what, final double[] diffs)
    {
        final double[] sorted = diffs.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        final int half = (int)Math.ceil(Z95 * Math.sqrt(n) / 2);
        final int lo = Math.max(0, n / 2 - half);
        final int hi = Math.min(n - 1, (n + 1) / 2 + half - 1);
        System.out.printf(Locale.ROOT, "| %s | %.1f ns | %.1f .. %.1f ns |%n", what, median(sorted), sorted[lo], sorted[hi]);
    }

    private static double median(final double[] values)
    {
        Arrays.sort(values);
        final int n = values.length;
        return (n & 1) == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /** One batch per stack, in an order that rotates with the round so none always runs first. */
    private long[] round(final int r)
    {
        final long[] nanos = new long[4];
        for (int k = 0; k < 4; k++)
        {
            final int s = (k + r) & 3;
            final long start = System.nanoTime();
            switch (s)
            {
                case 0 -> batchSystem();
                case 1 -> batchLoggedSystem();
                case 2 -> batchNone();
                default -> batchLoggedNone();
            }
            nanos[s] = System.nanoTime() - start;
        }
        return nanos;
    }

    private void batchSystem()
    {
        final SystemAllocator callbacks = system;
        long acc = 0;
        for (int i = 0; i < pairs; i++)
        {
            Blackhole.consumeCPU(work);
            final long block = callbacks.allocate(64, 16, OBJECT);
            callbacks.free(block);
            acc += block;
        }
        sink += acc;
    }

    private void batchLoggedSystem()
    {
        final LoggingAllocator callbacks = loggedSystem;
        long acc = 0;
        for (int i = 0; i < pairs; i++)
        {
            Blackhole.consumeCPU(work);
            final long block = callbacks.allocate(64, 16, OBJECT);
            callbacks.free(block);
            acc += block;
        }
        sink += acc;
    }

    private void batchNone()
    {
        final LoggingOverheadBenchmark.NullAllocator callbacks = none;
        long acc = 0;
        for (int i = 0; i < pairs; i++)
        {
            Blackhole.consumeCPU(work);
            final long block = callbacks.allocate(64, 16, OBJECT);
            callbacks.free(block);
            acc += block;
        }
        sink += acc;
    }

    private void batchLoggedNone()
    {
        final LoggingAllocator callbacks = loggedNone;
        long acc = 0;
        for (int i = 0; i < pairs; i++)
        {
            Blackhole.consumeCPU(work);
            final long block = callbacks.allocate(64, 16, OBJECT);
            callbacks.free(block);
            acc += block;
        }
        sink += acc;
    }
}
