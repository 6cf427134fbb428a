package dev.hostalloc.tests.audit;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.tlsf.ThreadingMode;
import dev.hostalloc.tlsf.TlsfAllocator;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.hostalloc.api.SystemAllocationScope.COMMAND;
import static dev.hostalloc.api.SystemAllocationScope.DEVICE;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllocationAuditTest
{
    private final AllocationCallbacks host = AllocationAudit.watch(new SystemAllocator());
    private final long[] scratch = new long[64];
    private Object sink;

    @Test
    void aRegionThatAllocatesNothingPasses()
    {
        // A few warm-up passes: the loop's OSR compilation must be over before the audited pass.
        new AllocationAudit().run(() ->
        {
            for (int i = 0; i < 100_000; i++)
            {
                scratch[i & 63] += i;
            }
        }, 5);
    }

    @Test
    void heapAllocationFailsAndSaysHowManyBytes()
    {
        final AssertionFailedError error = assertThrows(AssertionFailedError.class,
            () -> new AllocationAudit().run(() -> sink = new long[100]));
        assertTrue(error.getMessage().matches("(?s)audited region on thread '.+' allocated \\d+ Java heap bytes"),
            error.getMessage());
        final AuditResult result = new AllocationAudit().measure(() -> sink = new long[100]);
        assertTrue(result.heapBytes() >= 800, result.describe());
        assertEquals(0, result.hostOperations());
    }

    @Test
    void hostMemoryThroughAWatchedStackFailsAndSaysSizesAndScopes()
    {
        final AssertionFailedError error = assertThrows(AssertionFailedError.class, () -> new AllocationAudit().run(() ->
        {
            final long a = host.allocate(64, 8, COMMAND);
            final long b = host.reallocate(a, 4096, 8, COMMAND);
            host.free(b);
            host.internalAllocationNotification(1000, InternalAllocationType.EXECUTABLE, DEVICE);
        }));
        final String message = error.getMessage();
        assertTrue(message.contains("made 4 host memory calls (5160 bytes asked for)"), message);
        assertTrue(message.contains("allocate 64 bytes, alignment 8, scope COMMAND"), message);
        assertTrue(message.contains(" to 4096 bytes, alignment 8, scope COMMAND"), message);
        assertTrue(message.contains("  free 0x"), message);
        assertTrue(message.contains("internal (executable) allocation of 1000 bytes, scope DEVICE"), message);
        assertFalse(message.contains("heap"), "no heap bytes in the audited pass: " + message);
    }

    @Test
    void realtimePoolAllocationsAreNotHostAllocationsButTakingTheArenaIs()
    {
        final RecordingViolationHandler handler = new RecordingViolationHandler(4);
        try (TlsfAllocator pool = new TlsfAllocator(host, 1 << 20, ThreadingMode.OWNED, handler))
        {
            new AllocationAudit().run(() -> pool.free(pool.allocate(100 + (scratch[0]++ & 255), 64, OBJECT)));
        }
        final AuditResult creating = new AllocationAudit(4).measure(() ->
        {
            final TlsfAllocator pool = new TlsfAllocator(host, 4096, ThreadingMode.OWNED, handler);
            pool.close();
        });
        assertEquals(2, creating.hostOperations(), creating.describe());
        assertEquals("allocate 4096 bytes, alignment 16, scope OBJECT", creating.details().get(0).toString());
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void otherThreadsAreNotAudited() throws Exception
    {
        final CountDownLatch go = new CountDownLatch(1);
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread other = new Thread(() ->
        {
            go.countDown();
            while (!stop.get())
            {
                host.free(host.allocate(32, 16, OBJECT));
            }
        });
        other.start();
        go.await();
        try
        {
            final AuditResult result = new AllocationAudit().measure(() ->
            {
                for (int i = 0; i < 2_000_000; i++)
                {
                    scratch[i & 63] ^= i;
                }
            });
            assertEquals(0, result.hostOperations(), result.describe());
        }
        finally
        {
            stop.set(true);
            other.join();
        }
    }

    @Test
    void detailsBeyondTheCapacityAreCounted()
    {
        final AuditResult result = new AllocationAudit(2).measure(() ->
        {
            for (int i = 0; i < 5; i++)
            {
                host.free(host.allocate(16, 16, OBJECT));
            }
        });
        assertEquals(10, result.hostOperations());
        assertEquals(80, result.hostBytes());
        assertEquals(2, result.details().size());
        assertTrue(result.describe().contains("(8 more not kept)"), result.describe());
        assertFalse(result.clean());
    }

    @Test
    void theSpecElementWatchesAStackBuiltFromAString()
    {
        AllocationAudit.registerSpecElement();
        AllocationAudit.registerSpecElement();
        assertTrue(Allocators.elementNames().contains(AllocationAudit.SPEC_ELEMENT));
        final AllocationCallbacks stack = Allocators.fromSpec("audit,system");
        final AuditResult result = new AllocationAudit().measure(() -> stack.free(stack.allocate(48, 16, COMMAND)));
        assertEquals(2, result.hostOperations(), result.describe());
        assertNotEquals(0, stack.traits().maxAlignment());
        assertTrue(stack.traits().threadSafe(), "the watch keeps its delegate's traits");
    }

    @Test
    void misuseOfTheAuditIsAClearError()
    {
        final AllocationAudit audit = new AllocationAudit();
        assertThrows(IllegalStateException.class, audit::end);
        audit.begin();
        assertThrows(IllegalStateException.class, audit::begin);
        assertThrows(IllegalStateException.class, audit::result);
        audit.end();
        assertTrue(audit.result().describe().contains("allocated"));
        assertThrows(IllegalArgumentException.class, () -> new AllocationAudit(-1));
        assertThrows(IllegalArgumentException.class, () -> audit.run(() -> { }, -1));
    }
}
