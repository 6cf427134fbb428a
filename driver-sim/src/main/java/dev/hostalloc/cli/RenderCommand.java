package dev.hostalloc.cli;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.render.RenderReport;
import dev.hostalloc.render.RenderRun;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.vulkan.VulkanAvailability;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code hostalloc render}: the LWJGL Vulkan renderer on the real driver only, every host allocation
 * (the driver's and the renderer's own) through one allocator stack; prints a table per scope, the
 * violations, the leaks and where the PNG and report went. Without a Vulkan driver it fails, naming
 * the packages to install.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    versionProvider = HostallocVersion.class,
    description =
    {
        "Renders a rotating triangle offscreen on the real Vulkan driver (lavapipe is fine) with every host " +
            "allocation - the driver's through pAllocator and the renderer's own - going through one allocator " +
            "stack; writes the last frame as a PNG and prints allocations per scope, violations and leaks.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        HostallocCommand.EXIT_OK + ":the render passed",
        HostallocCommand.EXIT_FAILED + ":no Vulkan driver, a step failed, a validation message, a violation or a leak",
        HostallocCommand.EXIT_USAGE + ":bad usage (malformed --callbacks, --frames below 1)",
    })
public final class RenderCommand implements Callable<Integer>
{
    /** The allocator stack when {@code --callbacks} is not given. */
    public static final String DEFAULT_CALLBACKS = "cookies,accounting,system";
    /** The PNG when {@code --out} is not given. */
    public static final String DEFAULT_OUT = "frame.png";

    @Spec
    private CommandSpec spec;

    @Option(names = "--callbacks", paramLabel = "<spec>",
        description = "The allocator stack, outermost element first (default: ${DEFAULT-VALUE}).")
    String callbacks = DEFAULT_CALLBACKS;

    @Option(names = "--frames", paramLabel = "N", description = "Frames to render (default: ${DEFAULT-VALUE}).")
    int frames = RenderRun.DEFAULT_FRAMES;

    @Option(names = "--out", paramLabel = "<file.png>", description = "The last frame as PNG (default: ${DEFAULT-VALUE}).")
    Path out = Path.of(DEFAULT_OUT);

    @Option(names = "--report", paramLabel = "<report.json|report.html>",
        description = "Also write a report: JSON (accounting snapshot + run facts), or HTML when the name ends in .html.")
    Path report;

    @Option(names = "--validation",
        description = "Enable VK_LAYER_KHRONOS_validation; any warning or error message fails the run.")
    boolean validation;

    private final Supplier<VulkanAvailability.Availability> probe;

    /** The command as picocli makes it: probes the real Vulkan loader. */
    public RenderCommand()
    {
        this(VulkanAvailability::probe);
    }

    RenderCommand(final Supplier<VulkanAvailability.Availability> probe)
    {
        this.probe = probe;
    }

    /**
     * Renders.
     *
     * @return {@link HostallocCommand#EXIT_OK} when the run passed, {@link HostallocCommand#EXIT_FAILED}
     *         when not (or no driver), {@link HostallocCommand#EXIT_USAGE} for bad options.
     */
    @Override
    public Integer call()
    {
        final PrintWriter err = spec.commandLine().getErr();
        final RenderSetup setup = RenderSetup.prepare("render", callbacks, frames, err);
        if (null == setup)
        {
            return HostallocCommand.EXIT_USAGE;
        }
        final VulkanAvailability.Availability availability = probe.get();
        if (!availability.available())
        {
            setup.accounts().close();
            err.println("hostalloc render: no Vulkan driver: " + availability.detail().strip());
            err.println("install a real driver (Debian/Ubuntu): apt-get install " + VulkanAvailability.PACKAGES);
            err.println("or run './hostalloc run' / './hostalloc simulate' for driver-sim's simulated backend");
            err.flush();
            return HostallocCommand.EXIT_FAILED;
        }
        return renderOnVulkan(spec.commandLine().getOut(), err, "render", setup, frames, out, report, validation);
    }

    static int renderOnVulkan(
        final PrintWriter out,
        final PrintWriter err,
        final String command,
        final RenderSetup setup,
        final int frames,
        final Path png,
        final Path reportPath,
        final boolean validation)
    {
        final String stackSpec = setup.spec();
        out.println("hostalloc " + command + ": Vulkan renderer (LWJGL, real driver), " + frames + " frames, callbacks = '" +
            stackSpec + "'" + (validation ? ", validation on" : ""));
        out.println("LWJGL's own allocations: " + setup.accounts().lwjglRouting());
        out.flush();
        final ProgressBar bar = new ProgressBar(err, "rendering", ProgressBar.stderrIsTerminal());
        final RenderReport report = RenderRun.run(setup.accounts(), setup.violations(), stackSpec, frames, validation, png, bar::update);
        boolean reportFailed = false;
        if (null != reportPath)
        {
            try
            {
                RenderOutput.write(reportPath, report, "vulkan");
            }
            catch (final IOException ex)
            {
                err.println("hostalloc " + command + ": cannot write " + reportPath + ": " + ex.getMessage());
                reportFailed = true;
            }
        }
        out.println();
        RenderOutput.print(out, report, reportFailed ? null : reportPath);
        out.println();
        final boolean passed = report.passed() && !reportFailed;
        out.println("hostalloc " + command + ": " + (passed ? "PASSED" : "FAILED"));
        out.flush();
        err.flush();
        return passed ? HostallocCommand.EXIT_OK : HostallocCommand.EXIT_FAILED;
    }
}
