package dev.hostalloc.realtime;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedSpinLockTest
{
    @Test
    void tryLockGivesUpWhileHeldAndSucceedsOnceReleased() throws Exception
    {
        final BoundedSpinLock lock = new BoundedSpinLock();
        assertTrue(lock.tryLock(0));
        assertTrue(lock.isLocked());
        final AtomicBoolean other = new AtomicBoolean(true);
        final Thread t = new Thread(() -> other.set(lock.tryLock(1000)));
        t.start();
        t.join();
        assertFalse(other.get(), "a bounded attempt fails while the lock is held");
        lock.unlock();
        assertFalse(lock.isLocked());
        assertTrue(lock.tryLock());
        lock.unlock();
    }

    @Test
    void lockYieldingGivesMutualExclusion() throws Exception
    {
        final BoundedSpinLock lock = new BoundedSpinLock();
        final long[] counter = new long[1];
        final Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++)
        {
            threads[i] = new Thread(() ->
            {
                for (int n = 0; n < 100_000; n++)
                {
                    lock.lockYielding(10);
                    counter[0]++;
                    lock.unlock();
                }
            });
            threads[i].start();
        }
        for (final Thread t : threads)
        {
            t.join();
        }
        assertEquals(400_000, counter[0]);
    }

    @Test
    void realtimeThreadsAreRegisteredPerThread() throws Exception
    {
        assertFalse(RealtimeThreads.isCurrentRealtime());
        RealtimeThreads.registerCurrent();
        RealtimeThreads.registerCurrent();
        try
        {
            assertTrue(RealtimeThreads.isCurrentRealtime());
            final AtomicBoolean seenFromOther = new AtomicBoolean(true);
            final Thread t = new Thread(() -> seenFromOther.set(RealtimeThreads.isCurrentRealtime()));
            t.start();
            t.join();
            assertFalse(seenFromOther.get());
        }
        finally
        {
            RealtimeThreads.unregisterCurrent();
        }
        assertFalse(RealtimeThreads.isCurrentRealtime());
    }
}
