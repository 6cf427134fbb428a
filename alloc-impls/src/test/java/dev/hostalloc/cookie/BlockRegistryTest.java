package dev.hostalloc.cookie;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockRegistryTest
{
    @Test
    void sizesTheTableAtTwiceTheEntriesRoundedToAPowerOfTwo()
    {
        assertEquals(2, new BlockRegistry(1, 0).capacity());
        assertEquals(8, new BlockRegistry(4, 0).capacity());
        assertEquals(16, new BlockRegistry(5, 0).capacity());
        assertEquals(1 << 19, new BlockRegistry(1 << 18, 2).capacity());
        assertThrows(IllegalArgumentException.class, () -> new BlockRegistry(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new BlockRegistry((1 << 29) + 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new BlockRegistry(4, 3));
    }

    @Test
    void insertFindReadValuesRemove()
    {
        final BlockRegistry registry = new BlockRegistry(4, 2);
        assertTrue(registry.tryReserve());
        final int index = registry.insert(0x7f00_1000L, 11, 22);
        assertEquals(index, registry.indexOf(0x7f00_1000L));
        assertEquals(11, registry.value0(index));
        assertEquals(22, registry.value1(index));
        assertTrue(registry.compareAndSetValue0(index, 11, 12));
        assertFalse(registry.compareAndSetValue0(index, 11, 13));
        assertEquals(12, registry.value0(index));
        assertEquals(BlockRegistry.NOT_FOUND, registry.indexOf(0x7f00_2000L));
        assertTrue(registry.remove(index, 0x7f00_1000L));
        assertFalse(registry.remove(index, 0x7f00_1000L), "only one removal wins");
        registry.unreserve();
        assertFalse(registry.contains(0x7f00_1000L));
        assertEquals(0, registry.reservedCount());
    }

    @Test
    void reservationsBoundTheEntries()
    {
        final BlockRegistry registry = new BlockRegistry(3, 0);
        for (int i = 0; i < 3; i++)
        {
            assertTrue(registry.tryReserve());
        }
        assertFalse(registry.tryReserve());
        registry.unreserve();
        assertTrue(registry.tryReserve());
    }

    @Test
    void nonPositiveKeysAreNeverFoundAndCannotBeInserted()
    {
        final BlockRegistry registry = new BlockRegistry(4, 0);
        assertEquals(BlockRegistry.NOT_FOUND, registry.indexOf(0));
        assertEquals(BlockRegistry.NOT_FOUND, registry.indexOf(BlockRegistry.TOMBSTONE));
        assertEquals(BlockRegistry.NOT_FOUND, registry.indexOf(BlockRegistry.RESERVED));
        assertThrows(IllegalArgumentException.class, () -> registry.insert(-5, 0, 0));
    }

    @Test
    void afterHeavyChurnAbsentKeysStillEndTheirProbe()
    {
        final BlockRegistry registry = new BlockRegistry(64, 0);
        final SplittableRandom random = new SplittableRandom(1);
        final long[] live = new long[64];
        for (int round = 0; round < 100_000; round++)
        {
            final int slot = random.nextInt(live.length);
            if (live[slot] != 0)
            {
                assertTrue(registry.remove(registry.indexOf(live[slot]), live[slot]));
                registry.unreserve();
                live[slot] = 0;
            }
            else
            {
                live[slot] = (random.nextLong(1L << 40) + 1) << 4;
                assertTrue(registry.tryReserve());
                registry.insert(live[slot], 0, 0);
            }
        }
        for (final long key : live)
        {
            assertEquals(key != 0, key != 0 && registry.contains(key));
        }
        assertEquals(BlockRegistry.NOT_FOUND, registry.indexOf(0x1234_5670L), "absent: one round at most");
    }

    @Test
    void concurrentOwnersAndRacingRemovals() throws Exception
    {
        final int threads = 4;
        final int keysPerThread = 1000;
        final BlockRegistry registry = new BlockRegistry(threads * keysPerThread, 1);
        final ExecutorService pool = Executors.newFixedThreadPool(threads);
        final CountDownLatch start = new CountDownLatch(1);
        try
        {
            final List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final long base = (t + 1L) << 32;
                done.add(pool.submit(() ->
                {
                    start.await();
                    final SplittableRandom random = new SplittableRandom(base);
                    final boolean[] present = new boolean[keysPerThread];
                    for (int i = 0; i < 200_000; i++)
                    {
                        final int k = random.nextInt(keysPerThread);
                        final long key = base + 16L * k;
                        if (present[k])
                        {
                            final int index = registry.indexOf(key);
                            assertNotEquals(BlockRegistry.NOT_FOUND, index);
                            assertEquals(key, registry.value0(index));
                            assertTrue(registry.remove(index, key));
                            registry.unreserve();
                        }
                        else
                        {
                            assertFalse(registry.contains(key));
                            assertTrue(registry.tryReserve());
                            registry.insert(key, key, 0);
                        }
                        present[k] = !present[k];
                    }
                    return null;
                }));
            }
            start.countDown();
            for (final Future<?> f : done)
            {
                f.get(2, TimeUnit.MINUTES);
            }

            // many threads removing one key: exactly one wins
            for (int round = 0; round < 200; round++)
            {
                final long key = 0x5000_0000L + 64L * round;
                assertTrue(registry.tryReserve());
                final int index = registry.insert(key, 0, 0);
                final AtomicInteger winners = new AtomicInteger();
                final CountDownLatch go = new CountDownLatch(1);
                final List<Future<?>> racers = new ArrayList<>();
                for (int t = 0; t < threads; t++)
                {
                    racers.add(pool.submit(() ->
                    {
                        go.await();
                        if (registry.remove(index, key))
                        {
                            winners.incrementAndGet();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (final Future<?> f : racers)
                {
                    f.get(1, TimeUnit.MINUTES);
                }
                assertEquals(1, winners.get());
                registry.unreserve();
            }
        }
        finally
        {
            pool.shutdownNow();
        }
    }
}
