package dev.hostalloc.cli;

import dev.hostalloc.accounting.Account;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.logging.LoggingAllocator;
import dev.hostalloc.system.SystemAllocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceCommandsTest
{
    @TempDir
    Path dir;

    private Path trace;

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

    @BeforeEach
    void record()
    {
        trace = dir.resolve("run.trace");
        try (LoggingAllocator logging = LoggingAllocator.open(trace, new SystemAllocator()))
        {
            final long a = logging.allocate(4096, 16, SystemAllocationScope.INSTANCE);
            final long b = logging.allocate(100, 8, SystemAllocationScope.OBJECT);
            final long c = logging.reallocate(b, 300, 8, SystemAllocationScope.OBJECT);
            logging.free(c);
            logging.allocate(64, 8, SystemAllocationScope.DEVICE); // never freed
            logging.free(a);
        }
    }

    @Test
    void helpListsTheTraceCommands()
    {
        final Run run = run("--help");
        assertTrue(run.out().contains("  trace "), run.out());
        assertTrue(run.out().contains("  replay "), run.out());
        assertTrue(run.out().contains("  report "), run.out());
    }

    @Test
    void printWritesTextOrJsonLines()
    {
        final Run text = run("trace", "print", trace.toString());
        assertEquals(HostallocCommand.EXIT_OK, text.exitCode(), text.err());
        final String[] lines = text.out().split("\\R");
        assertEquals(7, lines.length, text.out());
        assertTrue(lines[0].startsWith("# " + trace + ": hostalloc trace v1, 6 records"), lines[0]);
        assertTrue(lines[1].matches("#0  \\+\\d+\\.\\d{6} ms  t\\d+  ALLOCATE 4096 align 16 INSTANCE -> 0x[0-9a-f]+"), lines[1]);
        assertTrue(lines[3].contains("REALLOCATE 0x"), lines[3]);

        final Run json = run("trace", "print", "--json", "--limit", "2", trace.toString());
        assertEquals(HostallocCommand.EXIT_OK, json.exitCode(), json.err());
        final String[] objects = json.out().split("\\R");
        assertEquals(2, objects.length, json.out());
        assertTrue(objects[0].matches("\\{\"i\":0,\"t_ns\":\\d+,\"thread\":\\d+,\"op\":\"ALLOCATE\",\"size\":4096," +
            "\"alignment\":16,\"scope\":\"INSTANCE\",\"result\":\"0x[0-9a-f]+\"}"), objects[0]);
        assertTrue(json.err().contains("4 more records (--limit 2)"), json.err());
    }

    @Test
    void replayPrintsTheNumbersAndPasses()
    {
        final Run run = run("replay", trace.toString(), "--callbacks", "system");
        assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("replayed   6 of 6 records"), run.out());
        assertTrue(run.out().contains("ops/s"), run.out());
        assertTrue(run.out().contains("peak       4,396 bytes in 2 blocks"), run.out());
        assertTrue(run.out().contains("failures   0"), run.out());
        assertTrue(run.out().contains("violations 0"), run.out());
        assertTrue(run.out().contains("leaked     1 blocks (64 bytes)"), run.out());
        assertTrue(run.out().endsWith("hostalloc replay: PASSED" + System.lineSeparator()), run.out());
        assertFalse(run.err().contains("replay ["), "no progress bar when not a terminal: " + run.err());

        final Run withBar = run("replay", trace.toString(), "--callbacks", "system", "--progress");
        assertTrue(withBar.err().contains("replay [##############################] 100%  6/6 records"), withBar.err());
    }

    @Test
    void replayRefusesBadUsage()
    {
        final Run badSpec = run("replay", trace.toString(), "--callbacks", "sytem");
        assertEquals(HostallocCommand.EXIT_USAGE, badSpec.exitCode());
        assertTrue(badSpec.err().contains("did you mean 'system'"), badSpec.err());

        final Run overwrite = run("replay", trace.toString(), "--callbacks", "logging:" + trace + ",system");
        assertEquals(HostallocCommand.EXIT_USAGE, overwrite.exitCode());
        assertTrue(overwrite.err().contains("would overwrite the trace being replayed"), overwrite.err());

        final Run missing = run("replay", dir.resolve("nope.trace").toString(), "--callbacks", "system");
        assertEquals(HostallocCommand.EXIT_USAGE, missing.exitCode());
        assertTrue(missing.err().contains("no such trace file"), missing.err());
    }

    @Test
    void reportWritesOnePageNextToTheTraceByDefault() throws Exception
    {
        final Run run = run("report", trace.toString());
        assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.err());
        final Path html = dir.resolve("run.html");
        assertTrue(run.out().contains("wrote " + html + " (6 records, peak 4.3 KiB, 1 blocks never freed)"), run.out());
        assertTrue(Files.readString(html).contains("<svg"));

        final Path chosen = dir.resolve("chosen.html");
        assertEquals(HostallocCommand.EXIT_OK, run("report", trace.toString(), "-o", chosen.toString()).exitCode());
        assertTrue(Files.exists(chosen));

        final Path notATrace = Files.writeString(dir.resolve("x.trace"), "hello, this is not a trace at all" + "!".repeat(64));
        final Run bad = run("report", notATrace.toString());
        assertEquals(HostallocCommand.EXIT_USAGE, bad.exitCode());
        assertTrue(bad.err().contains("is not a hostalloc trace"), bad.err());
    }

    @Test
    void reportShowsTheAccountsAndLiveBlocksOfAnAccountingSnapshot() throws Exception
    {
        final Path snapshot = dir.resolve("accounting.json");
        try (AccountingAllocator accounting = AccountingAllocator.builder(new SystemAllocator()).name("vulkan")
            .limit(1L << 20).exportToConfiguredCounters(false).onClose(r -> { }).build())
        {
            final Account textures = accounting.root().child("renderer/textures", 4096);
            final long kept = textures.allocate(3000, 16, SystemAllocationScope.OBJECT);
            assertEquals(0, textures.allocate(2000, 16, SystemAllocationScope.OBJECT), "over the 4 KiB limit");
            accounting.free(accounting.allocate(100, 8, SystemAllocationScope.DEVICE));
            Files.writeString(snapshot, accounting.snapshot().toJson());
            textures.free(kept);
        }
        final Path html = dir.resolve("with-snapshot.html");
        final Run run = run("report", trace.toString(), "--snapshot", snapshot.toString(), "-o", html.toString());
        assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.err());
        assertTrue(run.out().contains("1 blocks never freed, 1 snapshot)"), run.out());
        final String page = Files.readString(html);
        assertTrue(page.contains("Accounts of <span class=\"file\">vulkan</span>"), page);
        assertTrue(page.contains("1 refused</span>"), "the textures limit refused one request");
        assertTrue(page.contains("textures</td><td class=\"num\">2.9 KiB</td><td class=\"num\">2.9 KiB</td>" +
            "<td class=\"num\">4.0 KiB</td><td class=\"num warn\">1</td><td class=\"num\">1</td>"), page);
        assertTrue(page.contains("1 blocks, 2.9 KiB, by the account they were charged to"), page);
        assertTrue(page.contains("<tr><td>vulkan/renderer/textures</td><td><i class=\"dot\""), "the live block's own account");
        assertFalse(page.contains("<tr><td>vulkan/renderer</td><td><i"), "a parent does not repeat its child's block");

        final Path notJson = Files.writeString(dir.resolve("bad.json"), "{\"format\": \"something else\"}");
        final Run bad = run("report", trace.toString(), "--snapshot", notJson.toString());
        assertEquals(HostallocCommand.EXIT_USAGE, bad.exitCode());
        assertTrue(bad.err().contains("cannot read the accounting snapshot " + notJson), bad.err());
    }
}
