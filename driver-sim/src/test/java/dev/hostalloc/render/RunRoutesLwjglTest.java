package dev.hostalloc.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostalloc.cli.HostallocCommand;
import dev.hostalloc.testkit.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code hostalloc run} in a fresh JVM routes LWJGL's own allocator into the run's stack (LWJGL chooses it
 * once per JVM, so the surefire JVM cannot show it): the report has an {@code lwjgl} side, LWJGL makes no
 * allocation per frame, and only LWJGL's permanent callback blocks stay live.
 */
final class RunRoutesLwjglTest
{
    @Test
    void runRoutesLwjglsAllocationsIntoTheSameStack(@TempDir final Path dir) throws Exception
    {
        RenderAssumptions.assumeVulkan();
        final Path report = dir.resolve("report.json");
        final ChildJvm.Result child = ChildJvm.run(HostallocCommand.class, List.of(),
            "render", "--frames", "12", "--out", dir.resolve("frame.png").toString(), "--report", report.toString());

        assertEquals(0, child.exitCode(), child::describe);
        assertTrue(child.out().contains("LWJGL's own allocations: routed into account render/lwjgl"), child::describe);
        final JsonNode json = new ObjectMapper().readTree(Files.readString(report));
        assertEquals("routed into account render/lwjgl", json.path("lwjglRouting").asText(), child::describe);
        json.path("perFrameWindow").path("lwjglAllocations").properties()
            .forEach(scope -> assertEquals(0, scope.getValue().asLong(), "LWJGL allocations per frame in " + scope.getKey()));
        final JsonNode lwjgl = account(json, "render/lwjgl");
        assertTrue(lwjgl.path("allocations").asLong() > 0, "LWJGL allocated through the stack: " + lwjgl);
        assertEquals(0, json.path("liveBlocksAtExit").asLong(), "nothing of the driver's or the renderer's live");
    }

    private static JsonNode account(final JsonNode json, final String path)
    {
        for (final JsonNode account : json.path("accounting").path("accounts"))
        {
            if (path.equals(account.path("path").asText()))
            {
                return account;
            }
        }
        throw new AssertionError("no account " + path + " in " + json.path("accounting"));
    }
}
