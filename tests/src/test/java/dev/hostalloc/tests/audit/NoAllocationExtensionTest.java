package dev.hostalloc.tests.audit;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.system.SystemAllocator;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static dev.hostalloc.api.SystemAllocationScope.COMMAND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs fixture tests through the JUnit engine and checks which of them {@code @NoAllocation} fails, and why. */
class NoAllocationExtensionTest
{
    @Test
    void cleanBodiesPassAndAllocatingOnesFailNamingWhatTheyAllocated()
    {
        Fixtures.PASSES.set(0);
        final Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Fixtures.class)).execute()
            .testEvents();
        events.assertStatistics(stats -> stats.started(5).succeeded(2).failed(3));
        final Map<String, String> failures = events.failed().stream().collect(Collectors.toMap(
            event -> event.getTestDescriptor().getDisplayName(), NoAllocationExtensionTest::message));
        assertTrue(failures.get("allocatesHeap()").contains("Java heap bytes"), failures.toString());
        assertTrue(failures.get("callsTheHost()").contains("allocate 64 bytes, alignment 8, scope COMMAND"),
            failures.toString());
        assertTrue(failures.get("throwsItsOwnError()").contains("the body's own failure"), failures.toString());
        assertEquals(3, Fixtures.PASSES.get(), "two warm-up passes and the audited one");
    }

    private static String message(final Event event)
    {
        return event.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
            .map(Throwable::getMessage).orElse("");
    }

    /** Not run on its own (surefire skips nested classes); run by the test above. */
    static class Fixtures
    {
        static final AtomicInteger PASSES = new AtomicInteger();
        private static final AllocationCallbacks HOST = AllocationAudit.watch(new SystemAllocator());
        private final long[] scratch = new long[16];
        private Object sink;

        @Test
        @NoAllocation
        void clean()
        {
            for (int i = 0; i < 10_000; i++)
            {
                scratch[i & 15] += i;
            }
        }

        @Test
        @NoAllocation(warmUpPasses = 2)
        void countsPasses()
        {
            PASSES.incrementAndGet();
        }

        @Test
        @NoAllocation
        void allocatesHeap()
        {
            sink = new byte[1000];
        }

        @Test
        @NoAllocation
        void callsTheHost()
        {
            HOST.free(HOST.allocate(64, 8, COMMAND));
        }

        @Test
        @NoAllocation
        void throwsItsOwnError()
        {
            throw new AssertionError("the body's own failure");
        }
    }
}
