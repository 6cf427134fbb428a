package dev.hostalloc.guard;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QuarantineQueueTest
{
    @Test
    void firstInFirstOutWithinItsCapacity()
    {
        final QuarantineQueue queue = new QuarantineQueue(4);
        assertEquals(QuarantineQueue.NONE, queue.poll());
        for (long v = 1; v <= 4; v++)
        {
            assertTrue(queue.offer(v));
        }
        assertFalse(queue.offer(5));
        assertEquals(1, queue.poll());
        assertTrue(queue.offer(5));
        for (long v = 2; v <= 5; v++)
        {
            assertEquals(v, queue.poll());
        }
        assertEquals(QuarantineQueue.NONE, queue.poll());
    }

    @Test
    void concurrentProducersAndConsumersLoseAndDuplicateNothing() throws Exception
    {
        final int producers = 2;
        final int perProducer = 50_000;
        final QuarantineQueue queue = new QuarantineQueue(64);
        final ConcurrentHashMap<Long, Boolean> seen = new ConcurrentHashMap<>();
        final ExecutorService pool = Executors.newFixedThreadPool(4);
        final CountDownLatch start = new CountDownLatch(1);
        try
        {
            final List<Future<?>> tasks = new ArrayList<>();
            for (int p = 0; p < producers; p++)
            {
                final long base = (p + 1L) << 32;
                tasks.add(pool.submit(() ->
                {
                    start.await();
                    for (long i = 0; i < perProducer; i++)
                    {
                        while (!queue.offer(base + i))
                        {
                            Thread.yield(); // two cores: let a consumer run
                        }
                    }
                    return null;
                }));
            }
            for (int c = 0; c < 2; c++)
            {
                tasks.add(pool.submit(() ->
                {
                    start.await();
                    while (seen.size() < producers * perProducer)
                    {
                        final long v = queue.poll();
                        if (v != QuarantineQueue.NONE)
                        {
                            assertNull(seen.put(v, Boolean.TRUE), "taken twice: " + v);
                        }
                        else
                        {
                            Thread.yield();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (final Future<?> f : tasks)
            {
                f.get(2, TimeUnit.MINUTES);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        assertEquals(producers * perProducer, seen.size());
    }
}
