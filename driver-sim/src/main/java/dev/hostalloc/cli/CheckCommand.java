package dev.hostalloc.cli;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.conformance.ConformanceReport;
import dev.hostalloc.conformance.ConformanceResult;
import dev.hostalloc.conformance.ConformanceSuite;
import dev.hostalloc.driver.vulkan.AllocationFailureSweep;
import dev.hostalloc.driver.vulkan.SweepResult;
import dev.hostalloc.driver.vulkan.VulkanSmokeRun;
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
import java.util.concurrent.Callable;

/**
 * {@code hostalloc check}: runs the conformance suite on an allocator stack, then (when a Vulkan
 * driver is available) a real Vulkan smoke run through the LWJGL bridge on the same stack, and
 * prints both reports.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = HostallocVersion.class,
    description =
    {
        "Checks an allocator stack: conformance suite, Vulkan smoke run, allocation-failure sweep.",
        "Runs every conformance check of the Vulkan Host Memory chapter on a fresh stack per check, then, " +
            "when a Vulkan driver is available, a smoke run on the real driver through the LWJGL bridge with " +
            "the stack as pAllocator, printing the validator's report (allocations per scope, leaks, " +
            "violations), and the CTS's create_instance_device_intentional_alloc_fail sweep over the same " +
            "stack (fail allocation i of a create/destroy run, for every i; --no-sweep skips it).",
        "Without a Vulkan driver it says so and what to install, and runs the simulated driver (driver-sim) " +
            "on the stack instead; a missing driver fails only when " + VulkanAvailability.REQUIRE_ENV + "=1.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList =
    {
        HostallocCommand.EXIT_OK + ":every check passed",
        HostallocCommand.EXIT_FAILED + ":a check failed",
        HostallocCommand.EXIT_USAGE + ":bad usage (e.g. a malformed --callbacks spec)",
    })
public final class CheckCommand implements Callable<Integer>
{
    private static final String INSTALL_COMMAND = "apt-get install -y " + VulkanAvailability.PACKAGES;

    @Spec
    private CommandSpec spec;

    @Option(
        names = "--callbacks",
        paramLabel = "<spec>",
        description =
        {
            "The allocator stack to check, outermost element first, base allocator last " +
                "(e.g. system). Default: the configured spec (-D" + Allocators.CALLBACKS_PROPERTY + ", then $" +
                Allocators.CALLBACKS_ENV + ", else " + Allocators.DEFAULT_SPEC + ").",
        })
    private String callbacks;

    @Option(
        names = "--no-sweep",
        description = "Skip the allocation-failure sweep on the Vulkan driver (it runs by default, about 2 s).")
    private boolean noSweep;

    /**
     * Runs the check.
     *
     * @return {@link HostallocCommand#EXIT_OK} when everything passed, {@link HostallocCommand#EXIT_FAILED}
     *         when a check failed, {@link HostallocCommand#EXIT_USAGE} for a malformed spec.
     */
    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final String stackSpec = null != callbacks ? callbacks.trim() : Allocators.configuredSpec();
        if (null == StackSpecs.build("check", stackSpec, ViolationHandler.recordAndCount(), err))
        {
            return HostallocCommand.EXIT_USAGE;
        }

        out.println("hostalloc check: allocator stack '" + stackSpec + "'");
        out.println();
        out.println("Conformance (a fresh stack per check, violations thrown to the check):");
        out.flush();
        final ConformanceReport report =
            ConformanceSuite.standard().runAll(() -> Allocators.fromSpec(stackSpec, ViolationHandler.throwing()));
        out.print(report.text());
        out.println();
        out.flush();

        final VulkanAvailability.Availability availability = VulkanAvailability.probe();
        final StepOutcome vulkan = vulkanSmokeRun(out, stackSpec, availability, VulkanAvailability.required());
        final StepOutcome failureSweep = !noSweep && availability.available() ?
            failureSweep(out, stackSpec) : new StepOutcome(true, null);
        final boolean passed = report.passed() && vulkan.passed() && failureSweep.passed();
        out.println("hostalloc check: " + (passed ? "PASSED" : "FAILED") + " (" +
            report.count(ConformanceResult.Outcome.PASSED) + " conformance checks passed, " +
            report.count(ConformanceResult.Outcome.FAILED) + " failed, " +
            report.count(ConformanceResult.Outcome.SKIPPED) + " skipped; " + vulkan.summary() +
            (null == failureSweep.summary() ? "" : "; " + failureSweep.summary()) + ")");
        out.flush();
        return passed ? HostallocCommand.EXIT_OK : HostallocCommand.EXIT_FAILED;
    }

    /** How a step ended, and how the final line sums it up. */
    record StepOutcome(boolean passed, String summary)
    {
    }

    /**
     * The Vulkan part of the check: the smoke run when a driver is available; otherwise a plain
     * statement of what to install, which fails only when Vulkan is {@code required}.
     */
    static StepOutcome vulkanSmokeRun(
        final PrintWriter out,
        final String stackSpec,
        final VulkanAvailability.Availability availability,
        final boolean required)
    {
        if (!availability.available())
        {
            out.println("Vulkan smoke run: not run, no Vulkan driver available: " + oneLine(availability.detail()));
            out.println("  to run it, install lavapipe, the loader and the validation layer: " + INSTALL_COMMAND);
            if (required)
            {
                out.println("  FAILED: " + VulkanAvailability.REQUIRE_ENV + "=1 requires a Vulkan driver");
                out.println();
                return new StepOutcome(false, "Vulkan required but unavailable");
            }
            out.println();
            return simulatedDriverRun(out, stackSpec);
        }

        out.println("Vulkan smoke run through the LWJGL bridge, pAllocator = a fresh '" + stackSpec + "' stack:");
        out.flush();
        final RecordingViolationHandler violations = ViolationHandler.recordAndCount();
        final AllocationCallbacks stack = Allocators.fromSpec(stackSpec, violations);
        boolean passed;
        try
        {
            final var result = VulkanSmokeRun.run(stack);
            out.print(result.text());
            passed = result.passed();
        }
        catch (final RuntimeException ex)
        {
            out.println("  FAILED: the smoke run stopped on " + ex);
            passed = false;
        }
        out.println("violations reported by the stack: " + violations.report().strip());
        if (violations.hasViolations())
        {
            passed = false;
        }
        out.println();
        return new StepOutcome(passed, "Vulkan smoke run " + (passed ? "passed" : "FAILED"));
    }

    /**
     * The embedded default where no Vulkan driver is installed: driver-sim's frame workload on the stack.
     */
    static StepOutcome simulatedDriverRun(final PrintWriter out, final String stackSpec)
    {
        out.println("Simulated driver (driver-sim) instead, pAllocator = a fresh '" + stackSpec + "' stack, " +
            Simulation.DEFAULT_FRAMES + " frames:");
        out.flush();
        final RecordingViolationHandler violations = ViolationHandler.recordAndCount();
        boolean passed;
        try
        {
            final SimulationReport report =
                Simulation.run(Allocators.fromSpec(stackSpec, violations), violations, Simulation.DEFAULT_FRAMES);
            out.print(report.text());
            passed = report.passed();
        }
        catch (final RuntimeException ex)
        {
            out.println("  FAILED: the simulation stopped on " + ex);
            passed = false;
        }
        out.println("violations reported by the stack: " + violations.report().strip());
        passed &= !violations.hasViolations();
        out.println();
        return new StepOutcome(passed, "no Vulkan driver: simulated driver " + (passed ? "passed" : "FAILED"));
    }

    static StepOutcome failureSweep(final PrintWriter out, final String stackSpec)
    {
        out.println("Allocation-failure sweep through the LWJGL bridge, base = a fresh '" + stackSpec + "' stack:");
        out.flush();
        final RecordingViolationHandler violations = ViolationHandler.recordAndCount();
        boolean passed;
        try
        {
            final SweepResult result = AllocationFailureSweep.run(Allocators.fromSpec(stackSpec, violations));
            out.print(result.text());
            passed = result.passed();
        }
        catch (final RuntimeException ex)
        {
            out.println("  FAILED: the sweep stopped on " + ex);
            passed = false;
        }
        out.println("violations reported by the stack: " + violations.report().strip());
        passed &= !violations.hasViolations();
        out.println();
        return new StepOutcome(passed, "failure sweep " + (passed ? "passed" : "FAILED"));
    }

    private static String oneLine(final String text)
    {
        return null == text ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
