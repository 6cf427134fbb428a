package dev.hostalloc.cli;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.sim.workload.ObjectAllocationTable;
import dev.hostalloc.sim.workload.Simulation;
import dev.hostalloc.sim.workload.SimulationReport;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.Allocators;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hostalloc simulate}: runs the frame workload (create, then per frame record, submit,
 * reset) on driver-sim, the simulated driver whose every byte of host state comes from the
 * callbacks, with an allocator stack as the instance's callbacks, and prints the allocation summary
 * per scope and object type and the validator's verdict. {@code --table} prints the per-object
 * allocation table instead.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    versionProvider = HostallocVersion.class,
    description =
    {
        "Runs the frame workload on driver-sim (a simulated Vulkan-style driver whose object state lives " +
            "entirely in memory from the callbacks) with an allocator stack, and prints the allocation summary.",
        "Setup creates an instance, device, buffers, image, shader module, pipeline cache, pipeline, descriptor " +
            "pool and set, command pool and buffer, and fence; each frame records fill/update/copy/clear/bind/draw, " +
            "submits, waits and resets. After the first frame no callback may be called; after teardown nothing " +
            "may be live (the CTS validator checks both).",
        "--table prints instead, as Markdown, each object's host state per scope.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        HostallocCommand.EXIT_OK + ":the simulation passed",
        HostallocCommand.EXIT_FAILED + ":a frame failed, a steady frame allocated, something leaked or a violation was reported",
        HostallocCommand.EXIT_USAGE + ":bad usage (e.g. a malformed --callbacks spec, --frames below 1)",
    })
public final class SimulateCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Option(
        names = "--callbacks",
        paramLabel = "<spec>",
        description =
        {
            "The allocator stack given to the instance (so every object's memory comes from it), outermost " +
                "element first (e.g. system). Default: the configured spec (-D" + Allocators.CALLBACKS_PROPERTY +
                ", then $" + Allocators.CALLBACKS_ENV + ", else " + Allocators.DEFAULT_SPEC + ").",
        })
    private String callbacks;

    @Option(
        names = "--frames",
        paramLabel = "N",
        description = "Frames to run (default: ${DEFAULT-VALUE}).")
    private int frames = Simulation.DEFAULT_FRAMES;

    @Option(
        names = "--table",
        description = "Print each object's host state per scope as a Markdown table (measured with a recorded " +
            "system allocator) instead of running the frame workload.")
    private boolean table;

    /**
     * Runs the simulation, or prints the table.
     *
     * @return {@link HostallocCommand#EXIT_OK} when it passed, {@link HostallocCommand#EXIT_FAILED} when not,
     *         {@link HostallocCommand#EXIT_USAGE} for bad options.
     */
    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        if (table)
        {
            final List<ObjectAllocationTable.Row> rows = ObjectAllocationTable.measure();
            out.println("driver-sim host state per object and scope (blocks and bytes live after create; COMMAND: " +
                "used during create):");
            out.println();
            out.print(ObjectAllocationTable.markdown(rows));
            out.flush();
            return rows.stream().allMatch(r -> r.freedOnDestroy() && r.commandFreed()) ?
                HostallocCommand.EXIT_OK : HostallocCommand.EXIT_FAILED;
        }
        if (frames < 1)
        {
            err.println("hostalloc simulate: --frames must be at least 1: " + frames);
            err.flush();
            return HostallocCommand.EXIT_USAGE;
        }
        final String stackSpec = null != callbacks ? callbacks.trim() : Allocators.configuredSpec();
        final RecordingViolationHandler violations = ViolationHandler.recordAndCount();
        final AllocationCallbacks stack = StackSpecs.build("simulate", stackSpec, violations, err);
        if (null == stack)
        {
            return HostallocCommand.EXIT_USAGE;
        }

        out.println("hostalloc simulate: driver-sim frame workload, " + frames + " frames, instance callbacks = '" +
            stackSpec + "'");
        out.println();
        out.flush();
        SimulationReport report;
        try
        {
            report = Simulation.run(stack, violations, frames);
        }
        catch (final RuntimeException ex)
        {
            out.println("FAILED: the simulation stopped on " + ex);
            out.flush();
            return HostallocCommand.EXIT_FAILED;
        }
        out.print(report.text());
        out.println();
        out.println("hostalloc simulate: " + (report.passed() ? "PASSED" : "FAILED"));
        out.flush();
        return report.passed() ? HostallocCommand.EXIT_OK : HostallocCommand.EXIT_FAILED;
    }
}
