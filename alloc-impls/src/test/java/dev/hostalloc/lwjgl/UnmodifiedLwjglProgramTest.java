package dev.hostalloc.lwjgl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.testkit.ChildJvm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import example.lwjgl.PlainLwjglProgram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A program that only uses plain LWJGL ({@link PlainLwjglProgram}) is routed and accounted by hostalloc
 * from the command line alone: {@code -Dorg.lwjgl.system.allocator=dev.hostalloc.lwjgl.HostallocMemoryAllocator
 * -Dhostalloc.callbacks=<spec> -Dhostalloc.report=<file>}.
 */
class UnmodifiedLwjglProgramTest
{
    private static final Pattern FIGURES = Pattern.compile(
        "allocations=(\\d+) reallocations=(\\d+) frees=(\\d+) liveBytes=(\\d+) peakBytes=(\\d+) allocator=(\\S+)");

    @TempDir
    Path directory;

    @Test
    void everyAllocationOfACleanProgramIsRoutedAndAccountedAndNothingLeaks() throws Exception
    {
        final Path reportFile = directory.resolve("clean.json");
        final ChildJvm.Result child = runProgram("accounting,system", reportFile, "clean");
        final Map<String, String> told = figures(child);
        assertEquals(HostallocMemoryAllocator.class.getName(), told.get("allocator"), child.describe());

        final JsonNode report = read(reportFile);
        assertEquals("accounting,system", report.path("spec").asText());
        assertEquals(0, report.path("violations").path("total").asLong(), report.toPrettyString());
        assertEquals(0, report.path("throwables").asLong());
        final JsonNode root = report.path("accounting").get(0).path("accounts").get(0);
        assertEquals(Long.parseLong(told.get("allocations")), root.path("allocations").asLong(), child.describe() + root);
        assertEquals(Long.parseLong(told.get("reallocations")), root.path("reallocations").asLong(), root.toString());
        assertEquals(Long.parseLong(told.get("frees")), root.path("frees").asLong(), root.toString());
        assertEquals(Long.parseLong(told.get("peakBytes")), root.path("peakBytes").asLong(), root.toString());
        assertEquals(0, root.path("currentBytes").asLong(), root.toString());
        assertEquals(0, root.path("liveBlocks").asLong(), root.toString());
        assertEquals(Long.parseLong(told.get("allocations")),
            root.path("scopes").path("OBJECT").path("allocations").asLong(), "application memory is OBJECT scope");
        assertEquals(0, report.path("leaks").get(0).path("liveBlocks").asLong(), report.toPrettyString());
        assertTrue(child.err().contains("0 live blocks (0 bytes), 0 violations"), child.describe());
    }

    @Test
    void aDeliberateLeakIsNamedWithItsSizeAndTheApplicationFrame() throws Exception
    {
        final Path reportFile = directory.resolve("leak.json");
        final ChildJvm.Result child = runProgram("accounting:sites=all,system", reportFile, "leak");
        final Map<String, String> told = figures(child);

        final JsonNode report = read(reportFile);
        final JsonNode root = report.path("accounting").get(0).path("accounts").get(0);
        assertEquals(Long.parseLong(told.get("allocations")), root.path("allocations").asLong(), root.toString());
        assertEquals(Long.parseLong(told.get("liveBytes")), root.path("currentBytes").asLong(), root.toString());
        final JsonNode leaks = report.path("leaks").get(0);
        assertEquals(1, leaks.path("liveBlocks").asLong(), leaks.toPrettyString());
        final JsonNode block = leaks.path("blocks").get(0);
        assertEquals(PlainLwjglProgram.LEAK_SIZE, block.path("size").asLong());
        assertEquals("OBJECT", block.path("scope").asText());
        assertTrue(block.path("site").asText().startsWith("example.lwjgl.PlainLwjglProgram.leakOne("),
            "the leak names the application frame, not LWJGL's or hostalloc's: " + block);
        assertTrue(child.err().contains("1 live blocks (" + PlainLwjglProgram.LEAK_SIZE + " bytes)"), child.describe());
    }

    @Test
    void aDoubleFreeOfThePlainProgramIsReportedNotACrash() throws Exception
    {
        final Path reportFile = directory.resolve("double-free.json");
        final ChildJvm.Result child = runProgram("cookies,system", reportFile, "double-free");
        assertTrue(child.out().contains("SURVIVED the double free"), child.describe());
        figures(child);

        final JsonNode violations = read(reportFile).path("violations");
        assertEquals(1, violations.path("total").asLong(), violations.toPrettyString());
        assertEquals(1, violations.path("byKind").path("DOUBLE_FREE").asLong(), violations.toPrettyString());
        final String detail = violations.path("details").get(0).asText();
        assertTrue(detail.startsWith("DOUBLE_FREE at 0x"), detail);
        assertTrue(detail.contains("example.lwjgl.PlainLwjglProgram.main("), "names the freeing frame: " + detail);
        assertTrue(child.err().contains("DOUBLE_FREE=1"), child.describe());
    }

    @Test
    void anInvalidSpecIsSaidLoudlyAndLwjglFallsBackToItsDefault() throws Exception
    {
        final Path reportFile = directory.resolve("never.json");
        final ChildJvm.Result child = runProgram("no-such-element,system", reportFile, "clean");
        assertTrue(!figures(child).get("allocator").equals(HostallocMemoryAllocator.class.getName()), child.describe());
        assertTrue(child.err().contains("hostalloc: cannot build the LWJGL allocator stack 'no-such-element,system'"),
            child.describe());
        assertTrue(child.err().contains("unknown allocator element 'no-such-element'"), child.describe());
        assertTrue(child.err().contains("LWJGL falls back to its default allocator; nothing is routed"), child.describe());
        assertTrue(Files.notExists(reportFile));
    }

    @Test
    void aStackThatIsNotThreadSafeIsUsedWithAWarning() throws Exception
    {
        final Path reportFile = directory.resolve("owned.json");
        final ChildJvm.Result child = runProgram("tlsf:4m:threads=owned", reportFile, "clean");
        assertEquals(HostallocMemoryAllocator.class.getName(), figures(child).get("allocator"), child.describe());
        assertTrue(child.err().contains("hostalloc: warning: the LWJGL allocator stack 'tlsf:4m:threads=owned' is not " +
            "thread-safe"), child.describe());
    }

    private static ChildJvm.Result runProgram(final String spec, final Path report, final String scenario)
        throws IOException, InterruptedException
    {
        final ChildJvm.Result child = ChildJvm.run(PlainLwjglProgram.class, List.of(
            "-D" + HostallocMemoryAllocator.ALLOCATOR_PROPERTY + "=" + HostallocMemoryAllocator.class.getName(),
            "-Dhostalloc.callbacks=" + spec,
            "-D" + HostallocMemoryAllocator.REPORT_PROPERTY + "=" + report), scenario);
        assertEquals(0, child.exitCode(), child.describe());
        return child;
    }

    private static Map<String, String> figures(final ChildJvm.Result child)
    {
        final Matcher matcher = FIGURES.matcher(child.out());
        assertTrue(matcher.find(), child.describe());
        final Map<String, String> told = new HashMap<>();
        final String[] names = { "allocations", "reallocations", "frees", "liveBytes", "peakBytes", "allocator" };
        for (int i = 0; i < names.length; i++)
        {
            told.put(names[i], matcher.group(i + 1));
        }
        return told;
    }

    private static JsonNode read(final Path reportFile) throws IOException
    {
        assertTrue(Files.exists(reportFile), "no report at " + reportFile);
        final JsonNode report = new ObjectMapper().readTree(Files.readString(reportFile));
        assertEquals(LwjglAllocationReport.FORMAT, report.path("format").asText());
        assertEquals(LwjglAllocationReport.VERSION, report.path("version").asInt());
        return report;
    }
}
