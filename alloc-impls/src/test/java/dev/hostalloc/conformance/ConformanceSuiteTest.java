package dev.hostalloc.conformance;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.DeclaredTraitsAllocator;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConformanceSuiteTest
{
    private static final List<String> EXPECTED_CHECKS = List.of(
        "alignment", "alignment-above-maximum", "writable-block", "no-overlap", "size-zero", "free-null",
        "reallocate-null-is-allocate", "reallocate-zero-is-free", "reallocate-grow", "reallocate-shrink",
        "reallocate-failure-keeps-original", "reallocate-keeps-alignment", "internal-notifications", "traits",
        "concurrent-use");

    @Test
    void standardSuiteHasEveryCheckOnceWithAOneLineRule()
    {
        final List<ConformanceCheck> checks = ConformanceSuite.standard().checks();
        final Set<String> names = new HashSet<>();
        for (final ConformanceCheck check : checks)
        {
            assertTrue(names.add(check.name()), "duplicate " + check.name());
            assertTrue(check.name().matches("[a-z]+(-[a-z]+)*"), check.name());
            assertFalse(check.rule().isBlank(), check.name());
            assertFalse(check.rule().contains("\n"), check.name());
        }
        assertEquals(EXPECTED_CHECKS, checks.stream().map(ConformanceCheck::name).toList());
        assertEquals("reallocate-grow", ConformanceSuite.standard().check("reallocate-grow").name());
        final IllegalArgumentException unknown =
            assertThrows(IllegalArgumentException.class, () -> ConformanceSuite.standard().check("nope"));
        assertTrue(unknown.getMessage().contains("reallocate-grow"), unknown.getMessage());
    }

    @Test
    void systemAllocatorWithThrowingHandlerPassesEveryCheck()
    {
        final ConformanceReport report =
            ConformanceSuite.standard().runAll(() -> new SystemAllocator(ViolationHandler.throwing()));
        System.out.print(report.text());
        assertTrue(report.passed(), report.text());
        assertEquals(EXPECTED_CHECKS.size(), report.count(ConformanceResult.Outcome.PASSED), report.text());
    }

    @Test
    void misalignedResultsFailTheAlignmentChecksWithTheCallInTheMessage()
    {
        final ConformanceReport report = ConformanceSuite.standard().runAll(OffByOneAllocator::new);
        final ConformanceResult alignment = report.result("alignment").orElseThrow();
        assertTrue(alignment.failed(), report.text());
        assertTrue(alignment.detail().startsWith("allocate(size=1, alignment=2, scope=INSTANCE) returned 0x"),
            alignment.detail());
        assertTrue(alignment.detail().endsWith("not a multiple of 2 (off by 1); the spec wants a multiple of the " +
            "alignment"), alignment.detail());
        assertTrue(report.result("reallocate-keeps-alignment").orElseThrow().failed(), report.text());
        assertFalse(report.passed());
        assertTrue(report.failures().contains(alignment));
        assertTrue(report.text().contains("  FAIL  alignment "), report.text());
    }

    @Test
    void concurrencyCheckIsSkippedWithTheReasonWhenTheAllocatorIsNotThreadSafe()
    {
        final ConformanceResult result = ConformanceSuite.run(
            ConformanceSuite.standard().check("concurrent-use"), ConformanceSuiteTest::notThreadSafe);
        assertTrue(result.skipped(), result.toString());
        assertTrue(result.detail().contains("traits().threadSafe() is false"), result.detail());
        final ConformanceSkipped skipped = assertThrows(ConformanceSkipped.class,
            () -> ConformanceSuite.standard().check("concurrent-use").run(ConformanceSuiteTest::notThreadSafe));
        assertEquals(result.detail(), skipped.reason());
    }

    @Test
    void aFactoryReturningNullFailsEveryCheck()
    {
        final ConformanceReport report = ConformanceSuite.standard().runAll(() -> null);
        assertEquals(EXPECTED_CHECKS.size(), report.count(ConformanceResult.Outcome.FAILED));
        assertTrue(report.results().get(0).detail().contains("factory returned null"), report.text());
    }

    @Test
    void aLeakedBlockFailsTheRecordReplay()
    {
        final ConformanceCheck check = new ConformanceCheck("leaky", "forgets a free",
            c -> c.allocate(64, 8, SystemAllocationScope.OBJECT));
        final ConformanceFailure failure =
            assertThrows(ConformanceFailure.class, () -> check.run(SystemAllocator::new));
        assertTrue(failure.getMessage().contains("CTS validator"), failure.getMessage());
    }

    @Test
    void anExceptionFromTheAllocatorIsAFailureNamingTheCall()
    {
        final ConformanceResult result = ConformanceSuite.run(
            ConformanceSuite.standard().check("free-null"), ThrowsOnFree::new);
        assertTrue(result.failed());
        assertTrue(result.detail().startsWith("free(0x0) threw java.lang.IllegalStateException: boom"), result.detail());
    }

    @Test
    void reportTextHasASummaryLineAndIndentedDetails()
    {
        final ConformanceReport report = new ConformanceReport(List.of(
            new ConformanceResult("a", "rule a", ConformanceResult.Outcome.PASSED, "", null),
            new ConformanceResult("bb", "rule b", ConformanceResult.Outcome.FAILED, "line 1\nline 2", null),
            new ConformanceResult("c", "rule c", ConformanceResult.Outcome.SKIPPED, "why", null)));
        final String n = System.lineSeparator();
        assertEquals("conformance: 1 passed, 1 failed, 1 skipped of 3 checks" + n +
            "  PASS  a   rule a" + n +
            "  FAIL  bb  rule b" + n +
            "        line 1" + n +
            "        line 2" + n +
            "  SKIP  c   rule c" + n +
            "        why" + n, report.text());
        assertFalse(report.passed());
    }

    /** Hands out every block one byte past an aligned one: right size, wrong alignment. */
    private static final class OffByOneAllocator implements AllocationCallbacks
    {
        private final SystemAllocator system = new SystemAllocator(ViolationHandler.throwing());

        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            final long block = size == 0 ? 0 : system.allocate(size + 1, alignment, scope);
            return block == 0 ? 0 : block + 1;
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            if (original == 0)
            {
                return allocate(size, alignment, scope);
            }
            if (size == 0)
            {
                free(original);
                return 0;
            }
            final long block = system.reallocate(original - 1, size + 1, alignment, scope);
            return block == 0 ? 0 : block + 1;
        }

        @Override
        public void free(final long memory)
        {
            if (memory != 0)
            {
                system.free(memory - 1);
            }
        }
    }

    private static final class ThrowsOnFree implements AllocationCallbacks
    {
        private final SystemAllocator system = new SystemAllocator();

        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            return system.allocate(size, alignment, scope);
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            return system.reallocate(original, size, alignment, scope);
        }

        @Override
        public void free(final long memory)
        {
            throw new IllegalStateException("boom");
        }
    }

    private static AllocationCallbacks notThreadSafe()
    {
        final SystemAllocator system = new SystemAllocator();
        return new DeclaredTraitsAllocator(system, system.traits().withThreadSafe(false));
    }
}
