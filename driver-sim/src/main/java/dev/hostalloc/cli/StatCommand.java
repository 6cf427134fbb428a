package dev.hostalloc.cli;

import dev.hostalloc.accounting.AccountingCounters;
import dev.hostalloc.accounting.AccountingCountersReader;
import dev.hostalloc.accounting.AccountingSnapshot;
import dev.hostalloc.accounting.ByteUnits;
import dev.hostalloc.api.SystemAllocationScope;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code hostalloc stat <file>}: watches the live accounting counters another JVM exports
 * ({@code -Dhostalloc.counters=<file>}), like AeronStat or {@code top}: a table of every account
 * (current, peak, limit, failures, live blocks, allocations, bytes per scope), then the values other
 * components export into the same file (a logging allocator's records written and dropped), refreshed every second,
 * until the file goes away (the writer closed it) or the writing process is gone.
 */
@Command(
    name = "stat",
    mixinStandardHelpOptions = true,
    versionProvider = HostallocVersion.class,
    description =
    {
        "Watches a running program's host-memory accounts live.",
        "Reads the counters file a JVM writes when started with -D" + AccountingCounters.PROPERTY + "=<file> " +
            "(or through AccountingCounters.create) and prints one row per account: current, peak and limit " +
            "bytes, limit failures, live blocks, allocations and the current bytes per Vulkan allocation scope, " +
            "then other exported counters (a logging allocator's records written and dropped). " +
            "Refreshes until the file goes away (the writer closed it) or its writer process has exited.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        HostallocCommand.EXIT_OK + ":the writer finished (file gone or process exited), or --once printed the table",
        HostallocCommand.EXIT_FAILED + ":no counters file to read (missing, or not a hostalloc counters file)",
        HostallocCommand.EXIT_USAGE + ":bad usage (e.g. a malformed --interval)",
    })
public final class StatCommand implements Callable<Integer>
{
    /** ANSI: cursor home, clear screen; used only on a terminal. */
    private static final String CLEAR_SCREEN = "\033[H\033[2J";
    private static final SystemAllocationScope[] SCOPES = SystemAllocationScope.values();
    private static final long STALE_INTERVALS = 5;
    private static final Duration MIN_STALE = Duration.ofSeconds(3);

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<file>", description = "The counters file, as given to -D" +
        AccountingCounters.PROPERTY + ".")
    private Path file;

    @Option(names = "--once", description = "Print the table once and exit (for scripts).")
    private boolean once;

    @Option(names = { "-i", "--interval" }, paramLabel = "<time>", converter = DurationConverter.class,
        description = "Time between refreshes: e.g. 1s, 500ms, 2 (seconds). Default: ${DEFAULT-VALUE}.",
        defaultValue = "1s")
    private Duration interval;

    @Option(names = "--wait", paramLabel = "<time>", converter = DurationConverter.class,
        description = "Wait up to this long for the file to appear (when started before the program). Default: do not wait.")
    private Duration wait;

    @Option(names = "--bytes", description = "Show exact byte counts instead of KiB/MiB/GiB.")
    private boolean exactBytes;

    @Option(names = "--plain", description = "Never clear the screen: print one table after another (the default " +
        "when standard output is not a terminal).")
    private boolean plain;

    /**
     * Watches the file.
     *
     * @return {@link HostallocCommand#EXIT_OK} when the writer finished or {@code --once} printed,
     *         {@link HostallocCommand#EXIT_FAILED} when there is no counters file to read.
     */
    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final AccountingCountersReader reader = openWaiting(err);
        if (null == reader)
        {
            return HostallocCommand.EXIT_FAILED;
        }
        try (reader)
        {
            final Object identity = identity(file);
            final boolean terminal = !plain && stdoutIsTerminal();
            while (true)
            {
                if (terminal)
                {
                    out.print(CLEAR_SCREEN);
                }
                out.print(render(reader, Instant.now()));
                out.flush();
                if (once)
                {
                    return HostallocCommand.EXIT_OK;
                }
                LockSupport.parkNanos(interval.toNanos());
                final Object now = identity(file);
                if (null == now || !now.equals(identity))
                {
                    out.println("hostalloc stat: " + file + " is gone: the writer (pid " + reader.pid() + ") closed it");
                    out.flush();
                    return HostallocCommand.EXIT_OK;
                }
                if (ProcessHandle.of(reader.pid()).map(p -> !p.isAlive()).orElse(true) && isLocalWriterGone(reader))
                {
                    out.print(render(reader, Instant.now()));
                    out.println("hostalloc stat: the writer (pid " + reader.pid() + ") has exited and left " + file +
                        " behind; the figures above are its last");
                    out.flush();
                    return HostallocCommand.EXIT_OK;
                }
            }
        }
    }

    private AccountingCountersReader openWaiting(final PrintWriter err)
    {
        final long deadline = System.nanoTime() + (null == wait ? 0 : wait.toNanos());
        while (true)
        {
            try
            {
                return AccountingCountersReader.open(file);
            }
            catch (final NoSuchFileException ex)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    err.println("hostalloc stat: no counters file at " + file + "; start the program with -D" +
                        AccountingCounters.PROPERTY + "=" + file + (null == wait ? " (or use --wait <time>)" : ""));
                    return null;
                }
            }
            catch (final IOException | IllegalArgumentException ex)
            {
                if (System.nanoTime() - deadline >= 0)
                {
                    err.println("hostalloc stat: cannot read " + file + ": " + ex.getMessage());
                    return null;
                }
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }

    /** The writer's pid is not a live process here; a heartbeat that also stopped confirms it is not ours to see. */
    private boolean isLocalWriterGone(final AccountingCountersReader reader)
    {
        return System.currentTimeMillis() - reader.heartbeatEpochMillis() > staleAfter(reader).toMillis();
    }

    private Duration staleAfter(final AccountingCountersReader reader)
    {
        final Duration intervals = Duration.ofMillis(reader.intervalMillis() * STALE_INTERVALS);
        return intervals.compareTo(MIN_STALE) > 0 ? intervals : MIN_STALE;
    }

    /**
     * Whether standard output is a terminal, where each refresh replaces the last. Read from
     * {@code /proc/self/fd/1} rather than {@code System.console()}, whose first call can take a second.
     */
    private static boolean stdoutIsTerminal()
    {
        try
        {
            final String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        }
        catch (final IOException | UnsupportedOperationException | SecurityException ex)
        {
            return false;
        }
    }

    /** Identifies the file itself, so a file replaced by a new writer counts as the old one gone. */
    private static Object identity(final Path file)
    {
        try
        {
            final BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            final Object key = attributes.fileKey();
            return null != key ? key : attributes.creationTime();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /**
     * The screen for one refresh: a heading line, then the table.
     *
     * @param reader the open counters file.
     * @param now    the time shown.
     * @return the text, lines ending in {@code '\n'}.
     */
    String render(final AccountingCountersReader reader, final Instant now)
    {
        final StringBuilder sb = new StringBuilder();
        final long heartbeatAge = now.toEpochMilli() - reader.heartbeatEpochMillis();
        final Duration uptime = Duration.ofMillis(Math.max(0, now.toEpochMilli() - reader.startEpochMillis()));
        sb.append("hostalloc stat ").append(file).append("  pid ").append(reader.pid())
            .append("  up ").append(formatUptime(uptime))
            .append("  ").append(now.truncatedTo(ChronoUnit.SECONDS));
        if (heartbeatAge > staleAfter(reader).toMillis())
        {
            sb.append("  (no update for ").append(heartbeatAge / 1000).append(" s: writer stopped or stuck)");
        }
        sb.append('\n');
        final List<AccountingCountersReader.Row> rows = reader.rows();
        if (rows.isEmpty())
        {
            sb.append("(no accounts exported yet)\n");
        }
        else
        {
            final List<String[]> table = new ArrayList<>();
            final String[] heading = new String[7 + SCOPES.length];
            heading[0] = "ACCOUNT";
            heading[1] = "CURRENT";
            heading[2] = "PEAK";
            heading[3] = "LIMIT";
            heading[4] = "FAILS";
            heading[5] = "LIVE";
            heading[6] = "ALLOCS";
            for (final SystemAllocationScope scope : SCOPES)
            {
                heading[7 + scope.ordinal()] = scope.name();
            }
            table.add(heading);
            for (final AccountingCountersReader.Row row : rows)
            {
                final String[] cells = new String[heading.length];
                final String path = row.path();
                cells[0] = "  ".repeat(row.depth()) + (row.depth() == 0 ? path : path.substring(path.lastIndexOf('/') + 1));
                cells[1] = bytes(row.currentBytes());
                cells[2] = bytes(row.peakBytes());
                cells[3] = row.limited() ? bytes(row.limitBytes()) : "-";
                cells[4] = Long.toString(row.failures());
                cells[5] = Long.toString(row.liveBlocks());
                cells[6] = Long.toString(row.allocations());
                for (final SystemAllocationScope scope : SCOPES)
                {
                    cells[7 + scope.ordinal()] = bytes(row.scopeCurrentBytes().get(scope.ordinal()));
                }
                table.add(cells);
            }
            sb.append(AccountingSnapshot.formatTable(table));
        }
        final List<AccountingCountersReader.Counter> exported = reader.exportedCounters();
        if (!exported.isEmpty())
        {
            final List<String[]> table = new ArrayList<>();
            table.add(new String[] { "COUNTER", "VALUE" });
            for (final AccountingCountersReader.Counter counter : exported)
            {
                table.add(new String[] { counter.label(), Long.toString(counter.value()) });
            }
            sb.append('\n').append(AccountingSnapshot.formatTable(table));
        }
        if (reader.droppedAccounts() > 0)
        {
            sb.append("(").append(reader.droppedAccounts()).append(" more accounts not shown: the counters file is full)\n");
        }
        sb.append('\n');
        return sb.toString();
    }

    private String bytes(final long value)
    {
        return exactBytes ? Long.toString(value) : ByteUnits.format(value);
    }

    private static String formatUptime(final Duration uptime)
    {
        return String.format(Locale.ROOT, "%02d:%02d:%02d", uptime.toHours(), uptime.toMinutesPart(), uptime.toSecondsPart());
    }

    /** Parses {@code 500ms}, {@code 2s}, {@code 1m} or a plain number of seconds. */
    static final class DurationConverter implements ITypeConverter<Duration>
    {
        @Override
        public Duration convert(final String value)
        {
            Objects.requireNonNull(value, "value");
            final String text = value.trim().toLowerCase(Locale.ROOT);
            final Duration duration;
            try
            {
                if (text.endsWith("ms"))
                {
                    duration = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).trim()));
                }
                else if (text.endsWith("s"))
                {
                    duration = Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1).trim()) * 1000));
                }
                else if (text.endsWith("m"))
                {
                    duration = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1).trim()));
                }
                else
                {
                    duration = Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
                }
            }
            catch (final NumberFormatException ex)
            {
                throw new TypeConversionException("'" + value + "' is not a time: expected e.g. 500ms, 1s, 2.5s, 1m or 2 (seconds)");
            }
            if (duration.isNegative() || duration.isZero())
            {
                throw new TypeConversionException("'" + value + "' must be positive");
            }
            return duration;
        }
    }
}
