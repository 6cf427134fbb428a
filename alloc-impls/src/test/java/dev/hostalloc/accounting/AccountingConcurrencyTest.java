package dev.hostalloc.accounting;

import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.system.SystemAllocator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eight threads allocate, reallocate and free through several accounts at once, handing a share of their
 * blocks to a neighbour to free; at quiescence every sum is exact.
 */
class AccountingConcurrencyTest
{
    private static final int THREADS = 8;
    private static final int OPERATIONS = 40_000;
    private static final SystemAllocationScope[] SCOPES = SystemAllocationScope.values();

    @Test
    void eightThreadsSumExactlyAtQuiescence() throws Exception
    {
        final RecordingViolationHandler violations = new RecordingViolationHandler(8);
        try (AccountingAllocator accounting = AccountingAllocator.builder(new SystemAllocator(violations))
            .name("mt").violationHandler(violations).exportToConfiguredCounters(false).onClose(r -> { }).build())
        {
            final Account[] accounts = {
                accounting.root(),
                accounting.root().child("a"),
                accounting.root().child("a/x"),
                accounting.root().child("b"),
            };
            final List<BlockingQueue<long[]>> handOver = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                handOver.add(new ArrayBlockingQueue<>(OPERATIONS));
            }
            final long[][] keptBytes = new long[THREADS][accounts.length];
            final long[][] keptBlocks = new long[THREADS][accounts.length];
            final long[] allocations = new long[THREADS];
            final List<List<Long>> kept = new ArrayList<>();
            final CyclicBarrier start = new CyclicBarrier(THREADS);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int self = t;
                final List<Long> mine = new ArrayList<>();
                kept.add(mine);
                threads.add(Thread.ofPlatform().name("acct-" + t).start(() ->
                {
                    try
                    {
                        final SplittableRandom random = new SplittableRandom(self);
                        start.await();
                        final List<long[]> live = new ArrayList<>(); // {address, size, accountIndex}
                        for (int i = 0; i < OPERATIONS; i++)
                        {
                            final int accountIndex = random.nextInt(accounts.length);
                            final long size = random.nextInt(512);
                            final long block = accounts[accountIndex].allocate(size, 16, SCOPES[random.nextInt(SCOPES.length)]);
                            assertNotEquals(0, block);
                            allocations[self]++;
                            live.add(new long[] { block, size, accountIndex });
                            final int choice = random.nextInt(4);
                            if (choice == 0 && !live.isEmpty())
                            {
                                final long[] victim = live.remove(random.nextInt(live.size()));
                                accounts[random.nextInt(accounts.length)].free(victim[0]); // any account of the tree
                            }
                            else if (choice == 1)
                            {
                                handOver.get((self + 1) % THREADS).add(live.remove(live.size() - 1));
                            }
                            else if (choice == 2 && !live.isEmpty())
                            {
                                final long[] moved = live.get(random.nextInt(live.size()));
                                final long newSize = random.nextInt(1024) + 1;
                                final long address = accounts[0].reallocate(moved[0], newSize, 16, SCOPES[random.nextInt(SCOPES.length)]);
                                assertNotEquals(0, address);
                                moved[0] = address;
                                moved[1] = newSize;
                            }
                            long[] foreign;
                            while (null != (foreign = handOver.get(self).poll()))
                            {
                                accounting.free(foreign[0]); // a block another thread allocated
                            }
                        }
                        // keep some blocks live so the sums are checked away from zero
                        for (final long[] block : live)
                        {
                            keptBytes[self][(int)block[2]] += block[1];
                            keptBlocks[self][(int)block[2]]++;
                            mine.add(block[0]);
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failure.compareAndSet(null, ex);
                    }
                }));
            }
            for (final Thread thread : threads)
            {
                thread.join(TimeUnit.MINUTES.toMillis(5));
            }
            assertNull(failure.get(), () -> "a thread failed: " + failure.get());
            // blocks handed over after their receiver finished
            for (final BlockingQueue<long[]> queue : handOver)
            {
                long[] block;
                while (null != (block = queue.poll()))
                {
                    accounting.free(block[0]);
                }
            }

            long totalAllocations = 0;
            for (final long n : allocations)
            {
                totalAllocations += n;
            }
            final AccountingSnapshot snapshot = accounting.snapshot();
            // Each account is charged for its own blocks and its descendants'.
            final int[][] chargedTo = { { 0 }, { 0, 1 }, { 0, 1, 2 }, { 0, 3 } };
            final long[] expectedBytes = new long[accounts.length];
            final long[] expectedBlocks = new long[accounts.length];
            for (int t = 0; t < THREADS; t++)
            {
                for (int a = 0; a < accounts.length; a++)
                {
                    for (final int ancestor : chargedTo[a])
                    {
                        expectedBytes[ancestor] += keptBytes[t][a];
                        expectedBlocks[ancestor] += keptBlocks[t][a];
                    }
                }
            }
            for (int a = 0; a < accounts.length; a++)
            {
                final String path = accounts[a].path();
                final AccountSnapshot figures = snapshot.account(path);
                assertEquals(expectedBytes[a], figures.currentBytes(), accounts[a].path());
                assertEquals(expectedBlocks[a], figures.liveBlocks(), accounts[a].path());
                assertEquals(figures.currentBytes(), accounting.leakReport().blocks().stream()
                    .filter(b -> b.account().equals(path) || b.account().startsWith(path + "/"))
                    .mapToLong(LeakReport.Block::size).sum(), "leak report agrees for " + accounts[a].path());
                assertTrue(figures.peakBytes() >= figures.currentBytes());
                assertEquals(accounts[a].currentBytes() + accounts[a].stockBytes(), accounts[a].chargedBytes(),
                    "charged = in use + reserves for " + accounts[a].path());
            }
            assertEquals(totalAllocations, snapshot.root().allocations());
            assertEquals(totalAllocations - snapshot.root().liveBlocks(), snapshot.root().frees());

            for (final List<Long> blocks : kept)
            {
                blocks.forEach(accounting::free);
            }
            final AccountingSnapshot after = accounting.snapshot();
            for (final AccountSnapshot figures : after.accounts())
            {
                assertEquals(0, figures.currentBytes(), figures.path());
                assertEquals(0, figures.liveBlocks(), figures.path());
                for (final ScopeFigures scope : figures.scopes())
                {
                    assertEquals(0, scope.currentBytes(), figures.path() + " " + scope.scope());
                }
            }
            assertTrue(accounting.leakReport().isEmpty());
            assertEquals(0, violations.totalCount(), violations.report());
        }
    }

    @Test
    void aSharedLimitNeverOvershootsUnderEightThreads() throws Exception
    {
        final long limit = 1 << 20;
        try (AccountingAllocator accounting = AccountingAllocator.builder(new SystemAllocator())
            .limit(limit).exportToConfiguredCounters(false).onClose(r -> { }).build())
        {
            final CyclicBarrier start = new CyclicBarrier(THREADS);
            final List<Thread> threads = new ArrayList<>();
            final long[] held = new long[THREADS];
            final long[] refused = new long[THREADS];
            final List<List<Long>> blocks = new ArrayList<>();
            for (int t = 0; t < THREADS; t++)
            {
                final int self = t;
                final List<Long> mine = new ArrayList<>();
                blocks.add(mine);
                threads.add(Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        start.await();
                    }
                    catch (final Exception ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                    for (int i = 0; i < 10_000; i++)
                    {
                        final long block = accounting.allocate(1000, 8, SystemAllocationScope.OBJECT);
                        if (block == 0)
                        {
                            refused[self]++;
                        }
                        else
                        {
                            held[self] += 1000;
                            mine.add(block);
                        }
                    }
                }));
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
            long total = 0;
            long refusals = 0;
            for (int t = 0; t < THREADS; t++)
            {
                total += held[t];
                refusals += refused[t];
            }
            assertTrue(total <= limit, "overshoot: " + total + " > " + limit);
            assertEquals(total, accounting.root().currentBytes());
            assertEquals(refusals, accounting.root().failures());
            // Threads' reserves are bounded, so nearly all of the budget was usable.
            assertTrue(total >= limit - THREADS * 2 * Math.min(Account.MAX_BATCH, limit / 64) - THREADS * 1000,
                "only " + total + " of " + limit + " usable");
            blocks.forEach(list -> list.forEach(accounting::free));
            assertEquals(0, accounting.root().currentBytes());
        }
    }
}
