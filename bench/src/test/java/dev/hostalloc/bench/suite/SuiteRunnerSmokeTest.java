package dev.hostalloc.bench.suite;

import dev.hostalloc.vulkan.VulkanAvailability;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite runs end to end in its quickest form ({@code --smoke}: in this JVM, 20 ms iterations) and its
 * table has every row of the plan; the B/op criterion is checked on the run's control row and on
 * constructed rows. No timing is asserted (smoke figures are unwarmed and mean nothing).
 */
class SuiteRunnerSmokeTest
{
    @Test
    void theSmokeRunPrintsOneRowPerCaseOfThePlanWithTheControlAllocating()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream progress = new ByteArrayOutputStream();
        final SuiteRunner.Outcome outcome = SuiteRunner.run(SuiteRunner.Arguments.parse("--smoke"),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(progress, true, StandardCharsets.UTF_8));
        final String report = out.toString(StandardCharsets.UTF_8);

        final VulkanAvailability.Availability vulkan = VulkanAvailability.probe();
        if (!vulkan.available() && VulkanAvailability.required())
        {
            assertEquals(SuiteRunner.FAILED, outcome.status(), report);
            assertTrue(report.contains(VulkanAvailability.REQUIRE_ENV + "=1 but"), report);
            return;
        }

        final List<String> planned = SuitePlan.all(SuiteRunner::threadSafe).stream().map(SuiteCase::label).toList();
        final List<String> labels = outcome.table().rows().stream().map(r -> r.suiteCase().label()).toList();
        assertEquals(planned, labels, report);
        assertTrue(planned.size() >= 60, "the plan has every family: " + planned);
        for (final Class<?> benchmark : List.of(StackBenchmark.class, BaselineBenchmark.class, MemoryStackBenchmark.class,
            TwoThreadBenchmark.class, VulkanBenchmark.class, HeapControlBenchmark.class,
            dev.hostalloc.bench.debug.GuardBenchmark.class))
        {
            assertTrue(outcome.table().rows().stream().anyMatch(r -> r.suiteCase().benchmark() == benchmark), benchmark.getName());
        }
        for (final String label : planned)
        {
            assertTrue(report.contains("| " + label + " | "), label + " is in the printed table:\n" + report);
        }
        for (final SuiteRow row : outcome.table().rows())
        {
            assertFalse(row.failed(), row.suiteCase().label() + ": " + row.problem() + "\n" + progress);
            if (row.suiteCase().benchmark() == VulkanBenchmark.class && !vulkan.available())
            {
                assertTrue(row.problem().contains(VulkanAvailability.PACKAGES), row.problem());
            }
            else
            {
                assertTrue(row.isMeasured(), row.suiteCase().label());
                assertTrue(row.nanos() > 0, row.suiteCase().label());
                assertFalse(Double.isNaN(row.bytesPerOp()), row.suiteCase().label() + " has a gc.alloc.rate.norm");
            }
        }
        if (!vulkan.available())
        {
            assertTrue(report.contains("Vulkan rows skipped: "), report);
        }

        final SuiteRow control = outcome.table().rows().stream()
            .filter(r -> r.suiteCase().role() == SuiteCase.Role.CONTROL).findFirst().orElseThrow();
        assertTrue(control.bytesPerOp() >= 16, "the control allocates an array per op: " + control);
        assertTrue(control.meetsAllocationCriterion(outcome.table().infrastructureBytesPerIteration()), control.toString());
        assertTrue(outcome.table().infrastructureBytesPerIteration() > 0, report);
        assertEquals(outcome.table().failures().isEmpty() ? SuiteRunner.OK : SuiteRunner.FAILED, outcome.status(), report);
        assertTrue(report.contains("ns/op is the median of every measurement iteration"), report);
    }

    @Test
    void theAllocationCriterionFailsAnAllocatingStackAndANonAllocatingControl()
    {
        final SuiteCase glibc = bare("pair a=8 glibc", SuiteCase.Role.BASELINE);
        final SuiteCase clean = bare("pair a=8 clean", SuiteCase.Role.HOSTALLOC);
        final SuiteCase allocating = bare("pair a=8 allocating", SuiteCase.Role.HOSTALLOC);
        final SuiteCase slow = bare("pages slow", SuiteCase.Role.HOSTALLOC);
        final SuiteCase control = bare(SuitePlan.CONTROL, SuiteCase.Role.CONTROL);
        final double iterationNanos = 1e9;
        final List<SuiteRow> rows = List.of(
            measured(glibc, 20, 0.0002, iterationNanos),
            measured(clean, 25, 0.0003, iterationNanos),
            measured(allocating, 25, 16, iterationNanos),
            // a 100 µs operation: JMH's few kB per iteration read as 1.5 B/op, under twice the baselines' bytes
            measured(slow, 100_000, 1.5, iterationNanos),
            measured(control, 30, 32, iterationNanos));
        final SuiteTable table = new SuiteTable(rows);
        assertEquals(10_000, table.infrastructureBytesPerIteration(), 1e-6);
        final List<String> failures = table.failures();
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("pair a=8 allocating: 16.000 B/op"), failures.get(0));

        final SuiteTable quietControl = new SuiteTable(List.of(measured(glibc, 20, 0.0002, iterationNanos),
            measured(control, 30, 0.0001, iterationNanos)));
        assertEquals(1, quietControl.failures().size());
        assertTrue(quietControl.failures().get(0).contains("the GC profiler is not measuring"), quietControl.failures().get(0));

        final SuiteTable noProfile = new SuiteTable(List.of(SuiteRow.measured(clean, 25, 5, Double.NaN, Double.NaN)));
        assertEquals(1, noProfile.failures().size(), "a hostalloc row without a B/op figure proves nothing");
    }

    @Test
    void goalsCompareWithTheirReferenceRowOfTheSameRun()
    {
        final SuiteCase glibc = bare("pair a=8 glibc", SuiteCase.Role.BASELINE);
        final SuiteCase system = new SuiteCase("pair a=8 system", SuiteCase.Role.HOSTALLOC, StackBenchmark.class, "pair",
            Map.of(), "pair a=8 glibc", Goal.ratio(1.3, "pair a=8 glibc"));
        final SuiteCase cookies = new SuiteCase("pair a=8 cookies,system", SuiteCase.Role.HOSTALLOC, StackBenchmark.class,
            "pair", Map.of(), "pair a=8 glibc", Goal.addedNanos(5, "pair a=8 system"));
        final SuiteTable table = new SuiteTable(List.of(
            measured(glibc, 20, 0, 1e9), measured(system, 27, 0, 1e9), measured(cookies, 33, 0, 1e9)));
        assertEquals(Boolean.FALSE, table.goalHolds(table.rows().get(1)), "27 > 1.3 × 20");
        assertEquals(Boolean.FALSE, table.goalHolds(table.rows().get(2)), "33 - 27 > 5");
        assertEquals(1.35, table.ratio(table.rows().get(1)), 1e-9);
        assertEquals(2, table.missedGoals().size());
        final String markdown = table.markdown();
        assertTrue(markdown.contains("| pair a=8 cookies,system | 33.0 | 1.65× | glibc | 0 | +6.0 ns ≤ +5 ns over system | NO |"),
            markdown);
        final SuiteTable holding = new SuiteTable(List.of(measured(glibc, 20, 0, 1e9), measured(system, 25, 0, 1e9),
            measured(cookies, 29, 0, 1e9)));
        assertTrue(holding.missedGoals().isEmpty(), holding.missedGoals().toString());
        assertNotNull(holding.json());
    }

    @Test
    void vulkanRowsFailWhenRequiredAndMissingAndAreSkippedOtherwise()
    {
        assertEquals(SuiteRunner.VulkanGate.RUN, SuiteRunner.VulkanGate.of(true, true));
        assertEquals(SuiteRunner.VulkanGate.RUN, SuiteRunner.VulkanGate.of(true, false));
        assertEquals(SuiteRunner.VulkanGate.FAIL, SuiteRunner.VulkanGate.of(false, true));
        assertEquals(SuiteRunner.VulkanGate.SKIP, SuiteRunner.VulkanGate.of(false, false));
    }

    @Test
    void argumentsAreParsedAndBadOnesRefused()
    {
        final SuiteRunner.Arguments quick = SuiteRunner.Arguments.parse("--quick", "--filter", "cookies", "--out", "t.json");
        assertEquals(SuiteRunner.Length.QUICK, quick.length());
        assertEquals("cookies", quick.filter().pattern());
        assertEquals(SuiteRunner.Length.FULL, SuiteRunner.Arguments.parse().length());
        assertThrows(IllegalArgumentException.class, () -> SuiteRunner.Arguments.parse("--fast"));
        assertThrows(IllegalArgumentException.class, () -> SuiteRunner.Arguments.parse("--filter"));
        assertThrows(IllegalArgumentException.class, () -> SuiteRunner.Arguments.parse("--filter", "("));
    }

    @Test
    void aFilterKeepsTheRowsItMatchesTheirReferencesAndTheControl()
    {
        final List<SuiteCase> all = SuitePlan.all(spec -> true);
        final Set<String> selected = SuitePlan.select(all, Pattern.compile("batch a=64 cookies,system")).stream()
            .map(SuiteCase::label).collect(Collectors.toSet());
        assertEquals(Set.of("batch a=64 cookies,system", "batch a=64 system", "batch a=64 glibc", SuitePlan.CONTROL), selected);
        assertEquals(all.size(), all.stream().map(SuiteCase::label).distinct().count(), "labels are unique");
    }

    private static SuiteCase bare(final String label, final SuiteCase.Role role)
    {
        return new SuiteCase(label, role, StackBenchmark.class, "pair", Map.of(), null, null);
    }

    private static SuiteRow measured(final SuiteCase c, final double nanos, final double bytesPerOp, final double iterationNanos)
    {
        return SuiteRow.measured(c, nanos, 1, bytesPerOp, bytesPerOp * iterationNanos / nanos);
    }
}
