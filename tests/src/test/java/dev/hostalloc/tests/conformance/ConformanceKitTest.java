package dev.hostalloc.tests.conformance;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.conformance.ConformanceCheck;
import dev.hostalloc.conformance.ConformanceFailure;
import dev.hostalloc.conformance.ConformanceSuite;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JUnit kit itself: one dynamic test per check, failures fail, skips abort with the reason. */
class ConformanceKitTest
{
    @Test
    void oneDynamicTestPerCheckNamedAfterIt()
    {
        final List<String> names = kitFor(BrokenAllocator.Defect.NONE).conformance()
            .map(DynamicTest::getDisplayName).toList();
        assertEquals(ConformanceSuite.standard().checks().stream().map(ConformanceCheck::name).toList(), names);
    }

    @Test
    void aBrokenRuleFailsItsTestAndASkipAbortsWithTheReason()
    {
        final Map<String, DynamicTest> broken = byName(kitFor(BrokenAllocator.Defect.FREES_ON_FAILED_REALLOCATE));
        final ConformanceFailure failure = assertThrows(ConformanceFailure.class,
            () -> broken.get("reallocate-failure-keeps-original").getExecutable().execute());
        assertTrue(failure.getMessage().startsWith("reallocate-failure-keeps-original: reallocate(original=0x"),
            failure.getMessage());
        assertTrue(failure.getMessage().contains("the original block must be untouched"), failure.getMessage());
        assertDoesNotThrow(() -> broken.get("reallocate-grow").getExecutable().execute());

        final Map<String, DynamicTest> unsafe = byName(kitFor(BrokenAllocator.Defect.NOT_THREAD_SAFE));
        final TestAbortedException aborted = assertThrows(TestAbortedException.class,
            () -> unsafe.get("concurrent-use").getExecutable().execute());
        assertTrue(aborted.getMessage().contains("concurrent-use skipped: traits().threadSafe() is false"),
            aborted.getMessage());
    }

    private static AllocationCallbacksConformanceTest kitFor(final BrokenAllocator.Defect defect)
    {
        return new AllocationCallbacksConformanceTest()
        {
            @Override
            protected AllocationCallbacks createCallbacks()
            {
                return new BrokenAllocator(defect);
            }
        };
    }

    private static Map<String, DynamicTest> byName(final AllocationCallbacksConformanceTest kit)
    {
        return kit.conformance().collect(Collectors.toMap(DynamicTest::getDisplayName, Function.identity()));
    }
}
