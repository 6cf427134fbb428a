package dev.hostalloc.cli;

import dev.hostalloc.trace.TraceHeader;
import dev.hostalloc.trace.TraceLines;
import dev.hostalloc.trace.TraceReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code hostalloc trace}: tools for trace files written by the {@code logging} element; so far
 * {@code trace print}.
 */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    versionProvider = HostallocVersion.class,
    description =
    {
        "Reads allocation traces (written by the logging element).",
        "Record one with a stack that starts with logging:<file>, e.g. --callbacks logging:run.trace,system or " +
            "-D" + dev.hostalloc.stack.Allocators.CALLBACKS_PROPERTY + "=logging:run.trace,system.",
    },
    subcommands = { TraceCommand.Print.class },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        HostallocCommand.EXIT_OK + ":done",
        HostallocCommand.EXIT_USAGE + ":bad usage (no subcommand, missing or unreadable trace file)",
    })
public final class TraceCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    /**
     * Without a subcommand: prints the usage to standard error.
     *
     * @return {@link HostallocCommand#EXIT_USAGE}.
     */
    @Override
    public Integer call()
    {
        final PrintWriter err = spec.commandLine().getErr();
        err.println("hostalloc trace: no subcommand given; try 'hostalloc trace print <file>'");
        spec.commandLine().usage(err);
        return HostallocCommand.EXIT_USAGE;
    }

    /** {@code hostalloc trace print <file> [--json] [--limit <n>]}. */
    @Command(
        name = "print",
        mixinStandardHelpOptions = true,
        versionProvider = HostallocVersion.class,
        description =
        {
            "Prints a trace, one record per line, as text or JSON Lines.",
            "As text (a summary line first, starting with '#'), or with " +
                "--json as JSON Lines (one flat object per record: i, t_ns, thread, op, size, alignment, scope, " +
                "type, address, result; addresses as hex strings) with the summary on standard error.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList =
        {
            HostallocCommand.EXIT_OK + ":printed",
            HostallocCommand.EXIT_USAGE + ":bad usage (missing, unreadable or damaged trace file)",
        })
    static final class Print implements Callable<Integer>
    {
        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "<file>", description = "The trace file.")
        private Path file;

        @Option(names = "--json", description = "JSON Lines instead of text.")
        private boolean json;

        @Option(names = "--limit", paramLabel = "<n>", description = "Print at most <n> records (default: all).")
        private long limit = Long.MAX_VALUE;

        /**
         * Prints the trace.
         *
         * @return {@link HostallocCommand#EXIT_OK}, or {@link HostallocCommand#EXIT_USAGE} when the file
         *         cannot be read as a trace.
         */
        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            if (limit < 0)
            {
                err.println("hostalloc trace print: --limit must not be negative: " + limit);
                return HostallocCommand.EXIT_USAGE;
            }
            final TraceReader trace = TraceFiles.open("trace print", file, err);
            if (null == trace)
            {
                return HostallocCommand.EXIT_USAGE;
            }
            final TraceHeader header = trace.header();
            if (json)
            {
                err.println(trace.describe());
            }
            else
            {
                out.println("# " + trace.describe());
            }
            final long[] printed = { 0 };
            try
            {
                trace.forEach(limit, record ->
                {
                    out.println(json ? TraceLines.json(record, header) : TraceLines.text(record, header));
                    printed[0]++;
                });
            }
            catch (final IOException ex)
            {
                out.flush();
                err.println("hostalloc trace print: " + ex.getMessage());
                return HostallocCommand.EXIT_USAGE;
            }
            if (printed[0] < trace.recordCount())
            {
                (json ? err : out).println((json ? "" : "# ") + "... " + (trace.recordCount() - printed[0]) +
                    " more records (--limit " + limit + ")");
            }
            out.flush();
            return HostallocCommand.EXIT_OK;
        }
    }
}
