package dev.hostalloc.cli;

import dev.hostalloc.accounting.AccountingSnapshot;
import dev.hostalloc.trace.TraceAnalysis;
import dev.hostalloc.trace.TraceReader;
import dev.hostalloc.trace.TraceReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hostalloc report <file> [--snapshot accounting.json]... [-o report.html]}: one self-contained HTML
 * page about a trace ({@link TraceReport}), with the accounts of any accounting snapshots given.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = HostallocVersion.class,
    description =
    {
        "Writes an HTML report of a trace: live bytes per scope, sizes, peaks, leaks.",
        "One self-contained page (inline SVG and CSS, nothing fetched at view time): " +
            "live bytes over time per scope, a histogram of sizes, the top allocation sizes, peaks per scope, " +
            "and the blocks never freed. With --snapshot, also each accounting snapshot's accounts (current, peak, " +
            "limit, failures, bytes per scope) and what was still live in them.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        HostallocCommand.EXIT_OK + ":written",
        HostallocCommand.EXIT_FAILED + ":the report could not be written",
        HostallocCommand.EXIT_USAGE + ":bad usage (missing, unreadable or damaged trace or snapshot file)",
    })
public final class ReportCommand implements Callable<Integer>
{
    private static final String HTML_SUFFIX = ".html";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<file>", description = "The trace file.")
    private Path file;

    @Option(
        names = { "-o", "--output" },
        paramLabel = "<report.html>",
        description = "Where to write the page (default: the trace's name with .html, next to it).")
    private Path output;

    @Option(
        names = "--snapshot",
        paramLabel = "<accounting.json>",
        description = "An accounting snapshot (AccountingSnapshot.toJson(), docs/schema/accounting-snapshot-v1.json) " +
            "to show: its accounts and what was live in them. Repeatable.")
    private List<Path> snapshotFiles = new ArrayList<>();

    /**
     * Writes the report.
     *
     * @return {@link HostallocCommand#EXIT_OK}, {@link HostallocCommand#EXIT_FAILED} when it cannot be
     *         written, {@link HostallocCommand#EXIT_USAGE} when the trace cannot be read.
     */
    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final TraceReader trace = TraceFiles.open("report", file, err);
        if (null == trace)
        {
            return HostallocCommand.EXIT_USAGE;
        }
        final List<AccountingSnapshot> snapshots = new ArrayList<>();
        for (final Path snapshotFile : snapshotFiles)
        {
            try
            {
                snapshots.add(AccountingSnapshot.fromJson(Files.readString(snapshotFile)));
            }
            catch (final IOException | IllegalArgumentException ex)
            {
                err.println("hostalloc report: cannot read the accounting snapshot " + snapshotFile + ": " + ex.getMessage());
                return HostallocCommand.EXIT_USAGE;
            }
        }
        final Path target = null != output ? output : defaultOutput(file);
        final TraceAnalysis analysis;
        try
        {
            analysis = TraceReport.write(trace, snapshots, target);
        }
        catch (final IOException ex)
        {
            err.println("hostalloc report: cannot write " + target + ": " + ex);
            return HostallocCommand.EXIT_FAILED;
        }
        out.println("hostalloc report: wrote " + target + " (" + trace.recordCount() + " records, peak " +
            TraceReport.bytes(analysis.peakBytes()) + ", " + analysis.leaks().size() + " blocks never freed" +
            (trace.recordsDropped() > 0 ? ", " + trace.recordsDropped() + " records dropped" : "") +
            (snapshots.isEmpty() ? "" : ", " + snapshots.size() + (snapshots.size() == 1 ? " snapshot" : " snapshots")) + ")");
        out.flush();
        return HostallocCommand.EXIT_OK;
    }

    private static Path defaultOutput(final Path trace)
    {
        final String name = trace.getFileName().toString();
        final int dot = name.lastIndexOf('.');
        final String base = dot > 0 ? name.substring(0, dot) : name;
        final Path html = trace.resolveSibling(base + HTML_SUFFIX);
        return html.equals(trace) ? trace.resolveSibling(name + ".report" + HTML_SUFFIX) : html;
    }
}
