package dev.hostalloc.guard;

import dev.hostalloc.api.AllocationViolationException;
import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.hostalloc.api.SystemAllocationScope.DEVICE;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.system.MemoryUtil.memGetByte;
import static org.lwjgl.system.MemoryUtil.memPutByte;
import static org.lwjgl.system.libc.LibCStdlib.nfree;
import static org.lwjgl.system.libc.LibCStdlib.nmalloc;

/**
 * GuardPageAllocator in both modes: placement against the guard page (checked in /proc/self/maps),
 * slack and fill checks, quarantine, Vulkan semantics, each misuse with its kind. The faults themselves
 * are proven in child JVMs (tests module, GuardPageCrashTest).
 */
@DirectAllocation(reason = "test: libc pointers are the foreign pointers the guard allocator must refuse")
class GuardPageAllocatorTest
{
    private static final long[] ALIGNMENTS = { 1, 2, 4, 8, 16, 64, 256, 4096, 8192, 65536, 1 << 20 };
    private static final long[] SIZES = { 0, 1, 7, 13, 64, 100, 4095, 4096, 4097, 70000 };

    private final RecordingViolationHandler handler = new RecordingViolationHandler(64);
    private final long page = Pages.pageSize();

    private GuardPageAllocator guard(final GuardMode mode)
    {
        return new GuardPageAllocator(handler, GuardOptions.DEFAULT.withMode(mode));
    }

    @ParameterizedTest
    @EnumSource(GuardMode.class)
    void everyBlockSitsAgainstItsGuardPage(final GuardMode mode) throws IOException
    {
        final GuardPageAllocator allocator = guard(mode);
        for (final long alignment : ALIGNMENTS)
        {
            for (final long size : SIZES)
            {
                final long block = allocator.allocate(size, alignment, OBJECT);
                assertNotEquals(0, block, size + "/" + alignment);
                assertEquals(0, block % alignment, size + "/" + alignment);
                final long guardPage = allocator.guardPageAddress(block);
                assertEquals(0, guardPage % page);
                if (mode == GuardMode.OVERFLOW)
                {
                    final long slack = GuardBlockDescriptor.span(size, alignment) - size;
                    assertEquals(block + size + slack, guardPage, "the block (and its slack) ends at the guard page");
                    assertTrue(slack < alignment);
                }
                else
                {
                    assertEquals(block - page, guardPage, "the block starts right after the guard page");
                }
                assertEquals("---p", protection(guardPage), size + "/" + alignment);
                if (size > 0)
                {
                    assertEquals("rw-p", protection(block), size + "/" + alignment);
                    assertEquals("rw-p", protection(block + size - 1), size + "/" + alignment);
                    memPutByte(block, (byte)1);
                    memPutByte(block + size - 1, (byte)1);
                }
                else
                {
                    assertEquals("---p", protection(block), "a size-0 block has no accessible byte");
                }
                assertEquals(size, allocator.view(block).byteSize());
                allocator.free(block);
                assertEquals("---p", protection(block), "a freed block is PROT_NONE in the quarantine");
            }
        }
        assertEquals(0, handler.totalCount(), handler.report());
        assertEquals(0, allocator.liveBlocks());
        assertTrue(allocator.quarantinedBlocks() > 0);
        allocator.drainQuarantine();
        assertEquals(0, allocator.quarantinedBlocks());
        assertEquals(0, allocator.quarantinedBytes());
    }

    @ParameterizedTest
    @EnumSource(GuardMode.class)
    void reallocateCopiesAndQuarantinesTheOldMapping(final GuardMode mode) throws IOException
    {
        final GuardPageAllocator allocator = guard(mode);
        final long block = allocator.allocate(100, 16, DEVICE);
        for (int i = 0; i < 100; i++)
        {
            memPutByte(block + i, (byte)i);
        }
        final long grown = allocator.reallocate(block, 10_000, 16, DEVICE);
        assertNotEquals(block, grown);
        assertEquals("---p", protection(block));
        for (int i = 0; i < 100; i++)
        {
            assertEquals((byte)i, memGetByte(grown + i));
        }
        final long shrunk = allocator.reallocate(grown, 3, 16, DEVICE);
        assertEquals(2, memGetByte(shrunk + 2));
        assertEquals(0, allocator.reallocate(shrunk, 0, 16, DEVICE));
        assertEquals(0, allocator.reallocate(0, 0, 16, DEVICE));
        final long fromNull = allocator.reallocate(0, 8, 16, DEVICE);
        allocator.free(fromNull);
        allocator.free(0);
        assertEquals(0, handler.totalCount(), handler.report());
        assertEquals(0, allocator.liveBlocks());
    }

    @Test
    void theQuarantineKeepsToItsBudgetOldestFirst() throws IOException
    {
        final long budget = 10 * 2 * page;
        final GuardPageAllocator allocator =
            new GuardPageAllocator(handler, GuardOptions.DEFAULT.withQuarantineBytes(budget));
        final long[] blocks = new long[30];
        for (int i = 0; i < blocks.length; i++)
        {
            blocks[i] = allocator.allocate(64, 8, OBJECT);
        }
        for (final long block : blocks)
        {
            allocator.free(block);
            assertTrue(allocator.quarantinedBytes() <= budget);
        }
        assertEquals(10, allocator.quarantinedBlocks());
        assertEquals(budget, allocator.quarantinedBytes());
        for (int i = 0; i < blocks.length; i++)
        {
            final boolean quarantined = i >= blocks.length - 10;
            assertEquals(quarantined, allocator.guardPageAddress(blocks[i]) != 0, "block " + i);
        }
        // freed long ago and unmapped, a double free is still named as one while remembered
        allocator.free(blocks[0]);
        allocator.free(blocks[29]);
        assertEquals(2, handler.count(Violation.DOUBLE_FREE), handler.report());
        assertTrue(handler.violations().get(0).detail().contains("freed and has since unmapped"), handler.report());
        assertTrue(handler.violations().get(1).detail().contains("PROT_NONE in the quarantine"), handler.report());
    }

    @Test
    void aLargeQuarantineEvictsTheOldestInBatchesAndStaysWithinItsBudget() throws IOException
    {
        final long budget = GuardPageAllocator.BATCHED_EVICTION_BUDGET;
        final long blockBytes = 2 * page; // a 64-byte block: one data page and its guard page
        final long floor = budget - budget / GuardPageAllocator.EVICTION_BATCHES;
        final GuardPageAllocator allocator =
            new GuardPageAllocator(handler, GuardOptions.DEFAULT.withQuarantineBytes(budget));
        final int blocks = (int)(budget / blockBytes) * 3 / 2;
        final long[] freed = new long[blocks];
        boolean evicted = false;
        for (int i = 0; i < blocks; i++)
        {
            freed[i] = allocator.allocate(64, 8, OBJECT);
            allocator.free(freed[i]);
            final long held = allocator.quarantinedBytes();
            assertTrue(held <= budget, "never above the budget: " + held);
            if (held < (long)(i + 1) * blockBytes)
            {
                evicted = true;
                assertTrue(held >= floor, "a batch stops at 15/16 of the budget: " + held);
            }
        }
        assertTrue(evicted);
        final int kept = allocator.quarantinedBlocks();
        assertEquals(kept * blockBytes, allocator.quarantinedBytes());
        for (int i = 0; i < blocks; i++)
        {
            final boolean quarantined = i >= blocks - kept;
            assertEquals(quarantined, allocator.guardPageAddress(freed[i]) != 0, "oldest first: block " + i);
        }
        assertEquals("---p", protection(freed[blocks - kept]), "the oldest block kept is still PROT_NONE");
        assertNull(protectionOrNull(freed[0]), "the oldest were unmapped");
        assertEquals(kept, allocator.drainQuarantine());
        assertNull(protectionOrNull(freed[blocks - 1]), "drained: unmapped");
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @ParameterizedTest
    @EnumSource(GuardMode.class)
    void smallBlocksAreCarvedOneAfterAnotherFromReservedAddressSpace(final GuardMode mode) throws IOException
    {
        final GuardPageAllocator allocator = new GuardPageAllocator(handler, GuardOptions.DEFAULT.withMode(mode));
        final long first = allocator.allocate(100, 16, OBJECT);
        final long second = allocator.allocate(100, 16, OBJECT);
        final long firstStart = GuardBlockDescriptor.mappingStart(mode, first, 100, 16, page);
        final long secondStart = GuardBlockDescriptor.mappingStart(mode, second, 100, 16, page);
        assertEquals(firstStart + GuardBlockDescriptor.mappingLength(mode, 100, 16, page), secondStart,
            "the second range starts where the first ends");
        assertEquals("---p", protection(allocator.guardPageAddress(first)));
        assertEquals("rw-p", protection(first));
        assertEquals("rw-p", protection(second));
        allocator.free(first);
        allocator.free(second);
        final long tail = secondStart + GuardBlockDescriptor.mappingLength(mode, 100, 16, page);
        assertEquals("---p", protection(tail), "the reservation's uncarved rest: inaccessible address space");
        allocator.drainQuarantine();
        assertNull(protectionOrNull(first), "evicted ranges are unmapped, as a block of its own would be");
        assertNull(protectionOrNull(second));
        assertNull(protectionOrNull(tail), "draining gives the reservation's rest back too");
        final long third = allocator.allocate(100, 16, OBJECT);
        assertEquals("rw-p", protection(third), "carving goes on from a new reservation");
        allocator.free(third);
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @ParameterizedTest
    @EnumSource(GuardMode.class)
    void quarantinedBlocksStayMappedInaccessibleWithTheirMemoryHeldUntilEvicted(final GuardMode mode)
        throws IOException
    {
        final GuardPageAllocator allocator = new GuardPageAllocator(handler, GuardOptions.DEFAULT.withMode(mode));
        final long first = allocator.allocate(100, 16, OBJECT);
        final long second = allocator.allocate(100, 16, OBJECT);
        final long firstStart = GuardBlockDescriptor.mappingStart(mode, first, 100, 16, page);
        final long secondEnd = GuardBlockDescriptor.mappingStart(mode, second, 100, 16, page) +
            GuardBlockDescriptor.mappingLength(mode, 100, 16, page);
        memPutByte(first, (byte)1);
        memPutByte(second, (byte)1);
        allocator.free(first);
        allocator.free(second);
        assertEquals(2, allocator.quarantinedBlocks());
        final long[] mapping = mappingOf(first);
        assertEquals("---p", protection(first));
        assertTrue(Long.compareUnsigned(mapping[0], firstStart) <= 0 && Long.compareUnsigned(mapping[1], secondEnd) >= 0,
            "both freed ranges, guard pages included, merge into one PROT_NONE kernel mapping");
        assertTrue(mapping[2] >= 2 * page,
            "the data pages stay resident (memory held) while quarantined: " + mapping[2] + " bytes");
        assertEquals(2, allocator.drainQuarantine());
        assertNull(protectionOrNull(first), "evicted: unmapped, the memory given back");
        assertNull(protectionOrNull(second));
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void withoutQuarantineFreedBlocksAreUnmapped() throws IOException
    {
        final GuardPageAllocator allocator = new GuardPageAllocator(handler, GuardOptions.DEFAULT.withQuarantineBytes(0));
        final long block = allocator.allocate(64, 8, OBJECT);
        allocator.free(block);
        assertEquals(0, allocator.quarantinedBlocks());
        assertEquals(0, allocator.quarantinedBytes());
        assertEquals(0, allocator.guardPageAddress(block), "no longer tracked: unmapped at once");
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void slackBetweenBlockEndAndGuardPageIsCheckedOnFree()
    {
        final GuardPageAllocator allocator = guard(GuardMode.OVERFLOW);
        final long block = allocator.allocate(13, 8, OBJECT);
        assertEquals(block + 16, allocator.guardPageAddress(block), "3 bytes of slack: 13 is not a multiple of 8");
        memPutByte(block + 13, (byte)0x41);
        allocator.free(block);
        assertEquals(1, handler.count(Violation.BUFFER_OVERFLOW), handler.report());
        assertTrue(handler.violations().get(0).detail().contains("byte 0 past the block's end (3 bytes of alignment " +
            "slack before the guard page) was overwritten: 0x41 instead of 0xaa"), handler.report());
        assertEquals(13, handler.violations().get(0).size());
        assertEquals(OBJECT, handler.violations().get(0).scope());
        assertEquals(0, allocator.liveBlocks(), "the block was freed all the same");
    }

    @Test
    void bytesBeforeTheBlockAreCheckedInOverflowMode()
    {
        final GuardPageAllocator allocator = guard(GuardMode.OVERFLOW);
        final long block = allocator.allocate(64, 8, OBJECT);
        memPutByte(block - 1, (byte)0);
        assertEquals(0, allocator.reallocate(block, 128, 8, OBJECT), "reallocate refuses a damaged block");
        assertEquals(1, handler.count(Violation.BUFFER_UNDERFLOW), handler.report());
        assertTrue(handler.violations().get(0).detail().contains("byte 1 before the block's start"), handler.report());
        assertTrue(handler.violations().get(0).detail().contains("left the block as it was"), handler.report());
        allocator.free(block);
        assertEquals(2, handler.count(Violation.BUFFER_UNDERFLOW), handler.report());
    }

    @Test
    void bytesAfterTheBlockAreCheckedInUnderflowMode()
    {
        final GuardPageAllocator allocator = guard(GuardMode.UNDERFLOW);
        final long block = allocator.allocate(64, 8, OBJECT);
        memPutByte(block + 64 + 100, (byte)0);
        allocator.free(block);
        assertEquals(1, handler.count(Violation.BUFFER_OVERFLOW), handler.report());
        assertTrue(handler.violations().get(0).detail().contains("byte 100 past the block's end"), handler.report());
    }

    @ParameterizedTest
    @EnumSource(GuardMode.class)
    void eachMisuseHasItsKind(final GuardMode mode)
    {
        final GuardPageAllocator allocator = guard(mode);
        final long block = allocator.allocate(40, 8, OBJECT);
        expect(Violation.FOREIGN_FREE, () -> allocator.free(block + 8));
        expect(Violation.FOREIGN_FREE, () -> allocator.reallocate(block + 1, 80, 8, OBJECT));
        expect(Violation.REALLOC_DIFFERENT_ALIGNMENT, () -> allocator.reallocate(block, 80, 16, OBJECT));
        final long libc = nmalloc(64);
        try
        {
            expect(Violation.FOREIGN_FREE, () -> allocator.free(libc));
        }
        finally
        {
            nfree(libc);
        }
        final GuardPageAllocator other = guard(mode);
        final long theirs = other.allocate(8, 8, OBJECT);
        expect(Violation.FOREIGN_FREE, () -> allocator.free(theirs));
        other.free(theirs);
        allocator.free(block);
        expect(Violation.DOUBLE_FREE, () -> allocator.free(block));
        expect(Violation.REALLOC_FREED_PTR, () -> allocator.reallocate(block, 80, 8, OBJECT));
        expect(Violation.INVALID_ALIGNMENT, () -> allocator.allocate(8, 3, OBJECT));
        expect(Violation.INVALID_ALIGNMENT, () -> allocator.allocate(8, 1L << 31, OBJECT));
        expect(Violation.INVALID_SIZE, () -> allocator.allocate(-8, 8, OBJECT));
        expect(Violation.INVALID_ALLOCATION_SCOPE, () -> allocator.allocate(8, 8, null));
        assertEquals(0, allocator.allocate(1L << 50, 8, OBJECT), "too large to map: 0, not a violation");
        assertEquals(0, allocator.liveBlocks());
    }

    @Test
    void aThrowingHandlerThrowsAfterTheFree()
    {
        final GuardPageAllocator allocator = new GuardPageAllocator(ViolationHandler.throwing(), GuardOptions.DEFAULT);
        final long block = allocator.allocate(13, 8, OBJECT);
        memPutByte(block + 14, (byte)0);
        final AllocationViolationException e = assertThrows(AllocationViolationException.class, () -> allocator.free(block));
        assertEquals(Violation.BUFFER_OVERFLOW, e.violation());
        assertEquals(0, allocator.liveBlocks());
    }

    @Test
    void aBoundedViewThrowsWhereRawAccessWouldFault()
    {
        final GuardPageAllocator allocator = guard(GuardMode.OVERFLOW);
        final long block = allocator.allocate(64, 16, OBJECT);
        final MemorySegment view = allocator.view(block);
        view.set(ValueLayout.JAVA_BYTE, 63, (byte)1);
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(ValueLayout.JAVA_BYTE, 64));
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(ValueLayout.JAVA_BYTE, -1));
        allocator.free(block);
        assertThrows(IllegalArgumentException.class, () -> allocator.view(block));
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void sitesAreReported()
    {
        final GuardPageAllocator allocator =
            new GuardPageAllocator(handler, GuardOptions.DEFAULT.withCaptureSites(true));
        final long block = allocator.allocate(13, 8, OBJECT);
        memPutByte(block + 13, (byte)0);
        allocator.free(block);
        assertTrue(handler.violations().get(0).detail().contains(
            "allocated at dev.hostalloc.guard.GuardPageAllocatorTest.sitesAreReported(GuardPageAllocatorTest.java:"),
            handler.report());
        allocator.free(block);
        final String doubleFree = handler.violations().get(1).detail();
        assertTrue(doubleFree.contains("allocated at dev.hostalloc.guard.GuardPageAllocatorTest.sitesAreReported(") &&
            doubleFree.contains("first freed at dev.hostalloc.guard.GuardPageAllocatorTest.sitesAreReported("), doubleFree);
    }

    @Test
    void traitsAndPageSize() throws IOException
    {
        final GuardPageAllocator allocator = guard(GuardMode.OVERFLOW);
        assertTrue(allocator.traits().threadSafe());
        assertFalse(allocator.traits().realtimeSafe());
        assertEquals(GuardPageAllocator.MAX_ALIGNMENT, allocator.traits().maxAlignment());
        final Process getconf = new ProcessBuilder("getconf", "PAGESIZE").start();
        assertEquals(new String(getconf.getInputStream().readAllBytes()).trim(), String.valueOf(page));
        assertTrue(page >= 4096 && Long.bitCount(page) == 1);
        assertTrue(allocator.blockEndsAtGuardPage());
        assertFalse(guard(GuardMode.UNDERFLOW).blockEndsAtGuardPage());
    }

    private void expect(final Violation kind, final Runnable misuse)
    {
        final long before = handler.totalCount();
        final long kindBefore = handler.count(kind);
        misuse.run();
        assertEquals(before + 1, handler.totalCount(), kind + ": " + handler.report());
        assertEquals(kindBefore + 1, handler.count(kind), kind + ": " + handler.report());
    }

    /** The permissions of the mapping holding {@code address}, from /proc/self/maps, e.g. "rw-p". */
    static String protection(final long address) throws IOException
    {
        final String protection = protectionOrNull(address);
        assertNotEquals(null, protection, "0x" + Long.toHexString(address) + " is not mapped");
        return protection;
    }

    /** The mapping holding {@code address}, from /proc/self/smaps: start, end and resident bytes. */
    static long[] mappingOf(final long address) throws IOException
    {
        long[] found = null;
        for (final String line : Files.readAllLines(Path.of("/proc/self/smaps")))
        {
            final int dash = line.indexOf('-');
            final int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).chars().allMatch(c -> Character.digit(c, 16) >= 0))
            {
                if (null != found)
                {
                    break;
                }
                final long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                final long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0)
                {
                    found = new long[] { start, end, -1 };
                }
            }
            else if (null != found && line.startsWith("Rss:"))
            {
                found[2] = Long.parseLong(line.substring("Rss:".length()).replace("kB", "").trim()) * 1024;
            }
        }
        assertNotEquals(null, found, "0x" + Long.toHexString(address) + " is not mapped");
        return found;
    }

    static String protectionOrNull(final long address) throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/maps")))
        {
            final int dash = line.indexOf('-');
            final int space = line.indexOf(' ');
            final long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
            final long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
            if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0)
            {
                return line.substring(space + 1, space + 5);
            }
        }
        return null;
    }
}
