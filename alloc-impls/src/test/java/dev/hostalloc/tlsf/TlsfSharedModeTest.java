package dev.hostalloc.tlsf;

import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.Violation;
import dev.hostalloc.realtime.RealtimeThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.system.MemoryUtil.memGetLong;
import static org.lwjgl.system.MemoryUtil.memPutLong;

/** {@link ThreadingMode#SHARED}: the lock never parks, real-time threads fail fast, frees are deferred. */
class TlsfSharedModeTest
{
    private final RecordingViolationHandler handler = new RecordingViolationHandler(16);
    private final TlsfAllocator pool = TlsfAllocator.mapped(4L << 20, ThreadingMode.SHARED, 16, handler);

    @AfterEach
    void close()
    {
        RealtimeThreads.unregisterCurrent();
        pool.close();
    }

    @Test
    void aRealtimeThreadThatCannotTakeTheLockFailsAndIsCountedAndItsFreeIsDeferred()
    {
        final long block = pool.allocate(256, 64, OBJECT);
        RealtimeThreads.registerCurrent();
        assertTrue(pool.lock().tryLock(), "the test holds the lock, as a preempted holder would");
        try
        {
            assertEquals(0, pool.allocate(64, 8, OBJECT));
            assertEquals(0, pool.reallocate(block, 512, 64, OBJECT));
            assertEquals(2, pool.contentionFailures());
            pool.free(block);
            assertEquals(1, pool.deferredFrees());
            pool.free(block);
            assertEquals(1, handler.count(Violation.DOUBLE_FREE), "a second free of a pending block: " + handler.report());
            assertEquals(1, pool.usedBlocks(), "nothing was freed while the lock was held");
        }
        finally
        {
            pool.lock().unlock();
        }
        RealtimeThreads.unregisterCurrent();
        final long next = pool.allocate(64, 8, OBJECT);   // the next lock holder performs the pending free
        assertNotEquals(0, next);
        assertEquals(1, pool.usedBlocks());
        pool.free(next);
        pool.check();
        assertEquals(0, pool.usedBlocks());
        assertEquals(1, handler.totalCount(), handler.report());
    }

    @Test
    void aDeferredFreeOfAForeignPointerIsReportedWithoutTheLock()
    {
        RealtimeThreads.registerCurrent();
        assertTrue(pool.lock().tryLock());
        try
        {
            pool.free(pool.arenaAddress() - 4096);
            pool.free(pool.arenaAddress() + 4096 + 16); // inside the free arena: no header
        }
        finally
        {
            pool.lock().unlock();
        }
        assertEquals(2, handler.count(Violation.FREE_NOT_ALLOCATED_PTR), handler.report());
        assertEquals(0, pool.deferredFrees());
        pool.check();
    }

    @Test
    void manyDeferredFreesAreDrainedAFewPerCall()
    {
        final long[] blocks = new long[100];
        for (int i = 0; i < blocks.length; i++)
        {
            blocks[i] = pool.allocate(32 + i, 16, OBJECT);
        }
        RealtimeThreads.registerCurrent();
        assertTrue(pool.lock().tryLock());
        try
        {
            for (final long b : blocks)
            {
                pool.free(b);
            }
        }
        finally
        {
            pool.lock().unlock();
        }
        assertEquals(100, pool.deferredFrees());
        assertEquals(100, pool.usedBlocks());
        pool.free(pool.allocate(16, 16, OBJECT));
        assertEquals(100 - 2 * TlsfAllocator.DRAIN_LIMIT, pool.usedBlocks(), "two lock holders, DRAIN_LIMIT each");
        pool.check();                                       // performs the rest
        assertEquals(0, pool.usedBlocks());
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void anOrdinaryThreadWaitsForTheLockWithoutFailing() throws Exception
    {
        final AtomicLong result = new AtomicLong();
        final CountDownLatch started = new CountDownLatch(1);
        assertTrue(pool.lock().tryLock());
        final Thread waiter = new Thread(() ->
        {
            started.countDown();
            result.set(pool.allocate(128, 16, OBJECT));
        });
        try
        {
            waiter.start();
            started.await();
            Thread.sleep(50);
            assertEquals(0, result.get(), "still waiting");
        }
        finally
        {
            pool.lock().unlock();
        }
        waiter.join();
        assertNotEquals(0, result.get());
        assertEquals(0, pool.contentionFailures());
        pool.free(result.get());
        pool.check();
    }

    @Test
    void threadsHammeringThePoolNeverShareABlock() throws Exception
    {
        final int threads = 4;
        final int operations = 50_000;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            final int id = t;
            workers[t] = new Thread(() ->
            {
                if (id == 0)
                {
                    RealtimeThreads.registerCurrent();  // one real-time thread among ordinary ones
                }
                try
                {
                    hammer(id, operations);
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
                finally
                {
                    RealtimeThreads.unregisterCurrent();
                }
            });
            workers[t].start();
        }
        for (final Thread worker : workers)
        {
            worker.join();
        }
        assertNull(failure.get(), () -> "worker failed: " + failure.get());
        pool.check();
        assertEquals(0, pool.usedBlocks(), "every worker freed what it allocated (deferred ones included)");
        assertEquals(0, handler.totalCount(), handler.report());
        System.out.println("TlsfSharedModeTest: contention failures " + pool.contentionFailures() + ", deferred frees " +
            pool.deferredFrees());
    }

    private void hammer(final int id, final int operations)
    {
        final SplittableRandom random = new SplittableRandom(id);
        final long[] slots = new long[32];
        final long[] tags = new long[32];
        for (int i = 0; i < operations; i++)
        {
            final int s = random.nextInt(slots.length);
            if (slots[s] == 0)
            {
                final long p = pool.allocate(random.nextLong(8, 1024), 1L << random.nextInt(8), OBJECT);
                if (p != 0)
                {
                    slots[s] = p;
                    tags[s] = ((long)id << 56) | i;
                    memPutLong(p, tags[s]);
                }
                continue;
            }
            if (memGetLong(slots[s]) != tags[s])
            {
                throw new AssertionError("thread " + id + ": block 0x" + Long.toHexString(slots[s]) + " was overwritten");
            }
            if (random.nextBoolean())
            {
                pool.free(slots[s]);
                slots[s] = 0;
            }
        }
        for (final long p : slots)
        {
            pool.free(p);
        }
    }
}
