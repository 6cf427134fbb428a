package dev.hostalloc.cli;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.logging.LoggingAllocator;
import dev.hostalloc.logging.LoggingElement;
import dev.hostalloc.stack.AllocatorSpec;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.stack.ElementSpec;
import dev.hostalloc.trace.ReplayResult;
import dev.hostalloc.trace.TraceReader;
import dev.hostalloc.trace.TraceReplayer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code hostalloc replay <file> --callbacks <spec>}: replays a recorded trace against any allocator
 * stack ({@link TraceReplayer}) and prints ops/s, peak bytes, failures, violations and what a trace
 * with gaps made it skip.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = HostallocVersion.class,
    description =
    {
        "Replays a trace against an allocator stack and reports what it did.",
        "The same calls in the same order, addresses remapped, " +
            "reallocations and frees matched. Prints ops/s, peak bytes, failures (NULL where the recording " +
            "succeeded), violations (the CTS validator on the replayed calls, plus what the stack reported) and, " +
            "for a trace with gaps, what it skipped.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        HostallocCommand.EXIT_OK + ":replayed with no failure and no violation",
        HostallocCommand.EXIT_FAILED + ":a call failed or a violation was found",
        HostallocCommand.EXIT_USAGE + ":bad usage (malformed spec, missing or unreadable trace)",
    })
public final class ReplayCommand implements Callable<Integer>
{
    private static final int BAR_WIDTH = 30;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<file>", description = "The trace file.")
    private Path file;

    @Option(
        names = "--callbacks",
        paramLabel = "<spec>",
        description =
        {
            "The stack to replay against, outermost element first, base allocator last (e.g. system). " +
                "Default: the configured spec (-D" + Allocators.CALLBACKS_PROPERTY + ", then $" +
                Allocators.CALLBACKS_ENV + ", else " + Allocators.DEFAULT_SPEC + ").",
        })
    private String callbacks;

    @Option(names = "--progress", description = "Show the progress bar even when standard error is not a terminal.")
    private boolean progress;

    @Option(
        names = "--no-validate",
        description = "Do not record and validate the calls (for traces too large to hold in memory twice).")
    private boolean noValidate;

    /**
     * Replays the trace.
     *
     * @return {@link HostallocCommand#EXIT_OK} when clean, {@link HostallocCommand#EXIT_FAILED} on a
     *         failure or violation, {@link HostallocCommand#EXIT_USAGE} for bad usage.
     */
    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String stackSpec = null != callbacks ? callbacks.trim() : Allocators.configuredSpec();
        final TraceReader trace = TraceFiles.open("replay", file, err);
        if (null == trace)
        {
            return HostallocCommand.EXIT_USAGE;
        }
        final RecordingViolationHandler violations = ViolationHandler.recordAndCount();
        final AllocationCallbacks stack;
        try
        {
            refuseToOverwrite(stackSpec, file);
            stack = Allocators.fromSpec(stackSpec, violations);
        }
        catch (final AllocatorSpecException ex)
        {
            StackSpecs.printBadSpec("replay", ex, err);
            return HostallocCommand.EXIT_USAGE;
        }

        out.println("hostalloc replay: " + trace.describe());
        out.println("against '" + stackSpec + "'");
        out.flush();
        final boolean showProgress = progress || isTerminal();
        final ReplayResult result;
        try
        {
            result = TraceReplayer.replay(trace, stack, !noValidate,
                showProgress ? (done, total) -> bar(err, done, total) : TraceReplayer.Progress.NONE);
        }
        catch (final IOException ex)
        {
            err.println();
            err.println("hostalloc replay: " + ex.getMessage());
            return HostallocCommand.EXIT_USAGE;
        }
        finally
        {
            if (stack instanceof LoggingAllocator logging)
            {
                logging.close();
            }
        }
        if (showProgress)
        {
            err.println();
            err.flush();
        }
        out.print(result.text());
        out.println("stack     " + (violations.hasViolations() ? "reported " + violations.report().strip() :
            "reported no violations"));
        final boolean passed = result.passed() && !violations.hasViolations();
        out.println("hostalloc replay: " + (passed ? "PASSED" : "FAILED"));
        out.flush();
        return passed ? HostallocCommand.EXIT_OK : HostallocCommand.EXIT_FAILED;
    }

    /** A logging element writing the trace being replayed would truncate it before it is read. */
    private static void refuseToOverwrite(final String stackSpec, final Path trace)
    {
        final Path input = trace.toAbsolutePath().normalize();
        for (final ElementSpec element : AllocatorSpec.parse(stackSpec).elements())
        {
            if (LoggingElement.NAME.equals(element.name()) && element.args().positionalCount() > 0 &&
                Path.of(element.args().positional(0)).toAbsolutePath().normalize().equals(input))
            {
                throw new AllocatorSpecException("the replay stack's 'logging' element would overwrite the trace " +
                    "being replayed (" + trace + "): log the replay to another file");
            }
        }
    }

    private static boolean isTerminal()
    {
        final Console console = System.console();
        return null != console && console.isTerminal();
    }

    private static void bar(final PrintWriter err, final long done, final long total)
    {
        final int filled = total == 0 ? BAR_WIDTH : (int)(BAR_WIDTH * done / total);
        final StringBuilder sb = new StringBuilder(80).append("\rreplay [");
        for (int i = 0; i < BAR_WIDTH; i++)
        {
            sb.append(i < filled ? '#' : '.');
        }
        sb.append(String.format("] %3d%%  %,d/%,d records", total == 0 ? 100 : done * 100 / total, done, total));
        err.print(sb);
        err.flush();
    }
}
