package dev.hostalloc.conformance;

import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.SystemAllocationScope;

import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import static dev.hostalloc.conformance.CheckContext.allocateCall;
import static dev.hostalloc.conformance.CheckContext.expectPattern;
import static dev.hostalloc.conformance.CheckContext.fill;
import static dev.hostalloc.conformance.CheckContext.hex;
import static dev.hostalloc.conformance.CheckContext.reallocateCall;
import static dev.hostalloc.conformance.CheckContext.scope;

/**
 * Concurrent use from {@link ConformanceSuite#CONCURRENT_THREADS} threads: each allocates, writes,
 * verifies, reallocates and frees blocks of mixed sizes and alignments, and hands some blocks to
 * its neighbour thread to verify and free (Vulkan objects are often destroyed on another thread
 * than the one that created them). Any block holding another's bytes, any failure to free, any
 * hang is a failure. The workload runs once straight on the allocator and once through the
 * recorder (whose lock serializes calls) so the CTS replay also covers it.
 */
final class ConcurrencyCheck
{
    private static final int OPERATIONS_PER_THREAD = 2000;
    private static final int SLOTS_PER_THREAD = 16;
    private static final long RANDOM_SEED = 0xC0_C0A1_10CL;
    private static final long HANG_TIMEOUT_SECONDS = 120;
    private static final int PERCENT = 100;
    private static final int SMALL_PERCENT = 60;
    private static final int MEDIUM_PERCENT = 90;
    private static final long SMALL_MAX = 256;
    private static final long MEDIUM_MAX = 8192;
    private static final int LARGE_ALIGNMENT_PERCENT = 2;
    private static final int MAX_SMALL_ALIGNMENT_SHIFT = 12;
    private static final int FREE_BELOW = 35;
    private static final int REALLOCATE_BELOW = 75;
    private static final int HAND_OFF_BELOW = 90;
    private static final int THREAD_SEED_SHIFT = 40;
    private static final int OPERATION_SEED_SHIFT = 8;

    private ConcurrencyCheck()
    {
    }

    /** One block in flight: owned by one thread at a time. */
    private record Block(long address, long size, long alignment, long seed, SystemAllocationScope scope)
    {
    }

    static void concurrentUse(final CheckContext c)
    {
        final AllocatorTraits traits = c.traits();
        if (!traits.threadSafe())
        {
            throw new ConformanceSkipped("traits().threadSafe() is false: the allocator declares that its callers " +
                "lock around it, so the kit does not call it from several threads at once");
        }
        // The recorder's lock serializes every call, so the workload runs twice: first straight on the
        // allocator (real contention; block contents prove no two threads got the same memory), then
        // through the recorder (the CTS replay proves every cross-thread hand-off and free balanced).
        runWorkload(c.unrecorded(), "straight on the allocator");
        runWorkload(c, "through the recorder");
    }

    private static void runWorkload(final CheckContext c, final String pass)
    {
        final int threads = ConformanceSuite.CONCURRENT_THREADS;
        final CyclicBarrier barrier = new CyclicBarrier(threads);
        final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        @SuppressWarnings("unchecked")
        final ConcurrentLinkedQueue<Block>[] inboxes = new ConcurrentLinkedQueue[threads];
        for (int t = 0; t < threads; t++)
        {
            inboxes[t] = new ConcurrentLinkedQueue<>();
        }
        final Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            final int index = t;
            workers[t] = Thread.ofPlatform().daemon().name("hostalloc-conformance-" + t).unstarted(() ->
            {
                try
                {
                    new Worker(c, index, inboxes[index], inboxes[(index + 1) % threads], barrier, firstFailure).run();
                }
                catch (final TimeoutException ex)
                {
                    firstFailure.compareAndSet(null, new ConformanceFailure("thread " + index + " waited " +
                        HANG_TIMEOUT_SECONDS + " s for the others: one is stuck in an allocator call although " +
                        "traits().threadSafe() is true", ex));
                    barrier.reset();
                }
                catch (final Throwable ex)
                {
                    firstFailure.compareAndSet(null, ex);
                    barrier.reset();   // a thread that cannot arrive (interrupted) frees the others
                }
            });
        }
        for (final Thread worker : workers)
        {
            worker.start();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_TIMEOUT_SECONDS);
        for (final Thread worker : workers)
        {
            joinUntil(worker, deadline, pass);
        }
        final Throwable failure = firstFailure.get();
        if (failure instanceof ConformanceFailure conformanceFailure)
        {
            throw new ConformanceFailure(pass + ": " + conformanceFailure.getMessage(), conformanceFailure);
        }
        if (null != failure)
        {
            throw new ConformanceFailure(pass + ": a worker thread failed with " + failure, failure);
        }
    }

    private static void joinUntil(final Thread worker, final long deadline, final String pass)
    {
        try
        {
            final long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMillis <= 0 || !worker.join(java.time.Duration.ofMillis(remainingMillis)))
            {
                throw new ConformanceFailure(pass + ": " + worker.getName() + " did not finish its " + OPERATIONS_PER_THREAD +
                    " operations within " + HANG_TIMEOUT_SECONDS + " s: the allocator deadlocks or livelocks " +
                    "under concurrent use although traits().threadSafe() is true");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new ConformanceFailure("interrupted while waiting for " + worker.getName(), ex);
        }
    }

    /** One thread's share of the work. */
    private static final class Worker
    {
        private final CheckContext c;
        private final int thread;
        private final ConcurrentLinkedQueue<Block> inbox;
        private final ConcurrentLinkedQueue<Block> neighbour;
        private final CyclicBarrier barrier;
        private final AtomicReference<Throwable> firstFailure;
        private final SplittableRandom random;
        private final Block[] slots = new Block[SLOTS_PER_THREAD];
        private long nextSeed;

        Worker(
            final CheckContext c,
            final int thread,
            final ConcurrentLinkedQueue<Block> inbox,
            final ConcurrentLinkedQueue<Block> neighbour,
            final CyclicBarrier barrier,
            final AtomicReference<Throwable> firstFailure)
        {
            this.c = c;
            this.thread = thread;
            this.inbox = inbox;
            this.neighbour = neighbour;
            this.barrier = barrier;
            this.firstFailure = firstFailure;
            this.random = new SplittableRandom(RANDOM_SEED + thread);
            this.nextSeed = (long)thread << THREAD_SEED_SHIFT;
        }

        void run() throws InterruptedException, BrokenBarrierException, TimeoutException
        {
            await();
            try
            {
                work();
            }
            catch (final RuntimeException | Error ex)
            {
                firstFailure.compareAndSet(null, ex);
            }
            // Every thread arrives here exactly once, failed or not, so no one waits for a thread
            // that gave up; only an allocator call that never returns keeps the barrier closed.
            await();
            if (null == firstFailure.get())
            {
                drainAndFreeAll();
            }
        }

        private void work()
        {
            for (int op = 0; op < OPERATIONS_PER_THREAD && null == firstFailure.get(); op++)
            {
                nextSeed = ((long)thread << THREAD_SEED_SHIFT) | ((long)op << OPERATION_SEED_SHIFT);
                drainOne();
                final int s = random.nextInt(SLOTS_PER_THREAD);
                final Block block = slots[s];
                if (null == block)
                {
                    slots[s] = allocate();
                    continue;
                }
                verify(block, "before its owner touched it again");
                final int choice = random.nextInt(PERCENT);
                if (choice < FREE_BELOW)
                {
                    c.free(block.address());
                    slots[s] = null;
                }
                else if (choice < REALLOCATE_BELOW)
                {
                    slots[s] = reallocate(block);
                }
                else if (choice < HAND_OFF_BELOW)
                {
                    neighbour.add(block);
                    slots[s] = null;
                }
            }
        }

        // Everyone has stopped handing off: free what arrived, then what is left.
        private void drainAndFreeAll()
        {
            Block received;
            while (null != (received = inbox.poll()))
            {
                verifyAndFree(received, "after it was handed to another thread");
            }
            for (int s = 0; s < SLOTS_PER_THREAD; s++)
            {
                if (null != slots[s])
                {
                    verifyAndFree(slots[s], "at the end of the run");
                    slots[s] = null;
                }
            }
        }

        private void await() throws InterruptedException, BrokenBarrierException, TimeoutException
        {
            barrier.await(HANG_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        private void drainOne()
        {
            final Block received = inbox.poll();
            if (null != received)
            {
                verifyAndFree(received, "after it was handed to another thread");
            }
        }

        private Block allocate()
        {
            final long size = randomSize();
            final long alignment = random.nextInt(PERCENT) < LARGE_ALIGNMENT_PERCENT ?
                ConformanceSuite.MAX_ALIGNMENT_CHECKED : 1L << random.nextInt(MAX_SMALL_ALIGNMENT_SHIFT + 1);
            final SystemAllocationScope scope = scope(random.nextInt(SystemAllocationScope.COUNT));
            final long address = c.allocate(size, alignment, scope);
            final long seed = nextSeed++;
            fill(address, size, seed);
            final Block block = new Block(address, size, alignment, seed, scope);
            verify(block, "right after it was written");
            return block;
        }

        private Block reallocate(final Block block)
        {
            final long newSize = randomSize();
            final long address = c.reallocate(block.address(), newSize, block.alignment(), block.scope());
            final long kept = Math.min(block.size(), newSize);
            expectPattern("on thread " + thread + ", " + reallocateCall(block.address(), newSize, block.alignment(),
                block.scope()) + " returned " + hex(address) + "; the spec keeps bytes [0, " + kept + ") and no other " +
                "thread may write them", address, kept, block.seed());
            final long seed = nextSeed++;
            fill(address, newSize, seed);
            return new Block(address, newSize, block.alignment(), seed, block.scope());
        }

        private void verify(final Block block, final String when)
        {
            expectPattern("on thread " + thread + ", the block from " + allocateCall(block.size(), block.alignment(),
                block.scope()) + " at " + hex(block.address()) + " must hold its own bytes " + when + " (another " +
                "thread's block shares its memory: the allocator is not safe for concurrent use)",
                block.address(), block.size(), block.seed());
        }

        private void verifyAndFree(final Block block, final String when)
        {
            verify(block, when);
            c.free(block.address());
        }

        private long randomSize()
        {
            final int kind = random.nextInt(PERCENT);
            if (kind < SMALL_PERCENT)
            {
                return random.nextLong(1, SMALL_MAX + 1);
            }
            if (kind < MEDIUM_PERCENT)
            {
                return random.nextLong(SMALL_MAX + 1, MEDIUM_MAX + 1);
            }
            return random.nextLong(MEDIUM_MAX + 1, ConformanceSuite.MAX_ALIGNMENT_CHECKED + 1);
        }
    }
}
