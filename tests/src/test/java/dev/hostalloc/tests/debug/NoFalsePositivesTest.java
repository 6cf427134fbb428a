package dev.hostalloc.tests.debug;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.cookie.CookieAllocator;
import dev.hostalloc.cookie.CookieElement;
import dev.hostalloc.guard.GuardElement;
import dev.hostalloc.guard.GuardPageAllocator;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.stack.ElementArgs;
import dev.hostalloc.system.SystemAllocator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.lwjgl.system.MemoryUtil.memGetByte;
import static org.lwjgl.system.MemoryUtil.memGetLong;
import static org.lwjgl.system.MemoryUtil.memPutByte;
import static org.lwjgl.system.MemoryUtil.memPutLong;

/**
 * No false positives: 4 threads each make 10^7 random allocate / reallocate / free calls through
 * {@code cookies,system} (header mode), every block filled with a pattern from its own seed and checked
 * in full before it is reallocated (the kept prefix) or freed; nothing may be reported, no block may be
 * leaked, every delegate block must be given back. A smaller run does the same through
 * {@code cookies,guard} (strict mode over guard pages, 4 x 30,000 calls: each costs system calls). Both stacks are built by their spec elements,
 * with a counting layer under the cookies to prove that nothing leaks below them.
 */
class NoFalsePositivesTest
{
    private static final int THREADS = 4;
    private static final long[] ALIGNMENTS = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 4096, 65536 };
    private static final SystemAllocationScope[] SCOPES = SystemAllocationScope.values();
    private static final long PATTERN_MIX = 0x9E3779B97F4A7C15L;

    @Test
    void tenMillionCallsPerThreadThroughCookiesOverSystem() throws Exception
    {
        final RecordingViolationHandler handler = new RecordingViolationHandler(16);
        final Counting counting = new Counting(new SystemAllocator(handler));
        final CookieAllocator cookies = (CookieAllocator)CookieElement.factory()
            .create(ElementArgs.none("cookies"), counting, handler);
        final long millis = hammer(cookies, 10_000_000, 256, 2048);
        assertEquals(0, handler.totalCount(), handler.report());
        assertEquals(0, cookies.leakedBlocks());
        assertEquals(0, counting.live.get(), "blocks the cookies never gave back to libc");
        System.out.println("NoFalsePositivesTest cookies,system: " + THREADS + " x 10^7 calls in " + millis + " ms, " +
            counting.calls.get() + " delegate calls, 0 violations");
    }

    @Test
    void aSmallerRunThroughCookiesOverGuardPages() throws Exception
    {
        final RecordingViolationHandler handler = new RecordingViolationHandler(16);
        final GuardPageAllocator guard = (GuardPageAllocator)GuardElement.factory()
            .create(ElementArgs.none("guard"), null, handler);
        final Counting counting = new Counting(guard);
        // what "cookies,guard" picks (strict, no canary), spelled out: the counting layer hides the guard
        final CookieAllocator cookies = (CookieAllocator)CookieElement.factory()
            .create(ElementArgs.of("cookies", List.of("strict", "canary=0")), counting, handler);
        assertEquals(((CookieAllocator)Allocators.fromSpec("cookies,guard")).options(), cookies.options());
        final long millis = hammer(cookies, 30_000, 32, 256);
        assertEquals(0, handler.totalCount(), handler.report());
        assertEquals(0, cookies.leakedBlocks());
        assertEquals(0, counting.live.get());
        assertEquals(0, guard.liveBlocks());
        guard.drainQuarantine();
        System.out.println("NoFalsePositivesTest cookies,guard: " + THREADS + " x 30000 calls in " + millis + " ms, 0 violations");
    }

    /** Runs the threads; returns the wall time in milliseconds. */
    private static long hammer(final AllocationCallbacks allocator, final int calls, final int slots, final int typicalSize)
        throws Exception
    {
        final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        final CountDownLatch start = new CountDownLatch(1);
        final long began = System.nanoTime();
        try
        {
            final List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final long seed = 0xC0FFEE + t;
                done.add(pool.submit(() ->
                {
                    start.await();
                    new Worker(allocator, new SplittableRandom(seed), slots, typicalSize).run(calls);
                    return null;
                }));
            }
            start.countDown();
            for (final Future<?> f : done)
            {
                f.get(10, TimeUnit.MINUTES);
            }
        }
        finally
        {
            pool.shutdownNow();
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    }

    /** One thread's random calls over its own slots. */
    private static final class Worker
    {
        private final AllocationCallbacks allocator;
        private final SplittableRandom random;
        private final int typicalSize;
        private final long[] addresses;
        private final long[] sizes;
        private final int[] alignments;
        private final long[] seeds;

        Worker(final AllocationCallbacks allocator, final SplittableRandom random, final int slots, final int typicalSize)
        {
            this.allocator = allocator;
            this.random = random;
            this.typicalSize = typicalSize;
            addresses = new long[slots];
            sizes = new long[slots];
            alignments = new int[slots];
            seeds = new long[slots];
        }

        void run(final int calls)
        {
            for (int i = 0; i < calls; i++)
            {
                final int slot = random.nextInt(addresses.length);
                final long address = addresses[slot];
                if (address == 0)
                {
                    final int alignmentIndex = randomAlignmentIndex();
                    final long size = randomSize();
                    final long block = (i & 1) == 0 ?
                        allocator.allocate(size, ALIGNMENTS[alignmentIndex], scope(i)) :
                        allocator.reallocate(0, size, ALIGNMENTS[alignmentIndex], scope(i));
                    if (size != 0 || (i & 1) == 0)
                    {
                        assertNotEquals(0, block, "allocate " + size);
                        assertEquals(0, block % ALIGNMENTS[alignmentIndex]);
                        fill(slot, block, size, alignmentIndex);
                    }
                    continue;
                }
                check(slot, sizes[slot]);
                final int choice = random.nextInt(3);
                if (choice == 0)
                {
                    allocator.free(address);
                    addresses[slot] = 0;
                }
                else if (choice == 1 && random.nextInt(8) == 0)
                {
                    assertEquals(0, allocator.reallocate(address, 0, ALIGNMENTS[alignments[slot]], scope(i)));
                    addresses[slot] = 0;
                }
                else
                {
                    final long size = randomSize();
                    final long moved = allocator.reallocate(address, size, ALIGNMENTS[alignments[slot]], scope(i));
                    if (size == 0)
                    {
                        assertEquals(0, moved);
                        addresses[slot] = 0;
                        continue;
                    }
                    assertNotEquals(0, moved, "reallocate " + size);
                    assertEquals(0, moved % ALIGNMENTS[alignments[slot]]);
                    addresses[slot] = moved;
                    check(slot, Math.min(size, sizes[slot]));
                    fill(slot, moved, size, alignments[slot]);
                }
            }
            for (int slot = 0; slot < addresses.length; slot++)
            {
                if (addresses[slot] != 0)
                {
                    check(slot, sizes[slot]);
                    allocator.free(addresses[slot]);
                    addresses[slot] = 0;
                }
            }
        }

        private long randomSize()
        {
            final int bucket = random.nextInt(100);
            if (bucket < 2)
            {
                return 0;
            }
            if (bucket < 80)
            {
                return random.nextInt(typicalSize / 8);
            }
            if (bucket < 99)
            {
                return random.nextInt(typicalSize);
            }
            return random.nextInt(typicalSize * 32);
        }

        private int randomAlignmentIndex()
        {
            // mostly small alignments, as drivers ask; sometimes up to 64 KiB
            return random.nextInt(16) == 0 ? random.nextInt(ALIGNMENTS.length) : random.nextInt(5);
        }

        private static SystemAllocationScope scope(final int i)
        {
            return SCOPES[i % SCOPES.length];
        }

        private void fill(final int slot, final long block, final long size, final int alignmentIndex)
        {
            final long seed = random.nextLong();
            addresses[slot] = block;
            sizes[slot] = size;
            alignments[slot] = alignmentIndex;
            seeds[slot] = seed;
            long at = 0;
            for (; at + Long.BYTES <= size; at += Long.BYTES)
            {
                memPutLong(block + at, word(seed, at));
            }
            for (; at < size; at++)
            {
                memPutByte(block + at, byteOf(seed, at));
            }
        }

        /** Checks the first {@code length} bytes of a slot's block against its pattern. */
        private void check(final int slot, final long length)
        {
            final long block = addresses[slot];
            final long seed = seeds[slot];
            long at = 0;
            for (; at + Long.BYTES <= length; at += Long.BYTES)
            {
                if (memGetLong(block + at) != word(seed, at))
                {
                    throw new AssertionError("content of 0x" + Long.toHexString(block) + " changed at " + at);
                }
            }
            for (; at < length; at++)
            {
                if (memGetByte(block + at) != byteOf(seed, at))
                {
                    throw new AssertionError("content of 0x" + Long.toHexString(block) + " changed at byte " + at);
                }
            }
        }

        /** The pattern word at a word-aligned offset. */
        private static long word(final long seed, final long offset)
        {
            return seed + (offset >>> 3) * PATTERN_MIX;
        }

        /** The pattern byte at any offset: that byte of its word, little-endian as memPutLong stores it. */
        private static byte byteOf(final long seed, final long offset)
        {
            return (byte)(word(seed, offset & -Long.BYTES) >>> (8 * (offset & 7)));
        }
    }

    /** Counts the delegate's live blocks, to prove the layer above gives every one back. */
    private static final class Counting implements AllocationCallbacks
    {
        final AllocationCallbacks delegate;
        final AtomicLong live = new AtomicLong();
        final AtomicLong calls = new AtomicLong();

        Counting(final AllocationCallbacks delegate)
        {
            this.delegate = delegate;
        }

        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            calls.incrementAndGet();
            final long block = delegate.allocate(size, alignment, scope);
            if (block != 0)
            {
                live.incrementAndGet();
            }
            return block;
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            calls.incrementAndGet();
            final long block = delegate.reallocate(original, size, alignment, scope);
            if (original == 0 && block != 0)
            {
                live.incrementAndGet();
            }
            else if (original != 0 && size == 0)
            {
                live.decrementAndGet();
            }
            return block;
        }

        @Override
        public void free(final long memory)
        {
            calls.incrementAndGet();
            if (memory != 0)
            {
                live.decrementAndGet();
            }
            delegate.free(memory);
        }

        @Override
        public AllocatorTraits traits()
        {
            return delegate.traits();
        }
    }
}
