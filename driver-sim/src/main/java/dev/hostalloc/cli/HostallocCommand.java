package dev.hostalloc.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The {@code hostalloc} command line ({@code ./hostalloc} at the repository root runs it). Every
 * command answers {@code --help} and {@code --version}.
 *
 * <p>Exit codes, for every command: {@value #EXIT_OK} when everything passed, {@value #EXIT_FAILED}
 * when a check failed, {@value #EXIT_USAGE} on bad usage (unknown option, malformed allocator spec,
 * no command).
 */
@Command(
    name = "hostalloc",
    mixinStandardHelpOptions = true,
    versionProvider = HostallocVersion.class,
    description =
    {
        "One host-memory abstraction (Vulkan's VkAllocationCallbacks semantics) for JVM graphics and " +
            "real-time code: allocators that stack, CTS-grade checks, and the LWJGL bridge to real Vulkan drivers.",
    },
    subcommands = {
        RunCommand.class, RenderCommand.class, FaultSweepCommand.class, CheckCommand.class, SimulateCommand.class,
        StatCommand.class, TraceCommand.class, ReplayCommand.class,
        ReportCommand.class,
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        HostallocCommand.EXIT_OK + ":everything passed",
        HostallocCommand.EXIT_FAILED + ":a check failed",
        HostallocCommand.EXIT_USAGE + ":bad usage (unknown option, malformed allocator spec, no command)",
    })
public final class HostallocCommand implements Callable<Integer>
{
    /** Exit code: everything passed. */
    public static final int EXIT_OK = 0;

    /** Exit code: a check failed. */
    public static final int EXIT_FAILED = 1;

    /** Exit code: bad usage. */
    public static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    /**
     * Without a command there is nothing to do: prints the usage to standard error.
     *
     * @return {@link #EXIT_USAGE}.
     */
    @Override
    public Integer call()
    {
        final PrintWriter err = spec.commandLine().getErr();
        err.println("hostalloc: no command given; try 'hostalloc run'");
        spec.commandLine().usage(err);
        return EXIT_USAGE;
    }

    /**
     * Builds the command line with its subcommands, writing to the given streams.
     *
     * @param out where results go (a command's report).
     * @param err where usage errors and diagnostics go.
     * @return the configured picocli command line.
     */
    public static CommandLine newCommandLine(final PrintWriter out, final PrintWriter err)
    {
        final CommandLine commandLine = new CommandLine(new HostallocCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine;
    }

    /**
     * Runs {@code hostalloc} with {@code args}, flushing both streams.
     *
     * @param args the command line arguments.
     * @param out  where results go.
     * @param err  where usage errors and diagnostics go.
     * @return the exit code: {@link #EXIT_OK}, {@link #EXIT_FAILED} or {@link #EXIT_USAGE}.
     */
    public static int execute(final String[] args, final PrintWriter out, final PrintWriter err)
    {
        try
        {
            return newCommandLine(out, err).execute(args);
        }
        finally
        {
            out.flush();
            err.flush();
        }
    }

    /**
     * The entry point: runs {@code hostalloc} on the standard streams and exits with its code.
     *
     * @param args the command line arguments.
     */
    public static void main(final String[] args)
    {
        final int exitCode = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(exitCode);
    }
}
