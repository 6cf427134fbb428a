package dev.hostalloc.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM for tests that need a fresh process (LWJGL's allocator chosen once per
 * JVM, crashes, a second process reading counters): the same JDK as the caller ({@code ProcessHandle}), the
 * caller's class path, and the project's JVM flags (native access, Agrona's {@code jdk.internal.misc}
 * opening), tuned to start fast (C1 only, serial GC).
 */
public final class ChildJvm
{
    private static final long TIMEOUT_SECONDS = 120;

    private ChildJvm()
    {
    }

    /**
     * Runs {@code mainClass} and waits for it.
     *
     * @param mainClass  the class to run.
     * @param properties extra JVM options, e.g. {@code -Dorg.lwjgl.system.allocator=...}.
     * @param args       program arguments.
     * @return exit code, standard output and standard error.
     * @throws IOException          when the child cannot be started or its output read.
     * @throws InterruptedException when interrupted while waiting.
     * @throws IllegalStateException when the child runs longer than two minutes (it is killed).
     */
    public static Result run(final Class<?> mainClass, final List<String> properties, final String... args)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(
            ProcessHandle.current().info().command().orElseThrow(),
            "--enable-native-access=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(properties);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        final Path stderr = Files.createTempFile("hostalloc-child", ".err");
        try
        {
            final Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                throw new IllegalStateException("child still running after " + TIMEOUT_SECONDS + " s: " + out);
            }
            return new Result(process.exitValue(), out, Files.readString(stderr, StandardCharsets.UTF_8), command);
        }
        finally
        {
            Files.deleteIfExists(stderr);
        }
    }

    /**
     * What a child did.
     *
     * @param exitCode its exit code.
     * @param out      its standard output.
     * @param err      its standard error.
     * @param command  how it was started.
     */
    public record Result(int exitCode, String out, String err, List<String> command)
    {
        /**
         * Everything about the child, for an assertion message.
         *
         * @return exit code, command line, standard output and standard error.
         */
        public String describe()
        {
            return "exit " + exitCode + System.lineSeparator() + "command: " + String.join(" ", command) +
                System.lineSeparator() + "stdout:" + System.lineSeparator() + out + "stderr:" + System.lineSeparator() + err;
        }
    }
}
