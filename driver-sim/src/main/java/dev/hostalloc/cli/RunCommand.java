package dev.hostalloc.cli;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.render.RenderRun;
import dev.hostalloc.sim.workload.Simulation;
import dev.hostalloc.sim.workload.SimulationReport;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.vulkan.VulkanAvailability;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code hostalloc run}: the main job. With a Vulkan driver it is {@code hostalloc render}; without one
 * it runs driver-sim's frame workload (as {@code hostalloc simulate}) and says so, naming the packages
 * that add a real driver.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = HostallocVersion.class,
    description =
    {
        "The main job: renders with the LWJGL Vulkan renderer on the real driver when one is installed " +
            "(as 'hostalloc render'), otherwise runs driver-sim's frame workload (as 'hostalloc simulate'), " +
            "every host allocation through one allocator stack; says which backend ran.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        HostallocCommand.EXIT_OK + ":the run passed",
        HostallocCommand.EXIT_FAILED + ":a step failed, a validation message, a violation or a leak",
        HostallocCommand.EXIT_USAGE + ":bad usage (malformed --callbacks, --frames below 1)",
    })
public final class RunCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(names = "--callbacks", paramLabel = "<spec>",
        description = "The allocator stack, outermost element first (default: ${DEFAULT-VALUE}).")
    String callbacks = RenderCommand.DEFAULT_CALLBACKS;

    @Option(names = "--frames", paramLabel = "N", description = "Frames (default: ${DEFAULT-VALUE}).")
    int frames = RenderRun.DEFAULT_FRAMES;

    @Option(names = "--out", paramLabel = "<file.png>",
        description = "The last frame as PNG, Vulkan backend only (default: ${DEFAULT-VALUE}).")
    Path out = Path.of(RenderCommand.DEFAULT_OUT);

    @Option(names = "--report", paramLabel = "<report.json|report.html>",
        description = "Also write a report (Vulkan backend; JSON, or HTML when the name ends in .html).")
    Path report;

    @Option(names = "--validation",
        description = "Vulkan backend: enable VK_LAYER_KHRONOS_validation; any warning or error fails the run.")
    boolean validation;

    private final Supplier<VulkanAvailability.Availability> probe;

    /** The command as picocli makes it: probes the real Vulkan loader. */
    public RunCommand()
    {
        this(VulkanAvailability::probe);
    }

    RunCommand(final Supplier<VulkanAvailability.Availability> probe)
    {
        this.probe = probe;
    }

    /**
     * Runs on the real driver if there is one, else on driver-sim.
     *
     * @return {@link HostallocCommand#EXIT_OK} when the run passed, {@link HostallocCommand#EXIT_FAILED}
     *         when not, {@link HostallocCommand#EXIT_USAGE} for bad options.
     */
    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final RenderSetup setup = RenderSetup.prepare("run", callbacks, frames, err);
        if (null == setup)
        {
            return HostallocCommand.EXIT_USAGE;
        }
        final VulkanAvailability.Availability availability = probe.get();
        if (availability.available())
        {
            out.println("backend: Vulkan (" + availability.detail().strip() + ")");
            return RenderCommand.renderOnVulkan(out, err, "run", setup, frames, out(), report, validation);
        }
        setup.accounts().close();
        final String why = availability.detail().strip().lines().findFirst().orElse("");
        final int install = why.indexOf("; install");
        out.println("backend: driver-sim (simulated driver) - no Vulkan driver here: " +
            (install > 0 ? why.substring(0, install) : why));
        out.println("  for the real renderer install (Debian/Ubuntu): apt-get install " + VulkanAvailability.PACKAGES);
        if (validation || null != report)
        {
            out.println("  (--validation, --report and --out apply to the Vulkan backend only)");
        }
        return simulate(out, setup);
    }

    private Path out()
    {
        return out;
    }

    private int simulate(final PrintWriter out, final RenderSetup setup)
    {
        final String stackSpec = setup.spec();
        final RecordingViolationHandler violations = setup.violations();
        final AllocationCallbacks stack = setup.stack();
        out.println("hostalloc run: driver-sim frame workload, " + frames + " frames, instance callbacks = '" +
            stackSpec + "'");
        out.println();
        out.flush();
        final SimulationReport result;
        try
        {
            result = Simulation.run(stack, violations, frames);
        }
        catch (final RuntimeException ex)
        {
            out.println("FAILED: the simulation stopped on " + ex);
            out.flush();
            return HostallocCommand.EXIT_FAILED;
        }
        out.print(result.text());
        out.println();
        out.println("hostalloc run (driver-sim): " + (result.passed() ? "PASSED" : "FAILED"));
        out.flush();
        return result.passed() ? HostallocCommand.EXIT_OK : HostallocCommand.EXIT_FAILED;
    }
}
