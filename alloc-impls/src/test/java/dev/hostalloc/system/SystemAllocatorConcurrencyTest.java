package dev.hostalloc.system;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.RecordingViolationHandler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.system.MemoryUtil.memGetByte;
import static org.lwjgl.system.MemoryUtil.memSet;

class SystemAllocatorConcurrencyTest
{
    private static final int THREADS = 8;
    private static final int OPERATIONS_PER_THREAD = 40_000;
    private static final int SLOTS_PER_THREAD = 32;
    private static final int MAX_SIZE = 8192;
    /** Bytes checked between the first and last: every STRIDE-th one (odd so it hits every offset mod 8). */
    private static final int STRIDE = 61;
    private static final long[] ALIGNMENTS = { 1, 2, 4, 8, 16, 32, 64, 256, 4096, 65536 };

    @Test
    void eightThreadsHammeringAllocateReallocateFreeKeepEveryBlockIntact() throws Exception
    {
        final RecordingViolationHandler handler = new RecordingViolationHandler(16);
        final SystemAllocator allocator = new SystemAllocator(handler);
        final CountDownLatch start = new CountDownLatch(1);
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try
        {
            final List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int threadId = t;
                results.add(pool.submit(() ->
                {
                    start.await();
                    return hammer(allocator, threadId);
                }));
            }
            start.countDown();
            long operations = 0;
            for (final Future<Long> result : results)
            {
                operations += result.get(5, TimeUnit.MINUTES);
            }
            assertEquals((long)THREADS * OPERATIONS_PER_THREAD, operations);
        }
        finally
        {
            pool.shutdownNow();
        }
        assertEquals(0, handler.totalCount(), handler.report());
    }

    private static long hammer(final SystemAllocator allocator, final int threadId)
    {
        final SplittableRandom random = new SplittableRandom(threadId * 7919L + 1);
        final long[] addresses = new long[SLOTS_PER_THREAD];
        final long[] sizes = new long[SLOTS_PER_THREAD];
        final long[] alignments = new long[SLOTS_PER_THREAD];
        final byte[] patterns = new byte[SLOTS_PER_THREAD];
        long operations = 0;
        for (int i = 0; i < OPERATIONS_PER_THREAD; i++)
        {
            final int slot = random.nextInt(SLOTS_PER_THREAD);
            final long p = addresses[slot];
            final byte pattern = (byte)(threadId * 37 + i);
            if (p == 0)
            {
                final long size = 1 + random.nextInt(MAX_SIZE);
                final long alignment = ALIGNMENTS[random.nextInt(ALIGNMENTS.length)];
                final long q = allocator.allocate(size, alignment, OBJECT);
                checkAligned(q, alignment);
                memSet(q, pattern, size);
                addresses[slot] = q;
                sizes[slot] = size;
                alignments[slot] = alignment;
                patterns[slot] = pattern;
            }
            else if (random.nextBoolean())
            {
                final long size = 1 + random.nextInt(MAX_SIZE);
                final long q = allocator.reallocate(p, size, alignments[slot], OBJECT);
                checkAligned(q, alignments[slot]);
                check(q, Math.min(size, sizes[slot]), patterns[slot]);
                memSet(q, pattern, size);
                addresses[slot] = q;
                sizes[slot] = size;
                patterns[slot] = pattern;
            }
            else
            {
                check(p, sizes[slot], patterns[slot]);
                allocator.free(p);
                addresses[slot] = 0;
            }
            operations++;
        }
        for (int slot = 0; slot < SLOTS_PER_THREAD; slot++)
        {
            if (addresses[slot] != 0)
            {
                check(addresses[slot], sizes[slot], patterns[slot]);
                allocator.free(addresses[slot]);
            }
        }
        return operations;
    }

    private static void checkAligned(final long address, final long alignment)
    {
        assertTrue(address != 0 && Alignment.isAligned(address, alignment),
            "0x" + Long.toHexString(address) + " for alignment " + alignment);
    }

    private static void check(final long address, final long size, final byte pattern)
    {
        for (long i = 0; i < size; i += STRIDE)
        {
            checkByte(address, i, size, pattern);
        }
        checkByte(address, size - 1, size, pattern);
    }

    private static void checkByte(final long address, final long offset, final long size, final byte pattern)
    {
        final byte actual = memGetByte(address + offset);
        if (actual != pattern)
        {
            throw new AssertionError("byte " + offset + " of " + size + " at 0x" + Long.toHexString(address) +
                ": expected " + pattern + ", got " + actual + " (another thread's block overlaps?)");
        }
    }
}
