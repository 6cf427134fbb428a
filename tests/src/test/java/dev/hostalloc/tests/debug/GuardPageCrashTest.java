package dev.hostalloc.tests.debug;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults that kill, proven in child JVMs ({@link GuardFaultChild}): each child makes one guard-page
 * misuse; the test asserts the child died of SIGSEGV and that the fault address its {@code hs_err}
 * file gives ({@code siginfo: ... si_addr}) lies inside the range the child announced (the block's
 * guard page, or the freed block itself), and that the address is an access fault on a mapped page
 * ({@code SEGV_ACCERR}), i.e. a protected page, not a wild pointer. hs_err files go to a temporary
 * directory; core dumps are off.
 */
class GuardPageCrashTest
{
    private static final Pattern RANGE = Pattern.compile("RANGE ([0-9a-f]+) ([0-9a-f]+)");
    private static final Pattern SIGINFO =
        Pattern.compile("siginfo: si_signo: 11 \\(SIGSEGV\\), si_code: (\\d+) \\((\\w+)\\), si_addr: 0x([0-9a-f]+)");
    private static final int SEGV_ACCERR = 2;
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    @TempDir
    Path errorDirectory;

    @ParameterizedTest
    @ValueSource(strings = { "overflow", "underflow", "use-after-free", "cookies-guard-overflow", "java-raw-overflow" })
    void theChildDiesOfSigsegvInsideTheGuardedRange(final String scenario) throws IOException, InterruptedException
    {
        final Child child = run(scenario);
        assertFalse(child.output.contains("SURVIVED"), child.describe());
        assertNotEquals(0, child.exitCode, child.describe());

        final Matcher range = RANGE.matcher(child.output);
        assertTrue(range.find(), child.describe());
        final long start = Long.parseUnsignedLong(range.group(1), 16);
        final long end = Long.parseUnsignedLong(range.group(2), 16);

        final Path hsErr = onlyHsErr();
        final String report = Files.readString(hsErr, StandardCharsets.UTF_8);
        assertTrue(report.contains("#  SIGSEGV (0xb) at pc="), headOf(report));
        final Matcher siginfo = SIGINFO.matcher(report);
        assertTrue(siginfo.find(), headOf(report));
        assertEquals(SEGV_ACCERR, Integer.parseInt(siginfo.group(1)), "a protected page, not an unmapped one: " + siginfo.group());
        final long faultAddress = Long.parseUnsignedLong(siginfo.group(3), 16);
        assertTrue(Long.compareUnsigned(faultAddress, start) >= 0 && Long.compareUnsigned(faultAddress, end) < 0,
            "fault address 0x" + Long.toHexString(faultAddress) + " outside [0x" + Long.toHexString(start) + ", 0x" +
            Long.toHexString(end) + ")" + System.lineSeparator() + headOf(report));
        System.out.println("GuardPageCrashTest " + scenario + ": exit " + child.exitCode + " after " + child.millis +
            " ms; " + siginfo.group() + " in [0x" + Long.toHexString(start) + ", 0x" + Long.toHexString(end) + "); " +
            problematicFrame(report));
    }

    @Test
    void javaCodeReadingThroughABoundedViewGetsAnExceptionAndLives() throws IOException, InterruptedException
    {
        final Child child = run("java-view");
        assertEquals(0, child.exitCode, child.describe());
        assertTrue(child.output.contains("CAUGHT IndexOutOfBoundsException"), child.describe());
        assertTrue(child.output.contains("SURVIVED"), child.describe());
        try (Stream<Path> files = Files.list(errorDirectory))
        {
            assertEquals(0, files.count(), "no hs_err file");
        }
    }

    private Child run(final String scenario) throws IOException, InterruptedException
    {
        final String java = ProcessHandle.current().info().command().orElseThrow();
        final List<String> command = new ArrayList<>(List.of(java,
            "--enable-native-access=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "-XX:ErrorFile=" + errorDirectory.resolve("hs_err_pid%p.log"),
            "-XX:-CreateCoredumpOnCrash",
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
            "-cp", System.getProperty("java.class.path"),
            GuardFaultChild.class.getName(), scenario));
        final long started = System.nanoTime();
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS), "child still running: " + output);
        return new Child(scenario, output, process.exitValue(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private Path onlyHsErr() throws IOException
    {
        try (Stream<Path> files = Files.list(errorDirectory))
        {
            final List<Path> found = files.filter(p -> p.getFileName().toString().startsWith("hs_err_pid")).toList();
            assertEquals(1, found.size(), "hs_err files: " + found);
            return found.get(0);
        }
    }

    private static String headOf(final String report)
    {
        return report.lines().limit(40).reduce("", (a, b) -> a + b + System.lineSeparator());
    }

    private static String problematicFrame(final String report)
    {
        return report.lines().dropWhile(l -> !l.startsWith("# Problematic frame:")).skip(1).findFirst().orElse("?");
    }

    private record Child(String scenario, String output, int exitCode, long millis)
    {
        String describe()
        {
            return "child '" + scenario + "' exited " + exitCode + ":" + System.lineSeparator() + output;
        }
    }
}
