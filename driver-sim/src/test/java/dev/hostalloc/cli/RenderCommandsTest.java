package dev.hostalloc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.vulkan.VulkanAvailability;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run}, {@code render} and {@code faultsweep}: options, outputs and error paths. Tests on the
 * real driver fail under HOSTALLOC_REQUIRE_VULKAN=1 without one and skip otherwise; the no-driver
 * paths use a probe that says Vulkan is missing.
 */
class RenderCommandsTest
{
    private static final Supplier<VulkanAvailability.Availability> NO_DRIVER =
        () -> new VulkanAvailability.Availability(false, "no Vulkan loader (test)");

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

    private static Run runWith(final Callable<Integer> command, final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        final int exitCode = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static void assumeVulkan()
    {
        final VulkanAvailability.Availability availability = VulkanAvailability.probeOrFailIfRequired();
        Assumptions.assumeTrue(availability.available(),
            () -> availability.detail() + " (install " + VulkanAvailability.PACKAGES + ")");
    }

    @Test
    void renderWritesThePngAndAJsonReportAndPrintsTheScopeTable(@TempDir final Path dir) throws Exception
    {
        assumeVulkan();
        final Path png = dir.resolve("out/frame.png");
        final Path report = dir.resolve("report.json");
        final Run run = run("render", "--frames", "12", "--out", png.toString(), "--report", report.toString(),
            "--callbacks", "cookies,accounting,system");
        assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("SIDE"), run.out());
        assertTrue(run.out().contains("driver  INSTANCE"), run.out());
        assertTrue(run.out().contains("app       OBJECT"), run.out());
        assertTrue(run.out().contains("violations: 0"), run.out());
        assertTrue(run.out().contains("leaks: 0 blocks live after teardown"), run.out());
        assertTrue(run.out().contains("png: " + png.toAbsolutePath()), run.out());
        assertTrue(run.out().strip().endsWith("hostalloc render: PASSED"), run.out());
        assertTrue(run.err().contains("rendering"), run.err());
        assertEquals(256, ImageIO.read(png.toFile()).getWidth());
        final JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        assertEquals("hostalloc-render-report", json.path("format").asText(), json::toPrettyString);
        assertEquals("vulkan", json.path("backend").asText(), json::toPrettyString);
        assertTrue(json.path("passed").asBoolean(), json::toPrettyString);
        assertEquals("hostalloc-accounting-snapshot", json.path("accounting").path("format").asText(), json::toPrettyString);
        assertEquals(12, json.path("framesRendered").asInt(), json::toPrettyString);
    }

    @Test
    void runRendersOnVulkanWithValidationAndAnHtmlReport(@TempDir final Path dir) throws Exception
    {
        assumeVulkan();
        final Path report = dir.resolve("report.html");
        final Run run = run("run", "--frames", "5", "--validation", "--out", dir.resolve("f.png").toString(),
            "--report", report.toString());
        assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().startsWith("backend: Vulkan"), run.out());
        assertTrue(run.out().contains("validation messages (warning/error): 0"), run.out());
        final String html = Files.readString(report);
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertTrue(html.contains("PASSED"), html);
    }

    @Test
    void runWithoutADriverRunsDriverSimAndSaysSo()
    {
        final Run run = runWith(new RunCommand(NO_DRIVER), "--frames", "20", "--callbacks", "system");
        assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().startsWith("backend: driver-sim (simulated driver) - no Vulkan driver here"), run.out());
        assertTrue(run.out().contains(VulkanAvailability.PACKAGES), run.out());
        assertTrue(run.out().strip().endsWith("hostalloc run (driver-sim): PASSED"), run.out());
    }

    @Test
    void renderWithoutADriverFailsNamingThePackages()
    {
        final Run run = runWith(new RenderCommand(NO_DRIVER), "--frames", "3");
        assertEquals(HostallocCommand.EXIT_FAILED, run.exitCode());
        assertTrue(run.err().contains("no Vulkan driver"), run.err());
        assertTrue(run.err().contains(VulkanAvailability.PACKAGES), run.err());
    }

    @Test
    void faultsweepWithoutADriverFailsNamingThePackages()
    {
        final Run run = runWith(new FaultSweepCommand(NO_DRIVER));
        assertEquals(HostallocCommand.EXIT_FAILED, run.exitCode());
        assertTrue(run.err().contains(VulkanAvailability.PACKAGES), run.err());
    }

    @Test
    void badOptionsExitTwo()
    {
        assertEquals(HostallocCommand.EXIT_USAGE, runWith(new RenderCommand(NO_DRIVER), "--bogus").exitCode());
        assertEquals(HostallocCommand.EXIT_USAGE, runWith(new RunCommand(NO_DRIVER), "--frames", "0").exitCode());
        final Run badSpec = runWith(new RunCommand(NO_DRIVER), "--callbacks", "no-such-element");
        assertEquals(HostallocCommand.EXIT_USAGE, badSpec.exitCode());
        assertTrue(badSpec.err().contains("allocator elements"), badSpec.err());
        assertEquals(HostallocCommand.EXIT_USAGE,
            runWith(new FaultSweepCommand(NO_DRIVER), "--frames-sample", "-2").exitCode());
        assertEquals(HostallocCommand.EXIT_USAGE,
            runWith(new FaultSweepCommand(NO_DRIVER), "--callbacks", "no-such-element").exitCode());
    }

    @Test
    void renderOnVulkanRejectsBadFramesAndSpec()
    {
        assumeVulkan();
        assertEquals(HostallocCommand.EXIT_USAGE, run("render", "--frames", "0").exitCode());
        assertEquals(HostallocCommand.EXIT_USAGE, run("render", "--callbacks", "no-such-element").exitCode());
    }

    @Test
    void faultsweepOfOnePointPrintsTheTable()
    {
        assumeVulkan();
        final Run run = run("faultsweep", "--only", "0");
        assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("allocations counted: setup "), run.out());
        assertTrue(run.out().contains("FAIL AT N"), run.out());
        assertTrue(run.out().contains("setup: vkCreateInstance failed: VK_ERROR_OUT_OF_HOST_MEMORY"), run.out());
        assertTrue(run.out().contains("findings (ours): 0"), run.out());
        assertFalse(run.out().contains("FAILED"), run.out());
    }

    @Test
    void helpListsTheNewCommands()
    {
        final Run run = run("--help");
        assertTrue(run.out().contains("run"), run.out());
        assertTrue(run.out().contains("render"), run.out());
        assertTrue(run.out().contains("faultsweep"), run.out());
    }
}
