package dev.hostalloc.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AbortingViolationHandlerTest
{
    /** Child process body: reports one violation through the ABORT policy. */
    public static void main(final String[] args)
    {
        ViolationPolicy.ABORT.newHandler().onViolation(
            Violation.FREE_NOT_ALLOCATED_PTR, 0xdead0, 0, null, "from the child");
        System.out.println("still running");
    }

    @Test
    void printsTheReportAndHaltsWithTheAbortStatus() throws IOException, InterruptedException
    {
        final String java = ProcessHandle.current().info().command().orElse("java");
        final Process child = new ProcessBuilder(
            java, "-cp", System.getProperty("java.class.path"), AbortingViolationHandlerTest.class.getName())
            .redirectErrorStream(true)
            .start();
        final String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(AbortingViolationHandler.ABORT_EXIT_CODE, child.exitValue(), output);
        assertTrue(output.contains(
            "hostalloc: aborting on allocation violation: FREE_NOT_ALLOCATED_PTR at 0xdead0"), output);
        assertTrue(!output.contains("still running"), output);
    }
}
