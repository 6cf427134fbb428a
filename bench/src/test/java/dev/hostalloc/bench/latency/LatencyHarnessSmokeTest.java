package dev.hostalloc.bench.latency;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness runs end to end with tiny counts and prints its three tables; no timing is asserted. */
class LatencyHarnessSmokeTest
{
    @Test
    void aTinyRunPrintsEveryTableWithEveryAllocator()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LatencyHarness.run(new LatencyHarness.Options(2, 20_000, 5_000, 64, 1), new PrintStream(bytes, true,
            StandardCharsets.UTF_8));
        final String report = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(report.contains("## General mix, alignment 8"), report);
        assertTrue(report.contains("## General mix, Vulkan-style alignments"), report);
        assertTrue(report.contains("## Real-time loop"), report);
        for (final String row : new String[] { "| glibc malloc/free", "| hostalloc tlsf, owned", "| hostalloc tlsf, shared",
            "| hostalloc system", "| (timer alone", "| (control: " })
        {
            assertEquals(3, report.split(java.util.regex.Pattern.quote(row), -1).length - 1, row + " in every table:\n" + report);
        }
        assertTrue(report.matches("(?s).*\\| hostalloc tlsf, owned \\(no lock\\) \\| \\d+ \\[\\d+–\\d+] \\|.*\\| 0 \\|.*"),
            "no TLSF allocation failed:\n" + report);
    }

    @Test
    void optionsAreParsedAndBadOnesRefused()
    {
        final LatencyHarness.Options options =
            LatencyHarness.Options.parse(new String[] { "--rounds", "3", "--ops", "10", "--live", "8", "--seed", "5" });
        assertEquals(new LatencyHarness.Options(3, 10, 2_000_000, 8, 5), options);
        assertEquals("realtime", LatencyHarness.Options.parse(new String[] { "--scenario", "realtime" }).scenario());
        assertThrows(IllegalArgumentException.class, () -> LatencyHarness.Options.parse(new String[] { "--scenario", "x" }));
        assertThrows(IllegalArgumentException.class, () -> LatencyHarness.Options.parse(new String[] { "--fast" }));
        assertThrows(IllegalArgumentException.class, () -> LatencyHarness.Options.parse(new String[] { "--rounds", "0" }));
        assertThrows(IllegalArgumentException.class, () -> LatencyHarness.Options.parse(new String[] { "--ops" }));
    }
}
