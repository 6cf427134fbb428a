package dev.hostalloc.lwjgl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM: the same JDK as this test ({@code ProcessHandle}), this test's class
 * path, and the project's JVM flags (native access, Agrona's {@code jdk.internal.misc} opening).
 */
final class ChildJvm
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
     */
    static Result run(final Class<?> mainClass, final List<String> properties, final String... args)
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
            assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "child still running: " + out);
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
    record Result(int exitCode, String out, String err, List<String> command)
    {
        String describe()
        {
            return "exit " + exitCode + System.lineSeparator() + "command: " + String.join(" ", command) +
                System.lineSeparator() + "stdout:" + System.lineSeparator() + out + "stderr:" + System.lineSeparator() + err;
        }
    }
}
