package dev.hostalloc.lwjgl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.testkit.ChildJvm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostalloc.vulkan.VulkanAvailability;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One stack, one report for both kinds of host memory: LWJGL's allocator selected on the command line,
 * the Vulkan driver (lavapipe) given a child account of the same accounting allocator through
 * {@link HostallocMemoryAllocator#current()}. Skips without Vulkan unless {@code HOSTALLOC_REQUIRE_VULKAN=1}.
 */
class SharedStackTest
{
    /** Two libffi blocks (ffi_cif, argument types) per callback interface, five interfaces. */
    private static final long LWJGL_PERMANENT_BLOCKS = 2 * 5;

    /** An ffi_cif is 32 bytes on x86-64; an argument-type array holds at most five pointers here. */
    private static final long MAX_CIF_BLOCK_BYTES = 64;

    @TempDir
    Path directory;

    @Test
    void applicationAndDriverMemoryLandInOneAccountingReport() throws Exception
    {
        final VulkanAvailability.Availability vulkan = VulkanAvailability.probeOrFailIfRequired();
        Assumptions.assumeTrue(vulkan.available(), vulkan::detail);

        final Path reportFile = directory.resolve("shared.json");
        final ChildJvm.Result child = ChildJvm.run(SharedStackProgram.class, List.of(
            "-D" + HostallocMemoryAllocator.ALLOCATOR_PROPERTY + "=" + HostallocMemoryAllocator.class.getName(),
            "-Dhostalloc.callbacks=accounting:name=app,system",
            "-D" + HostallocMemoryAllocator.REPORT_PROPERTY + "=" + reportFile));
        assertEquals(0, child.exitCode(), child.describe());
        assertTrue(child.out().contains("SHARED OK"), child.describe());

        final JsonNode report = new ObjectMapper().readTree(Files.readString(reportFile));
        assertEquals(0, report.path("violations").path("total").asLong(), report.toPrettyString());
        final JsonNode accounts = report.path("accounting").get(0).path("accounts");
        final JsonNode app = accounts.get(0);
        final JsonNode driver = accounts.get(1);
        assertEquals("app", app.path("path").asText());
        assertEquals("app/driver", driver.path("path").asText());
        assertTrue(driver.path("allocations").asLong() > 0, "the driver allocated through its account: " + driver);
        assertEquals(0, driver.path("currentBytes").asLong(), "the driver freed everything: " + driver);
        assertTrue(driver.path("scopes").path("INSTANCE").path("allocations").asLong() > 0, driver.toString());
        final long applicationAllocations = app.path("allocations").asLong() - driver.path("allocations").asLong();
        assertTrue(applicationAllocations >= 1,
            "LWJGL's own allocations (at least the VkAllocationCallbacks struct) are in the same report: " + app);
        // What stays live is LWJGL's own permanent data, not a leak of the program: the static initializer of
        // each callback interface LWJGL uses (here the five VkAllocationCallbacks function types) makes a libffi
        // call interface (an ffi_cif and its argument-type array: two small blocks) with MemoryUtil and keeps it
        // for the JVM's lifetime. The report shows them honestly, under the application's scope.
        final JsonNode leaks = report.path("leaks").get(0);
        assertEquals(LWJGL_PERMANENT_BLOCKS, leaks.path("liveBlocks").asLong(), leaks.toPrettyString());
        for (final JsonNode block : leaks.path("blocks"))
        {
            assertEquals("app", block.path("account").asText(), "the driver left nothing: " + block);
            assertEquals("OBJECT", block.path("scope").asText(), block.toString());
            assertTrue(block.path("size").asLong() <= MAX_CIF_BLOCK_BYTES, block.toString());
        }
        System.out.println("SharedStackTest: driver " + driver.path("allocations").asLong() + " allocations (peak " +
            driver.path("peakBytes").asLong() + " B), application " + applicationAllocations + " allocations, " +
            leaks.path("liveBlocks").asLong() + " of LWJGL's permanent blocks (" + leaks.path("liveBytes").asLong() +
            " B) live at exit; " + vulkan.detail());
    }
}
