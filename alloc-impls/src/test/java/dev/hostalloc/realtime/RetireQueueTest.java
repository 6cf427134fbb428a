package dev.hostalloc.realtime;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.testkit.HeapAllocationMeter;
import dev.hostalloc.tlsf.ThreadingMode;
import dev.hostalloc.tlsf.TlsfAllocator;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetireQueueTest
{
    private final RecordingViolationHandler handler = new RecordingViolationHandler(8);
    private final TlsfAllocator pool = TlsfAllocator.mapped(4L << 20, ThreadingMode.SHARED, handler);

    @AfterEach
    void close()
    {
        pool.close();
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void retiredBlocksAreFreedByTheReclaimerNotByTheRetiringThread()
    {
        final RetireQueue queue = new RetireQueue(pool, 16, RetireQueue.Producers.ONE);
        assertEquals(16, queue.capacity());
        assertEquals(1, pool.usedBlocks(), "the block ring is one block of the allocator");
        for (int i = 0; i < 10; i++)
        {
            assertTrue(queue.retire(pool.allocate(100, 16, OBJECT)));
        }
        assertTrue(queue.retire(0L), "retiring 0 is a no-op");
        assertEquals(1 + 10, pool.usedBlocks(), "retire frees nothing itself");
        assertEquals(10, queue.reclaim());
        assertEquals(1, pool.usedBlocks());
        assertEquals(10, queue.reclaimedBlocks());
        assertEquals(0, queue.leakedBlocks());
        queue.close();
        queue.close();
        assertEquals(0, pool.usedBlocks(), "close frees the ring");
        final long late = pool.allocate(64, 8, OBJECT);
        assertFalse(queue.retire(late), "a closed queue takes nothing");
        assertFalse(queue.retire(() -> { }));
        assertEquals(1, queue.leakedBlocks());
        assertEquals(1, queue.leakedObjects());
        assertEquals(0, queue.reclaim());
        pool.free(late);
        pool.check();
    }

    @Test
    void aFullQueueLeaksAndCountsInsteadOfBlockingOrFreeing()
    {
        final RetireQueue queue = new RetireQueue(pool, 4, RetireQueue.Producers.ONE);
        final long[] blocks = new long[12];
        for (int i = 0; i < blocks.length; i++)
        {
            blocks[i] = pool.allocate(64, 8, OBJECT);
        }
        int queued = 0;
        for (final long b : blocks)
        {
            queued += queue.retire(b) ? 1 : 0;
        }
        assertTrue(queued >= 4 && queued <= 8, "at least the capacity is queued: " + queued);
        final int leaked = blocks.length - queued;
        assertEquals(leaked, queue.leakedBlocks());
        assertEquals(1 + blocks.length, pool.usedBlocks(), "the leaked blocks were not freed on the retiring thread");
        assertEquals(queued, queue.reclaim());
        assertEquals(1 + leaked, pool.usedBlocks(), "the leaked blocks stay leaked");
        assertTrue(queue.retire(pool.allocate(64, 8, OBJECT)), "room again after reclaiming");
        queue.close();
        assertEquals(leaked, pool.usedBlocks());
        assertTrue(queue.toString().contains("leaked " + leaked), queue.toString());
    }

    @Test
    void objectsAreReclaimedOnTheReclaimerAndTheirFailuresCounted()
    {
        final List<Throwable> errors = new ArrayList<>();
        final RetireQueue queue = new RetireQueue(pool, 2, RetireQueue.Producers.MANY, errors::add);
        final Thread[] reclaimedOn = new Thread[1];
        assertTrue(queue.retire(() -> reclaimedOn[0] = Thread.currentThread()));
        assertTrue(queue.retire(() ->
        {
            throw new IllegalStateException("boom");
        }));
        assertFalse(queue.retire(() -> { }));
        assertTrue(queue.retire((Reclaimable)null));
        assertEquals(1, queue.leakedObjects());
        final Thread reclaimer = new Thread(queue::reclaim);
        reclaimer.start();
        join(reclaimer);
        assertEquals(reclaimer, reclaimedOn[0]);
        assertEquals(2, queue.reclaimedObjects());
        assertEquals(1, queue.reclaimFailures());
        assertEquals("boom", errors.get(0).getMessage());
        queue.close();
    }

    @Test
    void anAllocatorThatCannotHoldTheRingIsAClearError()
    {
        try (TlsfAllocator small = TlsfAllocator.mapped(64 * 1024, ThreadingMode.SHARED, handler))
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> new RetireQueue(small, 1 << 20, RetireQueue.Producers.ONE));
            assertTrue(ex.getMessage().contains("block ring"), ex.getMessage());
            assertEquals(0, small.usedBlocks());
        }
    }

    @Test
    void aRunningReclaimerKeepsUpWithSeveralProducers() throws Exception
    {
        final RetireQueue queue = new RetireQueue(pool, 256, RetireQueue.Producers.MANY);
        final AtomicInteger leakedOrRetired = new AtomicInteger();
        try (AgentRunner reclaimer = queue.startReclaimer(new SleepingMillisIdleStrategy(1)))
        {
            final Thread[] producers = new Thread[3];
            for (int t = 0; t < producers.length; t++)
            {
                producers[t] = new Thread(() ->
                {
                    for (int i = 0; i < 20_000; i++)
                    {
                        final long p = pool.allocate(32 + (i & 255), 16, OBJECT);
                        if (p != 0)
                        {
                            if (!queue.retire(p))
                            {
                                pool.free(p); // test only: give back what the full queue refused
                            }
                            leakedOrRetired.incrementAndGet();
                        }
                    }
                });
                producers[t].start();
            }
            for (final Thread producer : producers)
            {
                producer.join();
            }
            assertTrue(reclaimer.thread().getName().startsWith("hostalloc-reclaimer"), reclaimer.thread().getName());
        }
        queue.close();
        assertEquals(60_000, leakedOrRetired.get());
        assertEquals(60_000, queue.reclaimedBlocks() + queue.leakedBlocks());
        assertEquals(0, pool.usedBlocks());
        pool.check();
    }

    @Test
    void retiringAllocatesNoHeap()
    {
        final RetireQueue queue = new RetireQueue(pool, 64, RetireQueue.Producers.ONE);
        final Reclaimable nothing = () -> { };
        final long bytes = HeapAllocationMeter.minimumBytes(i ->
        {
            queue.retire(pool.allocate(48, 16, OBJECT));
            queue.retire(nothing);
            if ((i & 31) == 31)
            {
                queue.reclaim();
            }
        });
        queue.close();
        assertEquals(0, bytes);
        assertEquals(0, queue.leakedBlocks());
    }

    @Test
    void anAllocatorThatIsNotThreadSafeIsRefused()
    {
        try (TlsfAllocator owned = TlsfAllocator.mapped(4096, ThreadingMode.OWNED, handler))
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> new RetireQueue(owned, 16, RetireQueue.Producers.ONE));
            assertTrue(ex.getMessage().contains("SHARED"), ex.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new RetireQueue(pool, 0, RetireQueue.Producers.ONE));
        final AllocationCallbacks undeclared = new AllocationCallbacks()
        {
            @Override
            public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
            {
                return 0;
            }

            @Override
            public long reallocate(final long original, final long size, final long alignment,
                final SystemAllocationScope scope)
            {
                return 0;
            }

            @Override
            public void free(final long memory)
            {
            }
        };
        assertThrows(IllegalArgumentException.class, () -> new RetireQueue(undeclared, 16, RetireQueue.Producers.ONE));
    }

    private static void join(final Thread thread)
    {
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
