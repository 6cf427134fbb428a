package dev.hostalloc.tlsf;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.AllocationViolationException;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.hostalloc.api.SystemAllocationScope.COMMAND;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.system.MemoryUtil.memGetByte;
import static org.lwjgl.system.MemoryUtil.memPutByte;
import static org.lwjgl.system.MemoryUtil.memPutLong;

class TlsfAllocatorTest
{
    private static final long CAPACITY = 8L << 20;

    private final RecordingViolationHandler handler = new RecordingViolationHandler(16);
    private final List<TlsfAllocator> pools = new ArrayList<>();

    @AfterEach
    void closePools()
    {
        for (final TlsfAllocator pool : pools)
        {
            pool.close();
        }
    }

    private TlsfAllocator pool(final ThreadingMode mode)
    {
        return pool(CAPACITY, mode);
    }

    private TlsfAllocator pool(final long capacity, final ThreadingMode mode)
    {
        final TlsfAllocator pool = TlsfAllocator.mapped(capacity, mode, handler);
        pools.add(pool);
        return pool;
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void everyAlignmentUpTo64KiBIsHonouredAndTheArenaStaysConsistent(final ThreadingMode mode)
    {
        final TlsfAllocator pool = pool(mode);
        final long[] sizes = { 0, 1, 7, 16, 17, 100, 4096 + 3 };
        final List<Long> live = new ArrayList<>();
        for (int shift = 0; shift <= 16; shift++)
        {
            final long alignment = 1L << shift;
            for (final long size : sizes)
            {
                final long p = pool.allocate(size, alignment, OBJECT);
                assertNotEquals(0, p, "allocate(" + size + ", " + alignment + ")");
                assertTrue(Alignment.isAligned(p, alignment), "alignment " + alignment + ": 0x" + Long.toHexString(p));
                assertTrue(TlsfAllocator.usableSize(p) >= size);
                fill(p, size, (byte)(shift * 7 + size));
                live.add(p);
            }
            pool.check();
        }
        for (int i = 0; i < live.size(); i++)
        {
            final int shift = i / sizes.length;
            final long size = sizes[i % sizes.length];
            assertFilled(live.get(i), size, (byte)(shift * 7 + size));
        }
        for (final long p : live)
        {
            pool.free(p);
            pool.check();
        }
        assertEquals(0, pool.usedBytes());
        assertEquals(pool.capacity() - 32, pool.statistics().largestFreeBlockBytes(), "everything merged back");
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void largeAlignmentsUpToTheArenaAreHonoured()
    {
        final TlsfAllocator pool = pool(16L << 20, ThreadingMode.OWNED);
        final long small = pool.allocate(24, 8, OBJECT); // so the arena start is taken
        for (int shift = 17; shift <= 23; shift++)
        {
            final long alignment = 1L << shift;
            final long p = pool.allocate(1000, alignment, OBJECT);
            assertNotEquals(0, p, "alignment " + alignment);
            assertTrue(Alignment.isAligned(p, alignment));
            final long grown = pool.reallocate(p, 3L << 20, alignment, OBJECT);
            assertTrue(Alignment.isAligned(grown, alignment));
            pool.check();
            pool.free(grown);
        }
        pool.free(small);
        pool.check();
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void anAlignmentLargerThanTheArenaCanHoldIsExhaustionNotMisuse()
    {
        final TlsfAllocator pool = pool(ThreadingMode.OWNED);
        assertEquals(0, pool.allocate(64, TlsfAllocator.MAX_ALIGNMENT, OBJECT));
        assertEquals(0, handler.totalCount(), handler.report());
        pool.check();
    }

    @Test
    void sizeZeroGivesUniqueFreeableBlocks()
    {
        final TlsfAllocator pool = pool(ThreadingMode.OWNED);
        final long a = pool.allocate(0, 1, COMMAND);
        final long b = pool.allocate(0, 1, COMMAND);
        final long c = pool.allocate(0, 65536, COMMAND);
        assertNotEquals(0, a);
        assertNotEquals(0, b);
        assertNotEquals(a, b);
        assertTrue(Alignment.isAligned(c, 65536));
        final long grown = pool.reallocate(a, 64, 1, COMMAND);
        assertNotEquals(0, grown);
        fill(grown, 64, (byte)7);
        pool.free(grown);
        pool.free(b);
        assertEquals(0, pool.reallocate(c, 0, 65536, COMMAND));
        assertEquals(0, pool.reallocate(0, 0, 8, COMMAND));
        assertEquals(0, pool.usedBlocks());
        assertEquals(0, handler.totalCount(), handler.report());
        pool.check();
    }

    @Test
    void perBlockOverheadIsSixteenBytes()
    {
        final TlsfAllocator pool = pool(ThreadingMode.OWNED);
        long previous = 0;
        for (int i = 0; i < 100; i++)
        {
            final long p = pool.allocate(64, 16, OBJECT);
            if (previous != 0)
            {
                assertEquals(64 + TlsfBlockDescriptor.HEADER_LENGTH, p - previous, "consecutive blocks");
            }
            previous = p;
        }
        assertEquals(100 * (64 + 16), pool.usedBytes());
        assertEquals(100, pool.usedBlocks());
        pool.check();
    }

    @Test
    void reallocateOfNullAllocatesAndToZeroFrees()
    {
        final TlsfAllocator pool = pool(ThreadingMode.OWNED);
        final long p = pool.reallocate(0, 300, 4096, OBJECT);
        assertNotEquals(0, p);
        assertTrue(Alignment.isAligned(p, 4096));
        assertEquals(0, pool.reallocate(p, 0, 4096, OBJECT));
        assertEquals(0, pool.usedBlocks());
        assertEquals(0, handler.totalCount(), handler.report());
        pool.check();
    }

    @Test
    void reallocateGrowsInPlaceIntoAFreeNextBlockAndShrinksInPlace()
    {
        final TlsfAllocator pool = pool(ThreadingMode.OWNED);
        final long a = pool.allocate(100, 64, OBJECT);
        final long b = pool.allocate(1000, 8, OBJECT);
        final long c = pool.allocate(100, 8, OBJECT);
        fill(a, 100, (byte)1);
        pool.free(b);
        final long grown = pool.reallocate(a, 900, 64, OBJECT);
        assertEquals(a, grown, "grows into the free next block");
        assertFilled(grown, 100, (byte)1);
        pool.check();
        final long shrunk = pool.reallocate(grown, 40, 64, OBJECT);
        assertEquals(a, shrunk);
        assertFilled(shrunk, 40, (byte)1);
        pool.check();
        // the freed tail is usable again, right after the shrunk block
        final long d = pool.allocate(500, 8, OBJECT);
        assertEquals(a + 48 + 16, d);
        pool.free(d);
        pool.free(shrunk);
        pool.free(c);
        pool.check();
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void reallocateThatMovesKeepsTheAlignmentAndTheBytes()
    {
        final TlsfAllocator pool = pool(ThreadingMode.OWNED);
        for (int shift = 0; shift <= 16; shift++)
        {
            final long alignment = 1L << shift;
            final long a = pool.allocate(200, alignment, OBJECT);
            // Only the free tail after a can hold this much: it is carved right after a.
            final long blocker = pool.allocate(1L << 20, 16, OBJECT);
            assertEquals(a + TlsfAllocator.usableSize(a) + TlsfBlockDescriptor.HEADER_LENGTH, blocker);
            fill(a, 200, (byte)shift);
            final long moved = pool.reallocate(a, 5000 + shift, alignment, OBJECT);
            assertNotEquals(0, moved);
            assertNotEquals(a, moved, "the next block is used: it must move");
            assertTrue(Alignment.isAligned(moved, alignment), "alignment " + alignment);
            assertFilled(moved, 200, (byte)shift);
            pool.check();
            pool.free(moved);
            pool.free(blocker);
            pool.check();
        }
        assertEquals(0, pool.usedBlocks());
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void exhaustionReturnsZeroQuietlyAndAFailedReallocateLeavesTheOriginalIntact()
    {
        final TlsfAllocator pool = pool(64 * 1024, ThreadingMode.OWNED);
        final List<Long> blocks = new ArrayList<>();
        long p;
        while ((p = pool.allocate(1000, 8, OBJECT)) != 0)
        {
            blocks.add(p);
        }
        assertTrue(blocks.size() >= 60, "a 64 KiB pool holds ~64 blocks of 1000 bytes: " + blocks.size());
        final long first = blocks.get(0);
        fill(first, 1000, (byte)0x5A);
        assertEquals(0, pool.reallocate(first, 30_000, 8, OBJECT));
        assertFilled(first, 1000, (byte)0x5A);
        assertEquals(0, pool.allocate(Long.MAX_VALUE, 8, OBJECT));
        assertEquals(0, pool.allocate(1L << 62, 8, OBJECT));
        assertEquals(0, handler.totalCount(), "exhaustion is not misuse: " + handler.report());
        pool.check();
        for (final long b : blocks)
        {
            pool.free(b);
        }
        assertEquals(0, pool.usedBlocks());
        assertNotEquals(0, pool.allocate(30_000, 8, OBJECT), "after freeing everything the memory is back");
        pool.check();
    }

    @Test
    void invalidArgumentsAreReportedAndChangeNothing()
    {
        final TlsfAllocator pool = pool(ThreadingMode.OWNED);
        final long live = pool.allocate(64, 32, OBJECT);
        final long usedBefore = pool.usedBytes();
        assertEquals(0, pool.allocate(64, 8, null));
        assertEquals(0, pool.allocate(64, 3, OBJECT));
        assertEquals(0, pool.allocate(64, 0, OBJECT));
        assertEquals(0, pool.allocate(64, TlsfAllocator.MAX_ALIGNMENT << 1, OBJECT));
        assertEquals(0, pool.allocate(-1, 8, OBJECT));
        assertEquals(0, pool.reallocate(live, 128, 64, OBJECT));
        assertEquals(0, pool.reallocate(live, 0, 3, OBJECT), "invalid arguments leave the block live even for size 0");
        assertEquals(usedBefore, pool.usedBytes());
        assertEquals(1, handler.count(Violation.INVALID_ALLOCATION_SCOPE));
        assertEquals(4, handler.count(Violation.INVALID_ALIGNMENT));
        assertEquals(1, handler.count(Violation.INVALID_SIZE));
        assertEquals(1, handler.count(Violation.REALLOC_DIFFERENT_ALIGNMENT));
        pool.free(live);
        pool.check();
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void foreignAndFreedPointersAreReportedAndIgnored(final ThreadingMode mode)
    {
        final TlsfAllocator pool = pool(mode);
        final SystemAllocator system = new SystemAllocator();
        final long foreign = system.allocate(64, 16, OBJECT);
        final long a = pool.allocate(256, 16, OBJECT);
        final long b = pool.allocate(256, 16, OBJECT);
        final long c = pool.allocate(256, 16, OBJECT);

        pool.free(foreign);
        pool.free(a + 7);            // misaligned, inside the arena
        pool.free(a + 64);           // aligned, inside a block's payload
        memPutLong(a + 64 - 8, TlsfBlockDescriptor.word(64, 0, 4)); // payload bytes that mimic a header word
        pool.free(a + 64);
        pool.free(pool.arenaAddress() + pool.capacity() + 4096);
        assertEquals(5, handler.count(Violation.FREE_NOT_ALLOCATED_PTR), handler.report());
        assertEquals(0, pool.reallocate(foreign, 10, 16, OBJECT));
        assertEquals(1, handler.count(Violation.REALLOC_NOT_ALLOCATED_PTR));

        pool.free(b);
        pool.free(b);                // double free of a lone free block
        pool.free(a);
        pool.free(a);                // double free of a block merged into its neighbour
        assertEquals(2, handler.count(Violation.DOUBLE_FREE), handler.report());
        assertEquals(0, pool.reallocate(b, 10, 16, OBJECT));
        assertEquals(1, handler.count(Violation.REALLOC_FREED_PTR));
        pool.check();
        pool.free(c);
        assertEquals(0, pool.usedBlocks());
        pool.check();
        system.free(foreign);
    }

    @Test
    void aThrowingHandlerLeavesThePoolConsistent()
    {
        final TlsfAllocator pool = TlsfAllocator.mapped(1 << 20, ThreadingMode.SHARED, ViolationHandler.throwing());
        pools.add(pool);
        final long a = pool.allocate(64, 16, OBJECT);
        pool.free(a);
        final AllocationViolationException ex = assertThrows(AllocationViolationException.class, () -> pool.free(a));
        assertTrue(ex.getMessage().contains("DOUBLE_FREE"), ex.getMessage());
        assertFalse(pool.lock().isLocked(), "the lock is released when the handler throws");
        pool.check();
        assertNotEquals(0, pool.allocate(64, 16, OBJECT));
    }

    @Test
    void checkFindsDamage()
    {
        final TlsfAllocator pool = pool(ThreadingMode.OWNED);
        final long a = pool.allocate(64, 16, OBJECT);
        final long b = pool.allocate(64, 16, OBJECT);
        final long c = pool.allocate(64, 16, OBJECT);
        pool.check();

        final long blockB = TlsfBlockDescriptor.blockOf(b);
        final long wordB = TlsfBlockDescriptor.word(blockB);
        TlsfBlockDescriptor.word(blockB, wordB + 16);            // size grown by an overrun
        assertCheckFails(pool, "inconsistent");
        TlsfBlockDescriptor.word(blockB, wordB & ~TlsfBlockDescriptor.TAG_MASK);
        assertCheckFails(pool, "tag");
        TlsfBlockDescriptor.word(blockB, wordB | TlsfBlockDescriptor.FREE_BIT); // marked free ...
        assertCheckFails(pool, "previous-free flag false but the previous block is free");
        final long blockC0 = TlsfBlockDescriptor.blockOf(c);
        final long wordC = TlsfBlockDescriptor.word(blockC0);
        TlsfBlockDescriptor.word(blockC0, wordC | TlsfBlockDescriptor.PREV_FREE_BIT); // ... consistently, in no list
        assertCheckFails(pool, "is not in the list of its class");
        TlsfBlockDescriptor.word(blockC0, wordC);
        TlsfBlockDescriptor.word(blockB, wordB);
        pool.check();

        final long blockC = TlsfBlockDescriptor.blockOf(c);
        final long prevOfC = TlsfBlockDescriptor.prevPhys(blockC);
        TlsfBlockDescriptor.prevPhys(blockC, prevOfC + 16);
        assertCheckFails(pool, "prevPhys");
        TlsfBlockDescriptor.prevPhys(blockC, prevOfC);
        pool.free(b);
        final long freeWord = TlsfBlockDescriptor.word(blockB);
        TlsfBlockDescriptor.word(blockB, freeWord & ~TlsfBlockDescriptor.FREE_BIT); // a listed block marked used
        assertCheckFails(pool, "free");
        TlsfBlockDescriptor.word(blockB, freeWord);
        pool.check();
        pool.free(a);
        pool.free(c);
        pool.check();
    }

    private static void assertCheckFails(final TlsfAllocator pool, final String expected)
    {
        final IllegalStateException ex = assertThrows(IllegalStateException.class, pool::check);
        assertTrue(ex.getMessage().contains(expected), "expected '" + expected + "' in: " + ex.getMessage());
    }

    @Test
    void statisticsDescribeTheArena()
    {
        final TlsfAllocator pool = pool(1 << 20, ThreadingMode.OWNED);
        final TlsfStatistics empty = pool.statistics();
        assertEquals(1 << 20, empty.capacityBytes());
        assertEquals(0, empty.usedBytes());
        assertEquals(1, empty.freeBlocks());
        assertEquals((1 << 20) - 32, empty.freeBytes());
        assertEquals(0.0, empty.fragmentation());
        assertEquals((1 << 20) - 48, empty.largestAllocation());

        final long[] blocks = new long[10];
        for (int i = 0; i < blocks.length; i++)
        {
            blocks[i] = pool.allocate(1000, 16, OBJECT);
        }
        for (int i = 0; i < blocks.length; i += 2)
        {
            pool.free(blocks[i]);
        }
        final TlsfStatistics holes = pool.statistics();
        assertEquals(5, holes.usedBlocks());
        assertEquals(5 * 1024, holes.usedBytes());
        assertEquals(6, holes.freeBlocks(), "five holes and the tail");
        assertEquals(holes.capacityBytes() - 32, holes.usedBytes() + holes.freeBytes());
        final double expected = 1.0 - (double)holes.largestFreeBlockBytes() / holes.freeBytes();
        assertEquals(expected, holes.fragmentation(), 1e-12);
        assertTrue(holes.fragmentation() > 0.0);
        assertTrue(holes.toString().contains("fragmentation"), holes.toString());
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void traitsSayRealtimeSafeAndBounded(final ThreadingMode mode)
    {
        final TlsfAllocator pool = pool(1 << 20, mode);
        final AllocatorTraits traits = pool.traits();
        assertTrue(traits.realtimeSafe());
        assertTrue(traits.boundedCapacity());
        assertEquals((1 << 20) - 48, traits.capacityBytes());
        assertEquals(mode == ThreadingMode.SHARED, traits.threadSafe());
        assertEquals(TlsfAllocator.MAX_ALIGNMENT, traits.maxAlignment());
        assertNotEquals(0, pool.allocate(traits.capacityBytes(), 16, OBJECT), "capacityBytes is one allocation");
    }

    @Test
    void aPoolTakesItsArenaFromItsParentOnceAndGivesItBackOnClose()
    {
        final RecordingAllocator parent = new RecordingAllocator(new SystemAllocator());
        final TlsfAllocator pool = new TlsfAllocator(parent, 100_000 + 7, ThreadingMode.OWNED, handler);
        assertEquals(100_000, pool.capacity(), "rounded down to 16");
        final SplittableRandom random = new SplittableRandom(1);
        final long[] slots = new long[64];
        for (int i = 0; i < 10_000; i++)
        {
            final int s = random.nextInt(slots.length);
            if (slots[s] == 0)
            {
                slots[s] = pool.allocate(random.nextLong(0, 2000), 1L << random.nextInt(8), OBJECT);
            }
            else if (random.nextBoolean())
            {
                pool.free(slots[s]);
                slots[s] = 0;
            }
            else
            {
                final long moved = pool.reallocate(slots[s], random.nextLong(1, 3000),
                    1L << TlsfBlockDescriptor.alignmentShift(TlsfBlockDescriptor.word(TlsfBlockDescriptor.blockOf(slots[s]))),
                    OBJECT);
                if (moved != 0)
                {
                    slots[s] = moved;
                }
            }
        }
        pool.check();
        assertEquals(1, parent.recordCount(), "the arena is taken once, never grown");
        final long live = slots[0] != 0 ? slots[0] : pool.allocate(8, 8, OBJECT);
        pool.close();
        pool.close();
        assertTrue(pool.isClosed());
        assertEquals(2, parent.recordCount(), "one allocate, one free");
        final ValidationReport report = parent.validate().check(0);
        assertTrue(report.passed(), report.text());

        assertEquals(0, pool.allocate(16, 16, OBJECT));
        pool.free(live);
        assertEquals(1, handler.count(Violation.FREE_NOT_ALLOCATED_PTR), "a block of a closed pool is foreign");
        assertThrows(IllegalStateException.class, pool::check);
    }

    @Test
    void badConstructionArgumentsAreRefusedBeforeAnythingIsTaken()
    {
        final RecordingAllocator parent = new RecordingAllocator(new SystemAllocator());
        assertThrows(IllegalArgumentException.class, () -> new TlsfAllocator(parent, 63, ThreadingMode.OWNED, handler));
        assertThrows(IllegalArgumentException.class,
            () -> new TlsfAllocator(parent, TlsfAllocator.MAX_CAPACITY + 16, ThreadingMode.OWNED, handler));
        assertThrows(IllegalArgumentException.class,
            () -> new TlsfAllocator(parent, 4096, OBJECT, ThreadingMode.SHARED, -1, handler));
        assertThrows(NullPointerException.class, () -> new TlsfAllocator(parent, 4096, null, handler));
        assertThrows(NullPointerException.class, () -> new TlsfAllocator(parent, 4096, ThreadingMode.OWNED, null));
        assertThrows(NullPointerException.class, () -> new TlsfAllocator(null, 4096, ThreadingMode.OWNED, handler));
        assertEquals(0, parent.recordCount());
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> new TlsfAllocator(parent, TlsfAllocator.MAX_CAPACITY, ThreadingMode.OWNED, handler));
        assertTrue(ex.getMessage().contains("could not provide"), ex.getMessage());
    }

    @Test
    void aLargeMappedArenaIsHugePageAlignedAndAdvisedWhereTheKernelOffersThem() throws Exception
    {
        final TlsfAllocator pool = pool(8L << 20, ThreadingMode.OWNED);
        assertEquals(0, pool.arenaAddress() & ((2L << 20) - 1), "2 MiB aligned");
        final java.nio.file.Path thp = java.nio.file.Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        final boolean offered = java.nio.file.Files.exists(thp) && !java.nio.file.Files.readString(thp).contains("[never]");
        assertEquals(offered, pool.hugePagesAdvised(), "THP setting: " + (java.nio.file.Files.exists(thp) ?
            java.nio.file.Files.readString(thp).trim() : "absent"));
        final TlsfAllocator small = pool(64 * 1024, ThreadingMode.OWNED);
        assertFalse(small.hugePagesAdvised());
        final TlsfAllocator carved = new TlsfAllocator(pool, 4L << 20, ThreadingMode.OWNED, handler);
        assertFalse(carved.hugePagesAdvised(), "an arena from a parent is the parent's memory");
        carved.close();
    }

    @Test
    void theSmallestPoolWorks()
    {
        final TlsfAllocator pool = pool(TlsfAllocator.MIN_CAPACITY, ThreadingMode.OWNED);
        final long a = pool.allocate(0, 1, OBJECT);
        assertNotEquals(0, a);
        assertEquals(0, pool.allocate(0, 1, OBJECT), "48 usable bytes hold one minimal block");
        pool.free(a);
        assertNotEquals(0, pool.allocate(16, 16, OBJECT));
        pool.check();
    }

    @Test
    void ownedModeAssertsItsOwnerThread() throws Exception
    {
        final TlsfAllocator pool = pool(ThreadingMode.OWNED);
        final long a = pool.allocate(64, 8, OBJECT);
        final Throwable[] failure = new Throwable[1];
        final Thread other = new Thread(() ->
        {
            try
            {
                pool.free(a);
            }
            catch (final AssertionError ex)
            {
                failure[0] = ex;
            }
        });
        other.start();
        other.join();
        boolean assertionsEnabled = false;
        assert assertionsEnabled = true;
        if (assertionsEnabled)
        {
            assertTrue(failure[0] instanceof AssertionError, "a call from another thread trips the owner assertion");
            assertTrue(failure[0].getMessage().contains("OWNED"), failure[0].getMessage());
            assertEquals(1, pool.usedBlocks(), "the block was not freed");
        }
        pool.releaseOwnership();
        final Thread handedOver = new Thread(() -> pool.free(a));
        handedOver.start();
        handedOver.join();
        assertEquals(0, pool.usedBlocks());
        pool.releaseOwnership();
    }

    private static void fill(final long address, final long size, final byte value)
    {
        for (long i = 0; i < size; i++)
        {
            memPutByte(address + i, (byte)(value + i));
        }
    }

    private static void assertFilled(final long address, final long size, final byte value)
    {
        for (long i = 0; i < size; i++)
        {
            if (memGetByte(address + i) != (byte)(value + i))
            {
                throw new AssertionError("byte " + i + " of 0x" + Long.toHexString(address) + " changed");
            }
        }
    }
}
