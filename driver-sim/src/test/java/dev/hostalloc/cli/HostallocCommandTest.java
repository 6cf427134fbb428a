package dev.hostalloc.cli;

import dev.hostalloc.stack.Allocators;
import dev.hostalloc.stack.ElementArgs;
import dev.hostalloc.stack.ElementFactory;
import dev.hostalloc.testkit.DeclaredTraitsAllocator;
import dev.hostalloc.vulkan.VulkanAvailability;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostallocCommandTest
{
    private static final String UNDER_DECLARED = "cli-test-under-declared";
    private static final long DECLARED_MAX_ALIGNMENT = 4096; // below the kit's 64 KiB

    /** What one run printed and returned. */
    private record Run(int exitCode, String out, String err)
    {
    }

    private static Run run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exitCode = HostallocCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCheckCommandAndExitCodes()
    {
        final Run run = run("--help");
        assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("Usage: hostalloc [-hV] [COMMAND]"), run.out());
        assertTrue(run.out().contains("  run         The main job: renders with the LWJGL Vulkan renderer"), run.out());
        assertTrue(run.out().contains("  check       Checks an allocator stack: conformance suite, Vulkan smoke run,"),
            run.out());
        assertTrue(run.out().contains("  simulate    Runs the frame workload on driver-sim"), run.out());
        assertTrue(run.out().contains("Exit codes:"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void everyCommandAnswersHelpAndVersion()
    {
        final Run help = run("check", "--help");
        assertEquals(HostallocCommand.EXIT_OK, help.exitCode(), help.err());
        assertTrue(help.out().startsWith("Usage: hostalloc check [-hV] [--no-sweep] [--callbacks=<spec>]"), help.out());
        assertTrue(help.out().contains("HOSTALLOC_CALLBACKS"), help.out());

        for (final String[] args : new String[][] { { "--version" }, { "check", "--version" } })
        {
            final Run version = run(args);
            assertEquals(HostallocCommand.EXIT_OK, version.exitCode(), version.err());
            final String[] lines = version.out().split("\\R");
            assertEquals("hostalloc " + HostallocVersion.hostallocVersion(), lines[0]);
            assertTrue(lines[1].startsWith("Java " + Runtime.version().feature()), version.out());
            assertTrue(lines[2].startsWith("LWJGL 3.4.2"), version.out());
        }
    }

    @Test
    void noCommandIsBadUsage()
    {
        final Run run = run();
        assertEquals(HostallocCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().startsWith("hostalloc: no command given; try 'hostalloc run'"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void anUnknownOptionIsBadUsage()
    {
        final Run run = run("check", "--no-such-option");
        assertEquals(HostallocCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().startsWith("Unknown option: '--no-such-option'"), run.err());
    }

    @Test
    void aBadSpecIsOneClearLineAndBadUsageWithoutAStackTrace()
    {
        final Run run = run("check", "--callbacks", "sytem");
        assertEquals(HostallocCommand.EXIT_USAGE, run.exitCode());
        final String firstLine = run.err().lines().findFirst().orElseThrow();
        assertTrue(firstLine.startsWith("hostalloc check: "), run.err());
        assertTrue(firstLine.contains("'sytem'") && firstLine.contains("system"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
        assertTrue(run.err().contains("no arguments" + System.lineSeparator()), run.err()); // system's usage line
        assertTrue(run.err().endsWith(System.lineSeparator()), run.err());
        assertEquals("", run.out(), "nothing is checked for a bad spec");

        final Run empty = run("check", "--callbacks", " ");
        assertEquals(HostallocCommand.EXIT_USAGE, empty.exitCode());
        assertTrue(empty.err().startsWith("hostalloc check: empty allocator spec"), empty.err());
    }

    @Test
    void checkPassesOnTheSystemAllocator()
    {
        final Run run = run("check", "--callbacks", "system");
        assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().startsWith("hostalloc check: allocator stack 'system'"), run.out());
        assertTrue(run.out().contains("conformance: 15 passed, 0 failed, 0 skipped of 15 checks"), run.out());
        assertTrue(run.out().contains("  PASS  reallocate-failure-keeps-original "), run.out());
        final VulkanAvailability.Availability vulkan = VulkanAvailability.probe();
        if (vulkan.available())
        {
            assertTrue(run.out().contains("Vulkan smoke run through the LWJGL bridge, pAllocator = a fresh 'system' " +
                "stack:"), run.out());
            assertTrue(run.out().contains("Vulkan smoke run: PASS"), run.out());
            assertTrue(run.out().contains("allocations per scope:"), run.out());
            assertTrue(run.out().contains("violations reported by the stack: no violations"), run.out());
            assertTrue(run.out().contains("Vulkan smoke run passed; failure sweep passed)"), run.out());
            assertTrue(run.out().contains("Allocation failure sweep (create_instance_device_intentional_alloc_fail): PASS"),
                run.out());
            assertTrue(run.out().contains("findings: 0"), run.out());
        }
        else
        {
            assertTrue(run.out().contains("apt-get install -y mesa-vulkan-drivers libvulkan1 vulkan-validationlayers"),
                run.out());
        }
        assertTrue(run.out().strip().lines().reduce((a, b) -> b).orElseThrow().startsWith("hostalloc check: PASSED"),
            run.out());
    }

    @Test
    void noSweepSkipsTheFailureSweep()
    {
        final Run run = run("check", "--callbacks", "system", "--no-sweep");
        assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.out() + run.err());
        assertFalse(run.out().contains("Allocation-failure sweep"), run.out());
        assertFalse(run.out().contains("failure sweep passed"), run.out());
    }

    @Test
    void withoutVulkanTheCheckSaysWhatToInstallAndFailsOnlyWhenRequired()
    {
        final VulkanAvailability.Availability none =
            new VulkanAvailability.Availability(false, "no Vulkan loader (libvulkan.so.1 not found)");
        final StringWriter optional = new StringWriter();
        final CheckCommand.StepOutcome skipped =
            CheckCommand.vulkanSmokeRun(new PrintWriter(optional, true), "system", none, false);
        assertTrue(skipped.passed(), optional.toString());
        assertEquals("Vulkan smoke run: not run, no Vulkan driver available: no Vulkan loader (libvulkan.so.1 not " +
            "found)", optional.toString().lines().findFirst().orElseThrow());
        // driver-sim is the embedded default: the stack still meets a driver.
        assertTrue(optional.toString().contains("Simulated driver (driver-sim) instead, pAllocator = a fresh 'system' " +
            "stack, 1000 frames:"), optional.toString());
        assertTrue(skipped.summary().startsWith("no Vulkan driver: simulated driver passed"), skipped.summary());
        assertTrue(optional.toString().contains(
            "install lavapipe, the loader and the validation layer: apt-get install -y mesa-vulkan-drivers libvulkan1 " +
            "vulkan-validationlayers"), optional.toString());

        final StringWriter demanded = new StringWriter();
        final CheckCommand.StepOutcome failed =
            CheckCommand.vulkanSmokeRun(new PrintWriter(demanded, true), "system", none, true);
        assertFalse(failed.passed());
        assertTrue(demanded.toString().contains("FAILED: HOSTALLOC_REQUIRE_VULKAN=1 requires a Vulkan driver"),
            demanded.toString());
    }

    @Test
    void aFailedConformanceCheckMakesTheCheckFailWithExitCodeOne()
    {
        // Harmless to a driver (it only under-declares its alignment), so the Vulkan step still runs.
        Allocators.register(UNDER_DECLARED, ElementFactory.of(ElementFactory.Kind.DECORATOR,
            UNDER_DECLARED + "  test only: declares maxAlignment 4096", ElementArgs::requireNone,
            (args, delegate, handler) ->
                new DeclaredTraitsAllocator(delegate, delegate.traits().withMaxAlignment(DECLARED_MAX_ALIGNMENT))));
        final Run run = run("check", "--callbacks", UNDER_DECLARED + ",system");
        assertEquals(HostallocCommand.EXIT_FAILED, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("  FAIL  traits "), run.out());
        assertTrue(run.out().contains("traits() returned maxAlignment 4096; the kit verifies every alignment up to " +
            "65536"), run.out());
        assertTrue(run.out().strip().lines().reduce((a, b) -> b).orElseThrow().startsWith(
            "hostalloc check: FAILED (14 conformance checks passed, 1 failed, 0 skipped; "), run.out());
    }
}
