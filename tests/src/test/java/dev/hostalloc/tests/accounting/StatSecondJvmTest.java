package dev.hostalloc.tests.accounting;

import dev.hostalloc.accounting.AccountingCounters;
import dev.hostalloc.cli.HostallocCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code hostalloc stat} in this JVM watches the counters a second, real JVM ({@link CountersWriter})
 * writes through {@code -Dhostalloc.counters}, sees the figures move, and exits cleanly when that JVM
 * finishes and its file goes away.
 */
class StatSecondJvmTest
{
    private static final long TIMEOUT_SECONDS = 120;
    private static final List<String> JVM_FLAGS = List.of(
        "--enable-native-access=ALL-UNNAMED",
        "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");

    @TempDir
    Path dir;

    @Test
    void statWatchesAnotherJvmLiveAndExitsWhenItFinishes() throws Exception
    {
        final Path counters = dir.resolve("app.counters");
        final Path stop = dir.resolve("stop");
        final Path writerOutput = dir.resolve("writer.log");
        final ProcessBuilder builder = new ProcessBuilder();
        builder.command().add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.command().addAll(JVM_FLAGS);
        builder.command().add("-D" + AccountingCounters.PROPERTY + "=" + counters);
        builder.command().add("-cp");
        builder.command().add(System.getProperty("java.class.path"));
        builder.command().add(CountersWriter.class.getName());
        builder.command().add(stop.toString());
        builder.redirectErrorStream(true).redirectOutput(writerOutput.toFile());
        final Process writer = builder.start();
        try
        {
            final StringWriter out = new StringWriter(); // StringBuffer inside: readable while stat writes
            final StringWriter err = new StringWriter();
            final CompletableFuture<Integer> stat = CompletableFuture.supplyAsync(() -> HostallocCommand.execute(
                new String[] { "stat", "--wait", TIMEOUT_SECONDS + "s", "--interval", "100ms", "--bytes", counters.toString() },
                new PrintWriter(out, true), new PrintWriter(err, true)));

            // Live: the allocations count of the root grows from one refresh to a later one.
            final long first = awaitRootAllocations(out, 1, writer, writerOutput);
            final long later = awaitRootAllocations(out, first + 1, writer, writerOutput);
            assertTrue(later > first);
            final String screen = out.toString();
            assertTrue(screen.contains("hostalloc stat " + counters + "  pid " + writer.pid()), screen);
            assertTrue(Pattern.compile("(?m)^ {2}renderer +\\d+").matcher(screen).find(), screen);
            assertTrue(Pattern.compile("(?m)^ {4}textures +\\d+ +\\d+ +8388608 ").matcher(screen).find(), screen);
            final Matcher audio = Pattern.compile("(?m)^ {2}audio +\\d+ +\\d+ +1048576 +(\\d+) ").matcher(screen);
            assertTrue(audio.find(), screen);

            Files.createFile(stop);
            assertTrue(writer.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the writer did not finish");
            assertEquals(0, writer.exitValue(), Files.readString(writerOutput));
            assertEquals(HostallocCommand.EXIT_OK, stat.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), err.toString());
            assertTrue(out.toString().contains("is gone: the writer (pid " + writer.pid() + ") closed it"), out.toString());
            assertFalse(Files.exists(counters), "the writer's shutdown deleted its counters file");
            final Matcher lastAudio = Pattern.compile("(?m)^ {2}audio +\\d+ +\\d+ +1048576 +(\\d+) ").matcher(out.toString());
            long failures = 0;
            while (lastAudio.find())
            {
                failures = Long.parseLong(lastAudio.group(1));
            }
            assertTrue(failures > 0, "the audio budget refused requests:\n" + out);
        }
        finally
        {
            writer.destroyForcibly();
        }
    }

    /** Waits until a refresh shows the root account with at least {@code atLeast} allocations; returns the count. */
    private static long awaitRootAllocations(
        final StringWriter out, final long atLeast, final Process writer, final Path writerOutput)
        throws InterruptedException, IOException
    {
        final Pattern root = Pattern.compile("(?m)^" + CountersWriter.ROOT + " +\\d+ +\\d+ +\\d+ +\\d+ +\\d+ +(\\d+) ");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline)
        {
            final Matcher matcher = root.matcher(out.toString());
            long last = -1;
            while (matcher.find())
            {
                last = Long.parseLong(matcher.group(1));
            }
            if (last >= atLeast)
            {
                return last;
            }
            assertTrue(writer.isAlive(), () -> "the writer JVM died: " + readQuietly(writerOutput));
            Thread.sleep(50);
        }
        throw new AssertionError("no refresh with " + atLeast + "+ root allocations:\n" + out + "\nwriter: " +
            Files.readString(writerOutput));
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }
}
