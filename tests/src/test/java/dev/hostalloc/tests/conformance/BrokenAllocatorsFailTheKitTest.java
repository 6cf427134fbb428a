package dev.hostalloc.tests.conformance;

import dev.hostalloc.conformance.ConformanceReport;
import dev.hostalloc.conformance.ConformanceResult;
import dev.hostalloc.conformance.ConformanceSuite;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit must FAIL allocators that break a rule, in the checks for that rule, with a useful message. */
class BrokenAllocatorsFailTheKitTest
{
    @Test
    void theFixtureWithoutADefectPassesEveryCheck()
    {
        final ConformanceReport report = run(BrokenAllocator.Defect.NONE);
        assertTrue(report.passed(), report.text());
        assertEquals(0, report.count(ConformanceResult.Outcome.SKIPPED), report.text());
    }

    @Test
    void ignoringAlignmentFailsTheAlignmentChecks()
    {
        final ConformanceReport report = run(BrokenAllocator.Defect.IGNORES_ALIGNMENT);
        final Set<String> failed = failedChecks(report);
        assertTrue(failed.containsAll(List.of("alignment", "writable-block", "reallocate-keeps-alignment",
            "concurrent-use")), report.text());
        final String detail = report.result("alignment").orElseThrow().detail();
        assertTrue(detail.matches("allocate\\(size=\\d+, alignment=\\d+, scope=[A-Z]+\\) returned 0x[0-9a-f]+, not a " +
            "multiple of \\d+ \\(off by \\d+\\); the spec wants a multiple of the alignment"), detail);
        assertTrue(report.result("free-null").orElseThrow().passed(), report.text());
    }

    @Test
    void aReallocateThatDoesNotCopyFailsTheContentChecksOfReallocate()
    {
        final ConformanceReport report = run(BrokenAllocator.Defect.REALLOCATE_DOES_NOT_COPY);
        final Set<String> failed = failedChecks(report);
        assertTrue(failed.containsAll(List.of("reallocate-grow", "reallocate-shrink", "reallocate-keeps-alignment",
            "concurrent-use")), report.text());
        for (final String allocateOnly : List.of("alignment", "writable-block", "no-overlap", "size-zero"))
        {
            assertFalse(failed.contains(allocateOnly), allocateOnly + " must pass: " + report.text());
        }
        final String detail = report.result("reallocate-grow").orElseThrow().detail();
        assertTrue(detail.startsWith("reallocate(original=0x"), detail);
        assertTrue(detail.contains(" grew the block from 1 to 16 bytes "), detail);
        assertTrue(detail.contains("the spec keeps bytes [0, 1): byte 0 of the block at 0x"), detail);
    }

    @Test
    void freeingTheOriginalOnAFailedReallocateFailsExactlyThatCheck()
    {
        final ConformanceReport report = run(BrokenAllocator.Defect.FREES_ON_FAILED_REALLOCATE);
        assertEquals(Set.of("reallocate-failure-keeps-original"), failedChecks(report), report.text());
        final String detail = report.result("reallocate-failure-keeps-original").orElseThrow().detail();
        assertTrue(detail.contains("size=4611686018427387904") && detail.contains(" returned 0, so the original block " +
            "must be untouched (the spec: on failure the original stays valid and is not freed)"), detail);
        assertTrue(detail.matches("(?s).*: byte 0 of the block at 0x[0-9a-f]+ reads 0xdd but 0x[0-9a-f]{2} was " +
            "written there"), detail);
    }

    @Test
    void aReallocateToZeroThatReturnsABlockFailsExactlyThatCheck()
    {
        final ConformanceReport report = run(BrokenAllocator.Defect.REALLOCATE_ZERO_RETURNS_POINTER);
        assertEquals(Set.of("reallocate-zero-is-free"), failedChecks(report), report.text());
        final String detail = report.result("reallocate-zero-is-free").orElseThrow().detail();
        assertTrue(detail.matches("reallocate\\(original=0x[0-9a-f]+, size=0, alignment=1, scope=COMMAND\\) returned " +
            "0x[0-9a-f]+; the spec wants size 0 to behave exactly like pfnFree\\(original\\) and return NULL"), detail);
    }

    @Test
    void aSharedBlockForSizeZeroFailsExactlyTheSizeZeroCheck()
    {
        final ConformanceReport report = run(BrokenAllocator.Defect.SIZE_ZERO_SHARED_BLOCK);
        assertEquals(Set.of("size-zero"), failedChecks(report), report.text());
        final String detail = report.result("size-zero").orElseThrow().detail();
        assertTrue(detail.matches("allocate\\(size=0, alignment=1, scope=OBJECT\\) returned (0x[0-9a-f]+), which is " +
            "still live from allocate\\(size=0, alignment=1, scope=COMMAND\\); every pointer returned is freed on " +
            "its own, so live blocks, even of size 0, must be distinct"), detail);
    }

    @Test
    void aReallocateThatLosesTheAlignmentFailsTheAlignmentKeepingCheck()
    {
        final ConformanceReport report = run(BrokenAllocator.Defect.REALLOCATE_LOSES_ALIGNMENT);
        final Set<String> failed = failedChecks(report);
        assertTrue(failed.contains("reallocate-keeps-alignment"), report.text());
        assertFalse(failed.contains("alignment"), report.text());
        final String detail = report.result("reallocate-keeps-alignment").orElseThrow().detail();
        assertTrue(detail.startsWith("reallocate(original=0x") && detail.contains(", alignment=256, ") &&
            detail.endsWith("the spec wants a multiple of the alignment"), detail);
    }

    @Test
    void anAllocatorThatIsNotThreadSafeSkipsOnlyTheConcurrencyCheckWithTheReason()
    {
        final ConformanceReport report = run(BrokenAllocator.Defect.NOT_THREAD_SAFE);
        assertTrue(report.passed(), report.text());
        final ConformanceResult concurrent = report.result("concurrent-use").orElseThrow();
        assertTrue(concurrent.skipped(), report.text());
        assertEquals(1, report.count(ConformanceResult.Outcome.SKIPPED), report.text());
        assertTrue(concurrent.detail().startsWith("traits().threadSafe() is false"), concurrent.detail());
        assertTrue(report.text().contains("  SKIP  concurrent-use "), report.text());
    }

    private static ConformanceReport run(final BrokenAllocator.Defect defect)
    {
        return ConformanceSuite.standard().runAll(() -> new BrokenAllocator(defect));
    }

    private static Set<String> failedChecks(final ConformanceReport report)
    {
        final Set<String> failed = new TreeSet<>();
        for (final ConformanceResult result : report.failures())
        {
            failed.add(result.name());
        }
        return failed;
    }
}
