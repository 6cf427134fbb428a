package dev.hostalloc.cli;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.render.FaultSweepResult;
import dev.hostalloc.render.RenderFaultSweep;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.vulkan.VulkanAvailability;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code hostalloc faultsweep}: the CTS {@code alloc_callback_fail} method over the whole renderer on
 * the real driver; prints a table of failure index N → outcome, our findings, and the driver's own
 * leaks with the call that allocated them.
 */
@Command(
    name = "faultsweep",
    mixinStandardHelpOptions = true,
    versionProvider = HostallocVersion.class,
    description =
    {
        "The Vulkan CTS alloc_callback_fail method over the whole renderer on the real driver: counts the host " +
            "allocations of setup + one frame + teardown, then for each N fails allocation N and every later one. " +
            "Setup must stop with VK_ERROR_OUT_OF_HOST_MEMORY as a clear error (or the frame fail cleanly), " +
            "teardown must destroy what exists, and nothing of ours may stay live. Blocks the driver keeps after " +
            "everything of ours is destroyed are listed apart, with the call that allocated them.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        HostallocCommand.EXIT_OK + ":every failure point was handled cleanly on our side",
        HostallocCommand.EXIT_FAILED + ":no Vulkan driver, or a finding (unexpected result, leak of ours, violation)",
        HostallocCommand.EXIT_USAGE + ":bad usage (malformed --callbacks, --frames-sample below -1)",
    })
public final class FaultSweepCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--callbacks", paramLabel = "<spec>",
        description = "The allocator serving the allocations that pass (default: ${DEFAULT-VALUE}).")
    String callbacks = Allocators.DEFAULT_SPEC;

    @Option(names = "--frames-sample", paramLabel = "K",
        description = "Failure points tried in the frame-and-teardown range, evenly spaced; -1 for all " +
            "(default: ${DEFAULT-VALUE}). Every setup allocation is always tried.")
    int framesSample = RenderFaultSweep.ALL_FRAME_POINTS;

    @Option(names = "--only", paramLabel = "N",
        description = "Try only failure point N (e.g. to re-check a driver crash in its own process).")
    long only = RenderFaultSweep.ALL_POINTS;

    private final Supplier<VulkanAvailability.Availability> probe;

    /** The command as picocli makes it: probes the real Vulkan loader. */
    public FaultSweepCommand()
    {
        this(VulkanAvailability::probe);
    }

    FaultSweepCommand(final Supplier<VulkanAvailability.Availability> probe)
    {
        this.probe = probe;
    }

    /**
     * Sweeps.
     *
     * @return {@link HostallocCommand#EXIT_OK} when clean, {@link HostallocCommand#EXIT_FAILED} on a
     *         finding or without a driver, {@link HostallocCommand#EXIT_USAGE} for bad options.
     */
    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (framesSample < RenderFaultSweep.ALL_FRAME_POINTS)
        {
            err.println("hostalloc faultsweep: --frames-sample must be -1 (all) or at least 0: " + framesSample);
            return HostallocCommand.EXIT_USAGE;
        }
        final AllocationCallbacks base;
        try
        {
            base = Allocators.fromSpec(callbacks.trim());
        }
        catch (final AllocatorSpecException ex)
        {
            StackSpecs.printBadSpec("faultsweep", ex, err);
            return HostallocCommand.EXIT_USAGE;
        }
        final VulkanAvailability.Availability availability = probe.get();
        if (!availability.available())
        {
            err.println("hostalloc faultsweep: no Vulkan driver: " + availability.detail().strip());
            err.println("install a real driver (Debian/Ubuntu): apt-get install " + VulkanAvailability.PACKAGES);
            return HostallocCommand.EXIT_FAILED;
        }
        out.println("hostalloc faultsweep: CTS alloc_callback_fail over the renderer (setup + 1 frame + teardown), " +
            "base allocator '" + callbacks.trim() + "', frame points: " +
            (RenderFaultSweep.ALL_FRAME_POINTS == framesSample ? "all" : framesSample + " sampled"));
        out.flush();
        final ProgressBar bar = new ProgressBar(err, "failure points", ProgressBar.stderrIsTerminal());
        final FaultSweepResult result = RenderFaultSweep.run(base, framesSample, only, bar::update);
        out.println();
        out.println("device: " + result.device());
        out.println("allocations counted: setup " + result.setupAllocations() + ", one frame " +
            result.frameAllocations() + ", total with teardown " + result.totalAllocations() + "; tried " +
            result.tried().size() + " failure points in " + result.elapsedMillis() + " ms");
        out.println();
        out.print(result.table());
        out.println();
        print(out, "findings (ours)", result.findings());
        print(out, "driver faults (lavapipe's own: blocks kept after all our objects were destroyed, with the allocating call; frees of pointers it never got)",
            result.driverLeaks());
        out.println();
        out.println("hostalloc faultsweep: " + (result.passed() ? "PASSED" : "FAILED"));
        out.flush();
        return result.passed() ? HostallocCommand.EXIT_OK : HostallocCommand.EXIT_FAILED;
    }

    private static void print(final PrintWriter out, final String heading, final List<String> lines)
    {
        out.println(heading + ": " + lines.size());
        final int shown = Math.min(lines.size(), 20);
        for (int i = 0; i < shown; i++)
        {
            out.println("  " + lines.get(i));
        }
        if (lines.size() > shown)
        {
            out.println("  ... " + (lines.size() - shown) + " more");
        }
    }
}
