package dev.hostalloc.cli;

import dev.hostalloc.accounting.Account;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.accounting.AccountingCounters;
import dev.hostalloc.logging.LoggingAllocator;
import dev.hostalloc.system.SystemAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.hostalloc.api.SystemAllocationScope.DEVICE;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatCommandTest
{
    @TempDir
    Path dir;

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

    private static AccountingAllocator allocator()
    {
        return AccountingAllocator.builder(new SystemAllocator()).name("vulkan").limit(256L << 20)
            .exportToConfiguredCounters(false).onClose(r -> { }).build();
    }

    @Test
    void onceprintsOneTableOfEveryAccount()
    {
        final Path file = dir.resolve("app.counters");
        try (AccountingCounters counters = AccountingCounters.create(file);
             AccountingAllocator accounting = allocator())
        {
            counters.register(accounting);
            final Account textures = accounting.root().child("renderer/textures", 1 << 20);
            final long a = textures.allocate(3 << 18, 64, OBJECT);
            final long b = accounting.allocate(100, 8, DEVICE);
            textures.allocate(1 << 20, 64, OBJECT); // refused
            counters.publishNow();

            final Run human = run("stat", "--once", file.toString());
            assertEquals(HostallocCommand.EXIT_OK, human.exitCode(), human.err());
            final String[] lines = human.out().split("\n");
            assertTrue(lines[0].startsWith("hostalloc stat " + file + "  pid " + ProcessHandle.current().pid()), lines[0]);
            assertTrue(lines[1].matches("ACCOUNT +CURRENT +PEAK +LIMIT +FAILS +LIVE +ALLOCS +COMMAND +OBJECT +CACHE +DEVICE +INSTANCE"), lines[1]);
            assertTrue(lines[2].matches("vulkan +768\\.1 KiB +768\\.1 KiB +256\\.0 MiB +0 +2 +2 +0 B +768\\.0 KiB +0 B +100 B +0 B"), lines[2]);
            assertTrue(lines[3].matches(" {2}renderer +768\\.0 KiB .*"), lines[3]);
            assertTrue(lines[4].matches(" {4}textures +768\\.0 KiB +768\\.0 KiB +1\\.0 MiB +1 +1 +1 .*"), lines[4]);

            final Run exact = run("stat", "--once", "--bytes", file.toString());
            assertTrue(exact.out().contains("786532"), exact.out()); // 786432 + 100
            textures.free(a);
            accounting.free(b);
        }
    }

    @Test
    void loggingsRecordsWrittenAndOverrunShowBelowTheAccounts()
    {
        final Path file = dir.resolve("logged.counters");
        try (AccountingCounters counters = AccountingCounters.create(file);
             AccountingAllocator accounting = allocator();
             LoggingAllocator logging = LoggingAllocator.builder(dir.resolve("run.trace"), accounting)
                 .exportTo(counters).exportToConfiguredCounters(false).open())
        {
            counters.register(accounting);
            logging.free(logging.allocate(64, 8, OBJECT));
            counters.publishNow();

            final Run run = run("stat", "--once", file.toString());
            assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.err());
            final String[] lines = run.out().split("\n");
            assertTrue(lines[1].startsWith("ACCOUNT "), run.out());
            assertTrue(lines[2].startsWith("vulkan "), run.out());
            assertEquals("", lines[3], run.out());
            assertTrue(lines[4].matches("COUNTER +VALUE"), run.out());
            assertTrue(lines[5].matches("logging run\\.trace: records written +\\d+"), run.out());
            assertTrue(lines[6].matches("logging run\\.trace: records dropped \\(ring overrun\\) +0"), run.out());
        }
    }

    @Test
    void watchingRefreshesAndEndsCleanlyWhenTheFileGoesAway() throws Exception
    {
        final Path file = dir.resolve("short.counters");
        final AccountingCounters counters = AccountingCounters.create(file, 1024, Duration.ofMillis(20));
        final AccountingAllocator accounting = allocator();
        counters.register(accounting);
        final StringWriter out = new StringWriter(); // StringBuffer inside: safe to read while stat writes
        final StringWriter err = new StringWriter();
        final CompletableFuture<Integer> watching = CompletableFuture.supplyAsync(() ->
            HostallocCommand.execute(new String[] { "stat", "-i", "50ms", file.toString() }, new PrintWriter(out, true),
                new PrintWriter(err, true)));
        awaitOutput(out, "vulkan ");
        final long block = accounting.allocate(4096, 8, OBJECT);
        awaitOutput(out, "4.0 KiB");
        counters.close();
        assertEquals(HostallocCommand.EXIT_OK, watching.get(60, TimeUnit.SECONDS), err.toString());
        assertTrue(out.toString().contains("is gone: the writer (pid " + ProcessHandle.current().pid() + ") closed it"),
            out.toString());
        assertTrue(out.toString().split("hostalloc stat /").length > 2, "refreshed:\n" + out);
        accounting.free(block);
        accounting.close();
    }

    /** Waits (the machine may be busy) until {@code out} contains {@code text}. */
    static void awaitOutput(final StringWriter out, final String text) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!out.toString().contains(text))
        {
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' in time:\n" + out);
            Thread.sleep(20);
        }
    }

    @Test
    void aMissingOrForeignFileIsAFailureWithAHint() throws Exception
    {
        final Run missing = run("stat", dir.resolve("none.counters").toString());
        assertEquals(HostallocCommand.EXIT_FAILED, missing.exitCode());
        assertTrue(missing.err().contains("no counters file at") && missing.err().contains("-Dhostalloc.counters="), missing.err());

        final Path foreign = dir.resolve("foreign.counters");
        Files.write(foreign, new byte[1024]);
        final Run notOurs = run("stat", "--once", foreign.toString());
        assertEquals(HostallocCommand.EXIT_FAILED, notOurs.exitCode());
        assertTrue(notOurs.err().contains("not a hostalloc counters file"), notOurs.err());

        final Run waited = run("stat", "--wait", "200ms", dir.resolve("late.counters").toString());
        assertEquals(HostallocCommand.EXIT_FAILED, waited.exitCode());
    }

    @Test
    void badIntervalIsUsageError()
    {
        final Run run = run("stat", "--interval", "soon", "x");
        assertEquals(HostallocCommand.EXIT_USAGE, run.exitCode());
        assertTrue(run.err().contains("'soon' is not a time"), run.err());
        final Run help = run("stat", "--help");
        assertEquals(HostallocCommand.EXIT_OK, help.exitCode());
        assertTrue(help.out().replaceAll("\\R\\s*", "").contains("-Dhostalloc.counters=<file>"), help.out());
        final String top = run("--help").out();
        assertTrue(java.util.regex.Pattern.compile("(?m)^ +stat +Watches a running program's host-memory accounts live\\.$")
            .matcher(top).find(), top);
    }
}
