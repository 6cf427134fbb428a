package dev.hostalloc.accounting;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.RecordingAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.hostalloc.api.SystemAllocationScope.COMMAND;
import static dev.hostalloc.api.SystemAllocationScope.DEVICE;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.system.MemoryUtil.memGetByte;
import static org.lwjgl.system.MemoryUtil.memPutByte;
import static org.lwjgl.system.MemoryUtil.memSet;

class AccountingAllocatorTest
{
    private final RecordingViolationHandler violations = new RecordingViolationHandler(16);
    private final RecordingAllocator pool = new RecordingAllocator(new SystemAllocator(violations));
    private final List<LeakReport> closeReports = new ArrayList<>();
    private final AccountingAllocator accounting = AccountingAllocator.builder(pool)
        .name("test")
        .violationHandler(violations)
        .onClose(closeReports::add)
        .exportToConfiguredCounters(false)
        .build();

    @AfterEach
    void close()
    {
        accounting.close();
    }

    @Test
    void allocateAndFreeAreCountedPerScopeAndInTheHistogram()
    {
        final long a = accounting.allocate(100, 8, OBJECT);
        final long b = accounting.allocate(3000, 64, DEVICE);
        final long c = accounting.allocate(0, 16, COMMAND);
        assertNotEquals(0, a);
        assertNotEquals(0, b);
        assertNotEquals(0, c);
        assertEquals(0, b % 64, "alignment kept");
        assertEquals(0, c % 16, "alignment kept");
        memSet(a, 0x5A, 100);
        memSet(b, 0x5B, 3000);

        AccountSnapshot root = accounting.root().snapshot();
        assertEquals(3100, root.currentBytes());
        assertEquals(3, root.liveBlocks());
        assertEquals(3, root.allocations());
        assertEquals(100, root.scope(OBJECT).currentBytes());
        assertEquals(3000, root.scope(DEVICE).currentBytes());
        assertEquals(1, root.scope(COMMAND).liveBlocks());
        assertEquals(List.of(new HistogramBucket(0, 0, 1), new HistogramBucket(64, 127, 1),
            new HistogramBucket(2048, 4095, 1)), root.histogram());

        accounting.free(a);
        accounting.free(b);
        accounting.free(c);
        accounting.free(0);
        root = accounting.root().snapshot();
        assertEquals(0, root.currentBytes());
        assertEquals(0, root.liveBlocks());
        assertEquals(3, root.allocations());
        assertEquals(3, root.frees());
        assertEquals(3100, root.peakBytes());
        assertEquals(3000, root.scope(DEVICE).peakBytes());
        assertTrue(pool.validate().check(0).passed(), pool.validate().check(0).text());
        assertEquals(0, violations.totalCount(), violations.report());
    }

    @Test
    void peakIsExactOnOneThread()
    {
        final long a = accounting.allocate(100, 8, OBJECT);
        final long b = accounting.allocate(200, 8, OBJECT);
        accounting.free(a);
        final long c = accounting.allocate(50, 8, COMMAND);
        final AccountSnapshot root = accounting.root().snapshot();
        assertEquals(250, root.currentBytes());
        assertEquals(300, root.peakBytes());
        assertEquals(300, root.scope(OBJECT).peakBytes());
        assertEquals(50, root.scope(COMMAND).peakBytes());
        accounting.free(b);
        accounting.free(c);
    }

    @Test
    void childrenChargeEveryAncestor()
    {
        final Account textures = accounting.root().child("renderer/textures", 1 << 20);
        final Account renderer = accounting.find("test/renderer").orElseThrow();
        assertEquals("test/renderer/textures", textures.path());
        assertEquals("textures", textures.name());
        assertEquals(2, textures.depth());
        assertSame(renderer, textures.parent().orElseThrow());
        assertEquals(Account.UNLIMITED, renderer.limit());
        assertSame(textures, accounting.root().child("renderer/textures", 1 << 20), "existing account returned");
        assertSame(textures, renderer.child("textures"));
        assertEquals(List.of(accounting.root(), renderer, textures), accounting.accounts());

        final long block = textures.allocate(4096, 16, OBJECT);
        assertEquals(4096, textures.currentBytes());
        assertEquals(4096, renderer.currentBytes());
        assertEquals(4096, accounting.root().currentBytes());
        accounting.free(block); // freed through another account of the tree: charged back where it came from
        assertEquals(0, textures.currentBytes());
        assertEquals(0, accounting.root().currentBytes());
        assertEquals(1, textures.snapshot().frees());
    }

    @Test
    void invalidPathsAndConflictingLimitsAreRefused()
    {
        final Account root = accounting.root();
        assertThrows(IllegalArgumentException.class, () -> root.child(""));
        assertThrows(IllegalArgumentException.class, () -> root.child("a//b"));
        assertThrows(IllegalArgumentException.class, () -> root.child("a b"));
        assertThrows(IllegalArgumentException.class, () -> root.child("-a"));
        assertThrows(IllegalArgumentException.class, () -> root.child("a", -1));
        root.child("a", 100);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> root.child("a", 200));
        assertTrue(ex.getMessage().contains("test/a") && ex.getMessage().contains("100"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> root.child("a", 100, new SystemAllocator()),
            "an existing account cannot get a pool of its own");
        assertThrows(IllegalArgumentException.class, () -> AccountingAllocator.builder(pool).name("x/y"));
    }

    @Test
    void aLimitRefusesWithZeroAndCountsOnTheAccountWhoseLimitWasHit()
    {
        final Account root = accounting.root();
        root.setLimit(10_000);
        final Account audio = root.child("audio", 1_000);
        final long a = audio.allocate(600, 8, OBJECT);
        assertNotEquals(0, a);
        final int poolCalls = pool.recordCount();
        assertEquals(0, audio.allocate(401, 8, OBJECT), "over the child's limit");
        assertEquals(poolCalls, pool.recordCount(), "a refused request never reaches the pool");
        assertEquals(1, audio.failures());
        assertEquals(0, root.failures());
        final long b = audio.allocate(400, 8, OBJECT); // exactly up to the limit
        assertNotEquals(0, b);

        final long big = root.allocate(9_001, 8, OBJECT);
        assertEquals(0, big, "root at 1000 + 9001 > 10000");
        assertEquals(1, root.failures());
        accounting.free(a);
        accounting.free(b);
        assertEquals(0, root.currentBytes());
        final AccountSnapshot figures = audio.snapshot();
        assertEquals(1, figures.failures());
        assertEquals(1000, figures.peakBytes());
        assertEquals(2, figures.allocations(), "refused requests are not allocations");
    }

    @Test
    void aParentLimitRefusesAChildRequestAndUndoesTheChildCharge()
    {
        final Account root = accounting.root();
        root.setLimit(1_000);
        final Account child = root.child("child", 5_000);
        assertEquals(0, child.allocate(1_001, 8, OBJECT));
        assertEquals(1, root.failures());
        assertEquals(0, child.failures());
        final long block = child.allocate(1_000, 8, OBJECT);
        assertNotEquals(0, block, "nothing stayed reserved from the refused request");
        child.free(block);
        assertEquals(1_000, child.traits().capacityBytes(), "capacity is the smallest limit up the chain");
    }

    @Test
    void oneThreadGetsExactlyItsBudget()
    {
        final long limit = 100_003;
        accounting.root().setLimit(limit);
        final List<Long> blocks = new ArrayList<>();
        long used = 0;
        long size = 1;
        while (true)
        {
            final long block = accounting.allocate(size, 8, OBJECT);
            if (block == 0)
            {
                assertTrue(used + size > limit, "refused with " + used + " used and " + size + " asked of " + limit);
                if (size == 1)
                {
                    break;
                }
                size = 1; // fill the rest byte by byte
                continue;
            }
            blocks.add(block);
            used += size;
            size = Math.min(size * 2, 4096);
        }
        assertEquals(limit, used, "the budget is usable to the last byte");
        assertEquals(limit, accounting.root().currentBytes());
        blocks.forEach(accounting::free);
        assertEquals(0, accounting.root().currentBytes());
    }

    @Test
    void lowerAndRaiseALimitAtRunTime()
    {
        final Account account = accounting.root().child("component", 1_000);
        final long a = account.allocate(800, 8, OBJECT);
        account.setLimit(500);
        assertEquals(0, account.allocate(1, 8, OBJECT), "over the lowered limit");
        account.free(a);
        final long b = account.allocate(500, 8, OBJECT);
        assertNotEquals(0, b);
        account.setLimit(Account.UNLIMITED);
        final long c = account.allocate(1 << 20, 8, OBJECT);
        assertNotEquals(0, c);
        account.free(b);
        account.free(c);
    }

    @Test
    void siblingsShareOnePoolOrEachOwnOne()
    {
        // Shared pool: both plugins allocate from the root's delegate.
        final Account sharedA = accounting.root().child("shared/pluginA", 4096);
        final Account sharedB = accounting.root().child("shared/pluginB", 4096);
        assertSame(pool, sharedA.pool());
        assertSame(pool, sharedB.pool());
        assertFalse(sharedA.ownsPool());
        final int before = pool.recordCount();
        final long x = sharedA.allocate(100, 8, OBJECT);
        final long y = sharedB.allocate(100, 8, OBJECT);
        assertEquals(before + 2, pool.recordCount(), "both went to the shared pool");

        // Separate pools: each plugin has a pool of its own; the budgets still roll up to the root.
        final RecordingAllocator poolA = new RecordingAllocator(new SystemAllocator(violations));
        final RecordingAllocator poolB = new RecordingAllocator(new SystemAllocator(violations));
        final Account separateA = accounting.root().child("separate/pluginA", 4096, poolA);
        final Account separateB = accounting.root().child("separate/pluginB", 4096, poolB);
        assertTrue(separateA.ownsPool());
        final long p = separateA.allocate(300, 8, OBJECT);
        final long q = separateB.allocate(500, 8, OBJECT);
        assertEquals(1, poolA.recordCount());
        assertEquals(1, poolB.recordCount());
        assertEquals(before + 2, pool.recordCount(), "the shared pool saw none of it");
        assertEquals(1000, accounting.root().currentBytes());
        assertEquals(800, accounting.find("test/separate").orElseThrow().currentBytes());

        accounting.free(q); // through the root: still back to pool B
        assertEquals(2, poolB.recordCount());
        assertTrue(poolB.validate().check(0).passed(), poolB.validate().check(0).text());
        separateA.free(p);
        sharedB.free(x); // a sibling frees a shared-pool block: fine, same pool
        sharedA.free(y);
        assertTrue(poolA.validate().check(0).passed(), poolA.validate().check(0).text());
        assertEquals(0, accounting.root().currentBytes());
        assertEquals(0, sharedA.currentBytes());
    }

    @Test
    void reallocateKeepsContentsAndMovesTheCharge()
    {
        final Account account = accounting.root().child("r", 10_000);
        long block = account.reallocate(0, 100, 32, OBJECT);
        assertNotEquals(0, block);
        for (int i = 0; i < 100; i++)
        {
            memPutByte(block + i, (byte)i);
        }
        block = account.reallocate(block, 5_000, 32, DEVICE);
        assertNotEquals(0, block);
        assertEquals(0, block % 32);
        for (int i = 0; i < 100; i++)
        {
            assertEquals((byte)i, memGetByte(block + i));
        }
        AccountSnapshot figures = account.snapshot();
        assertEquals(5_000, figures.currentBytes());
        assertEquals(0, figures.scope(OBJECT).currentBytes());
        assertEquals(5_000, figures.scope(DEVICE).currentBytes());
        assertEquals(1, figures.liveBlocks());
        assertEquals(1, figures.reallocations());

        final long refused = account.reallocate(block, 10_001, 32, DEVICE);
        assertEquals(0, refused);
        assertEquals(1, account.failures());
        for (int i = 0; i < 100; i++)
        {
            assertEquals((byte)i, memGetByte(block + i), "a refused growth leaves the block untouched");
        }
        block = account.reallocate(block, 10, 32, DEVICE);
        figures = account.snapshot();
        assertEquals(10, figures.currentBytes());
        assertEquals(5_000, figures.peakBytes());
        assertEquals(0, account.reallocate(block, 0, 32, DEVICE), "size 0 frees");
        assertEquals(0, account.currentBytes());
        assertEquals(0, account.liveBlocks());
        assertTrue(pool.validate().check(0).passed(), pool.validate().check(0).text());
        assertEquals(0, violations.totalCount(), violations.report());
    }

    @Test
    void misuseIsReportedAndNotPassedOn()
    {
        final long foreignBlock = pool.allocate(64, 16, OBJECT);
        final long foreign = foreignBlock + 16; // readable bytes in front, holding a header that matches nothing
        memSet(foreignBlock, 0, 16);
        final int calls = pool.recordCount();
        accounting.free(foreign);
        assertEquals(1, violations.count(Violation.FREE_NOT_ALLOCATED_PTR));
        assertEquals(0, accounting.reallocate(foreign, 128, 16, OBJECT));
        assertEquals(1, violations.count(Violation.REALLOC_NOT_ALLOCATED_PTR));
        assertEquals(calls, pool.recordCount(), "nothing reached the pool");
        pool.free(foreignBlock);

        final long block = accounting.allocate(64, 16, OBJECT);
        accounting.free(block);
        accounting.free(block);
        assertEquals(2, violations.count(Violation.FREE_NOT_ALLOCATED_PTR), "double free caught by the table");

        final long kept = accounting.allocate(64, 16, OBJECT);
        assertEquals(0, accounting.reallocate(kept, 128, 32, OBJECT));
        assertEquals(1, violations.count(Violation.REALLOC_DIFFERENT_ALIGNMENT));
        assertEquals(0, accounting.allocate(64, 3, OBJECT));
        assertEquals(0, accounting.allocate(64, 1L << 31, OBJECT));
        assertEquals(2, violations.count(Violation.INVALID_ALIGNMENT));
        assertEquals(0, accounting.allocate(-1, 8, OBJECT));
        assertEquals(1, violations.count(Violation.INVALID_SIZE));
        assertEquals(0, accounting.allocate(64, 8, null));
        assertEquals(1, violations.count(Violation.INVALID_ALLOCATION_SCOPE));
        assertEquals(64, accounting.root().currentBytes());
        accounting.free(kept);
        assertEquals(0, accounting.root().currentBytes());
        assertTrue(pool.validate().check(0).passed(), pool.validate().check(0).text());
    }

    @Test
    void poolFailuresAreCountedAndUncharged()
    {
        final Account account = accounting.root().child("huge", Account.UNLIMITED);
        assertEquals(0, account.allocate(1L << 50, 8, OBJECT), "libc cannot give a PiB");
        assertEquals(1, account.poolFailures());
        assertEquals(0, account.failures());
        assertEquals(0, account.currentBytes());
        assertEquals(0, accounting.root().chargedBytes() - reserves(accounting.root()), "nothing stays charged");
    }

    @Test
    void internalNotificationsAreCountedAndPassedOn()
    {
        accounting.internalAllocationNotification(4096, InternalAllocationType.EXECUTABLE, DEVICE);
        assertEquals(4096, accounting.root().snapshot().internalBytes());
        accounting.internalFreeNotification(4096, InternalAllocationType.EXECUTABLE, DEVICE);
        assertEquals(0, accounting.root().snapshot().internalBytes());
        assertEquals(2, pool.recordCount());
    }

    @Test
    void chargedEqualsInUsePlusReservesAtQuiescence()
    {
        final Account account = accounting.root().child("c", 1 << 20);
        final List<Long> blocks = new ArrayList<>();
        for (int i = 0; i < 1000; i++)
        {
            blocks.add(account.allocate(i * 7L, 8, OBJECT));
            if (i % 3 == 0)
            {
                account.free(blocks.remove(blocks.size() / 2));
            }
        }
        for (final Account a : List.of(account, accounting.root()))
        {
            assertEquals(a.currentBytes() + reserves(a), a.chargedBytes(), a.path());
            assertTrue(a.chargedBytes() - a.currentBytes() <= 2 * Account.MAX_BATCH, "reserves stay small");
        }
        blocks.forEach(account::free);
    }

    @Test
    void closeHandsTheLeakReportToTheListenerOnce()
    {
        final Account gpu = accounting.root().child("gpu");
        final long a = gpu.allocate(100, 8, OBJECT);
        final long b = accounting.allocate(7, 1, DEVICE);
        accounting.close();
        accounting.close();
        assertEquals(1, closeReports.size());
        final LeakReport report = closeReports.get(0);
        assertEquals(2, report.blocks().size());
        assertEquals(107, report.totalBytes());
        assertEquals("test", report.blocks().get(0).account());
        assertEquals(DEVICE, report.blocks().get(0).scope());
        assertEquals("test/gpu", report.blocks().get(1).account());
        assertEquals(a, report.blocks().get(1).address());
        assertTrue(report.text().contains("test/gpu OBJECT: 1 block, 100 bytes"), report.text());
        assertTrue(accounting.isClosed());
        assertFalse(AccountingAllocator.live().contains(accounting));
        gpu.free(a); // the callbacks keep working after close
        accounting.free(b);
        assertTrue(accounting.leakReport().isEmpty());
    }

    @Test
    void siteCaptureNamesTheAllocatingFrame()
    {
        try (AccountingAllocator every = AccountingAllocator.builder(pool).siteCapture(SiteCapture.EVERY_CALL)
            .onClose(r -> { }).exportToConfiguredCounters(false).build();
             AccountingAllocator sampled = AccountingAllocator.builder(pool).siteCapture(SiteCapture.everyNth(3))
                 .onClose(r -> { }).exportToConfiguredCounters(false).build())
        {
            final long block = allocateHere(every);
            final LeakReport.Block leaked = every.leakReport().blocks().get(0);
            assertTrue(leaked.site().orElseThrow().contains("AccountingAllocatorTest.allocateHere(AccountingAllocatorTest.java:"),
                leaked.site().toString());
            every.free(block);

            final List<Long> blocks = new ArrayList<>();
            for (int i = 0; i < 9; i++)
            {
                blocks.add(sampled.allocate(8, 8, OBJECT));
            }
            final long withSite = sampled.leakReport().blocks().stream().filter(b -> b.site().isPresent()).count();
            assertEquals(3, withSite, "one in three");
            blocks.forEach(sampled::free);
        }
        assertEquals(SiteCapture.OFF, SiteCapture.parse("off"));
        assertEquals(SiteCapture.EVERY_CALL, SiteCapture.parse("ALL"));
        assertEquals(SiteCapture.everyNth(100), SiteCapture.parse("100"));
        assertThrows(IllegalArgumentException.class, () -> SiteCapture.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> SiteCapture.parse("sometimes"));
    }

    private static long allocateHere(final AllocationCallbacks callbacks)
    {
        return callbacks.allocate(48, 16, SystemAllocationScope.CACHE);
    }

    @Test
    void theLeanModeCountsTheSameWithoutATable()
    {
        final List<LeakReport> reports = new ArrayList<>();
        try (AccountingAllocator lean = AccountingAllocator.builder(pool).name("lean").trackBlocks(false)
            .violationHandler(violations).onClose(reports::add).exportToConfiguredCounters(false).build())
        {
            assertFalse(lean.tracksBlocks());
            final Account child = lean.root().child("child", 1000);
            final long a = child.allocate(600, 32, OBJECT);
            final long b = lean.allocate(50, 8, DEVICE);
            assertEquals(0, a % 32);
            assertEquals(0, child.allocate(401, 8, OBJECT), "budgets hold");
            assertEquals(650, lean.root().currentBytes());
            long c = child.reallocate(a, 900, 32, OBJECT);
            assertNotEquals(0, c);
            assertEquals(950, lean.root().currentBytes());

            final LeakReport report = lean.leakReport();
            assertTrue(report.blocks().isEmpty());
            assertEquals(List.of(new LeakReport.Summary("lean", DEVICE, 1, 50), new LeakReport.Summary("lean/child", OBJECT, 1, 900)),
                report.untracked());
            assertFalse(report.isEmpty());
            assertEquals(950, report.totalBytes());
            assertTrue(report.text().contains("lean/child OBJECT: 1 block, 900 bytes"), report.text());

            child.free(c);
            child.free(c); // a second free fails the header check
            assertEquals(1, violations.count(Violation.FREE_NOT_ALLOCATED_PTR));
            final long foreignBlock = pool.allocate(64, 16, OBJECT);
            memSet(foreignBlock, 0, 16);
            lean.free(foreignBlock + 16);
            assertEquals(2, violations.count(Violation.FREE_NOT_ALLOCATED_PTR));
            pool.free(foreignBlock);
            assertEquals(50, lean.root().currentBytes());
            lean.free(b);
            assertTrue(lean.leakReport().isEmpty());
        }
        assertTrue(reports.get(0).isEmpty());
        assertTrue(pool.validate().check(0).passed(), pool.validate().check(0).text());
        assertThrows(IllegalArgumentException.class, () -> AccountingAllocator.builder(pool).trackBlocks(false)
            .siteCapture(SiteCapture.EVERY_CALL).build(), "sites need tracked blocks");
    }

    @Test
    void liveAllocatorsCanBeFoundByName()
    {
        assertSame(accounting, AccountingAllocator.named("test").orElseThrow());
        assertTrue(AccountingAllocator.named("no-such-allocator").isEmpty());
        assertTrue(accounting.toString().contains("test"));
    }

    @Test
    void traitsComeFromThePool()
    {
        assertTrue(accounting.traits().threadSafe());
        assertFalse(accounting.traits().realtimeSafe());
        assertEquals(Account.MAX_ALIGNMENT, accounting.traits().maxAlignment());
    }

    private static long reserves(final Account account)
    {
        return account.stockBytes();
    }
}
