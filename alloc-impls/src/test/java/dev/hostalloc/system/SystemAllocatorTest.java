package dev.hostalloc.system;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.AllocationViolationException;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ReportedViolation;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.hostalloc.api.SystemAllocationScope.COMMAND;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.system.MemoryUtil.memGetByte;
import static org.lwjgl.system.MemoryUtil.memPutByte;

class SystemAllocatorTest
{
    /** A size libc refuses (2^62 bytes) but that is a valid request: 0 returned, no violation. */
    private static final long REFUSED_SIZE = 1L << 62;

    private final RecordingViolationHandler handler = new RecordingViolationHandler(16);
    private final SystemAllocator allocator = new SystemAllocator(handler);

    @Test
    void everyAlignmentFromOneTo64KiBAndBeyondIsHonoured()
    {
        final long[] sizes = { 1, 7, 16, 17, 100, 4096 + 3 };
        for (int shift = 0; shift <= 30; shift++)
        {
            final long alignment = 1L << shift;
            for (final long size : sizes)
            {
                final long p = allocator.allocate(size, alignment, OBJECT);
                assertNotEquals(0, p, "allocate(" + size + ", " + alignment + ")");
                assertTrue(Alignment.isAligned(p, alignment), "alignment " + alignment + ": 0x" + Long.toHexString(p));
                assertEquals(size, SystemBlockDescriptor.size(p));
                assertEquals(shift, SystemBlockDescriptor.alignmentShift(p));
                fill(p, size, (byte)(shift + size));
                assertFilled(p, size, (byte)(shift + size));
                allocator.free(p);
            }
        }
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void smallAlignmentsCostOnlyTheHeaderAndLargeOnesPadWithinTheAlignment()
    {
        for (int shift = 0; shift <= 16; shift++)
        {
            final long alignment = 1L << shift;
            final long p = allocator.allocate(24, alignment, OBJECT);
            final int rawOffset = SystemBlockDescriptor.rawOffset(p);
            if (alignment <= SystemAllocator.MALLOC_GUARANTEED_ALIGNMENT)
            {
                assertEquals(SystemBlockDescriptor.HEADER_LENGTH, rawOffset);
            }
            else
            {
                assertTrue(rawOffset >= SystemBlockDescriptor.HEADER_LENGTH &&
                    rawOffset < SystemBlockDescriptor.HEADER_LENGTH + alignment, "offset " + rawOffset);
            }
            assertEquals(p - rawOffset, SystemBlockDescriptor.rawAddress(p));
            allocator.free(p);
        }
    }

    @Test
    void sizeZeroGivesUniqueAlignedFreeableBlocksButReallocateToZeroReturnsZero()
    {
        final long a = allocator.allocate(0, 1, COMMAND);
        final long b = allocator.allocate(0, 1, COMMAND);
        final long c = allocator.allocate(0, 65536, COMMAND);
        assertNotEquals(0, a);
        assertNotEquals(0, b);
        assertNotEquals(a, b);
        assertTrue(Alignment.isAligned(c, 65536));
        assertEquals(0, SystemBlockDescriptor.size(a));

        final long grown = allocator.reallocate(a, 64, 1, COMMAND);
        assertNotEquals(0, grown);
        fill(grown, 64, (byte)7);
        allocator.free(grown);
        allocator.free(b);
        assertEquals(0, allocator.reallocate(c, 0, 65536, COMMAND));
        assertEquals(0, allocator.reallocate(0, 0, 8, COMMAND));
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void reallocateOfNullAllocates()
    {
        final long p = allocator.reallocate(0, 300, 4096, OBJECT);
        assertNotEquals(0, p);
        assertTrue(Alignment.isAligned(p, 4096));
        assertEquals(300, SystemBlockDescriptor.size(p));
        fill(p, 300, (byte)3);
        allocator.free(p);
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 8, 16, 32, 4096, 65536 })
    void reallocateToZeroFreesAndReturnsZero(final long alignment)
    {
        final long p = allocator.allocate(64, alignment, OBJECT);
        assertNotEquals(0, p);
        assertEquals(0, allocator.reallocate(p, 0, alignment, OBJECT));
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 2, 4, 8, 16, 32, 64, 256, 4096, 65536, 1 << 20 })
    void contentIsKeptAcrossGrowShrinkAndMove(final long alignment)
    {
        long p = allocator.allocate(100, alignment, OBJECT);
        fill(p, 100, (byte)0x11);

        p = reallocateChecked(p, 10_000, alignment);
        assertFilled(p, 100, (byte)0x11);
        fill(p, 10_000, (byte)0x22);

        p = reallocateChecked(p, 50, alignment);
        assertFilled(p, 50, (byte)0x22);

        p = reallocateChecked(p, 1 << 20, alignment); // large enough that glibc moves it to mmap
        assertFilled(p, 50, (byte)0x22);
        fill(p, 1 << 20, (byte)0x33);

        p = reallocateChecked(p, 3 << 20, alignment);
        assertFilled(p, 1 << 20, (byte)0x33);

        p = reallocateChecked(p, 1, alignment);
        assertFilled(p, 1, (byte)0x33);

        allocator.free(p);
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 16, 32, 65536 })
    void failedAllocationReturnsZeroWithoutViolation(final long alignment)
    {
        assertEquals(0, allocator.allocate(REFUSED_SIZE, alignment, OBJECT));
        assertEquals(0, allocator.allocate(SystemAllocator.MAX_SIZE, alignment, OBJECT));
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 8, 16, 32, 4096, 65536 })
    void failedReallocateLeavesTheOriginalValidAndUntouched(final long alignment)
    {
        final long p = allocator.allocate(256, alignment, OBJECT);
        fill(p, 256, (byte)0x5A);

        assertEquals(0, allocator.reallocate(p, REFUSED_SIZE, alignment, OBJECT));
        assertEquals(0, allocator.reallocate(p, SystemAllocator.MAX_SIZE, alignment, OBJECT));

        assertEquals(256, SystemBlockDescriptor.size(p));
        assertFilled(p, 256, (byte)0x5A);
        final long q = reallocateChecked(p, 512, alignment);
        assertFilled(q, 256, (byte)0x5A);
        allocator.free(q);
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void freeOfNullIsANoOp()
    {
        allocator.free(0);
        assertEquals(0, handler.totalCount());
    }

    @Test
    void invalidAlignmentsReturnZeroAndAreReported()
    {
        final long[] bad = { 0, 3, 6, 48, -1, Long.MIN_VALUE, SystemAllocator.MAX_ALIGNMENT << 1, 1L << 40 };
        for (final long alignment : bad)
        {
            assertEquals(0, allocator.allocate(64, alignment, OBJECT), "alignment " + alignment);
            final ReportedViolation v = last();
            assertEquals(Violation.INVALID_ALIGNMENT, v.violation());
            assertEquals(64, v.size());
            assertEquals(OBJECT, v.scope());
            assertTrue(v.detail().contains(Long.toUnsignedString(alignment)), v.detail());
            final boolean tooLarge = Alignment.isPowerOfTwo(alignment);
            assertTrue(v.detail().contains(tooLarge ? "MAX_ALIGNMENT" : "not a power of two"), v.detail());
        }
        assertEquals(bad.length, handler.count(Violation.INVALID_ALIGNMENT));
        assertEquals(bad.length, handler.totalCount());
    }

    @Test
    void maxAlignmentItselfIsValid()
    {
        final long p = allocator.allocate(8, SystemAllocator.MAX_ALIGNMENT, OBJECT);
        assertNotEquals(0, p);
        assertTrue(Alignment.isAligned(p, SystemAllocator.MAX_ALIGNMENT));
        allocator.free(p);
        assertEquals(SystemAllocator.MAX_ALIGNMENT, allocator.traits().maxAlignment());
    }

    @Test
    void invalidSizesReturnZeroAndAreReported()
    {
        final long[] bad = { -1, Long.MIN_VALUE, Long.MAX_VALUE, SystemAllocator.MAX_SIZE + 1 };
        for (final long size : bad)
        {
            assertEquals(0, allocator.allocate(size, 1, COMMAND));
            final ReportedViolation v = last();
            assertEquals(Violation.INVALID_SIZE, v.violation());
            assertEquals(size, v.size());
            assertEquals(COMMAND, v.scope());
            assertEquals(0, v.address());
        }
        assertEquals(bad.length, handler.count(Violation.INVALID_SIZE));
        assertEquals(bad.length, handler.totalCount());
    }

    @Test
    void nullScopeReturnsZeroAndIsReported()
    {
        assertEquals(0, allocator.allocate(64, 8, null));
        assertEquals(Violation.INVALID_ALLOCATION_SCOPE, last().violation());
        assertEquals(0, allocator.reallocate(0, 64, 8, null));
        assertEquals(2, handler.count(Violation.INVALID_ALLOCATION_SCOPE));
        assertEquals(2, handler.totalCount());
    }

    @Test
    void invalidArgumentsToReallocateLeaveTheBlockUntouched()
    {
        final long p = allocator.allocate(128, 64, OBJECT);
        fill(p, 128, (byte)0x77);

        assertEquals(0, allocator.reallocate(p, 256, 3, OBJECT));
        assertEquals(Violation.INVALID_ALIGNMENT, last().violation());
        assertEquals(p, last().address());
        assertEquals(0, allocator.reallocate(p, -5, 64, OBJECT));
        assertEquals(Violation.INVALID_SIZE, last().violation());
        assertEquals(0, allocator.reallocate(p, 256, 64, null));
        assertEquals(Violation.INVALID_ALLOCATION_SCOPE, last().violation());
        // size 0 with an invalid argument does not free: leak rather than guess
        assertEquals(0, allocator.reallocate(p, 0, 0, OBJECT));
        assertEquals(Violation.INVALID_ALIGNMENT, last().violation());

        assertEquals(4, handler.totalCount());
        assertEquals(128, SystemBlockDescriptor.size(p));
        assertFilled(p, 128, (byte)0x77);
        final long q = reallocateChecked(p, 4096, 64);
        assertFilled(q, 128, (byte)0x77);
        allocator.free(q);
    }

    @Test
    void reallocateWithAnotherAlignmentFailsAndLeavesTheBlockUntouched()
    {
        for (final long[] pair : new long[][] { { 8, 16 }, { 16, 8 }, { 64, 4096 }, { 4096, 64 }, { 1, 65536 } })
        {
            final long original = pair[0];
            final long other = pair[1];
            final long p = allocator.allocate(100, original, OBJECT);
            fill(p, 100, (byte)0x42);

            assertEquals(0, allocator.reallocate(p, 200, other, OBJECT));
            final ReportedViolation v = last();
            assertEquals(Violation.REALLOC_DIFFERENT_ALIGNMENT, v.violation());
            assertEquals(p, v.address());
            assertEquals(200, v.size());
            assertTrue(v.detail().contains("alignment " + original), v.detail());

            assertEquals(100, SystemBlockDescriptor.size(p));
            assertFilled(p, 100, (byte)0x42);
            // size 0 frees whatever the alignment, as the CTS validator checks alignment only for size > 0
            assertEquals(0, allocator.reallocate(p, 0, other, OBJECT));
        }
        assertEquals(5, handler.count(Violation.REALLOC_DIFFERENT_ALIGNMENT));
        assertEquals(5, handler.totalCount());
    }

    @Test
    void throwingHandlerThrowsTheViolationAndLeavesStateConsistent()
    {
        final SystemAllocator throwing = new SystemAllocator(ViolationHandler.throwing());
        assertThrowsViolation(Violation.INVALID_ALIGNMENT, () -> throwing.allocate(64, 3, OBJECT));
        assertThrowsViolation(Violation.INVALID_ALIGNMENT, () -> throwing.allocate(64, 1L << 31, OBJECT));
        assertThrowsViolation(Violation.INVALID_SIZE, () -> throwing.allocate(-1, 8, OBJECT));
        assertThrowsViolation(Violation.INVALID_ALLOCATION_SCOPE, () -> throwing.allocate(64, 8, null));
        throwing.free(throwing.allocate(0, 8, OBJECT));
        throwing.free(0);

        final long p = throwing.allocate(100, 4096, OBJECT);
        fill(p, 100, (byte)0x13);
        final AllocationViolationException e = assertThrowsViolation(
            Violation.REALLOC_DIFFERENT_ALIGNMENT, () -> throwing.reallocate(p, 5000, 64, OBJECT));
        assertEquals(p, e.address());
        assertEquals(OBJECT, e.scope());
        assertThrowsViolation(Violation.INVALID_SIZE, () -> throwing.reallocate(p, Long.MAX_VALUE, 4096, OBJECT));
        assertThrowsViolation(Violation.INVALID_ALIGNMENT, () -> throwing.reallocate(p, 0, 5, OBJECT));

        assertEquals(100, SystemBlockDescriptor.size(p));
        assertFilled(p, 100, (byte)0x13);
        final long q = throwing.reallocate(p, 5000, 4096, OBJECT);
        assertNotEquals(0, q);
        assertFilled(q, 100, (byte)0x13);
        throwing.free(q);
    }

    @Test
    void traitsAndConstruction()
    {
        final AllocatorTraits traits = allocator.traits();
        assertTrue(traits.threadSafe());
        assertEquals(false, traits.realtimeSafe());
        assertEquals(SystemAllocator.MAX_ALIGNMENT, traits.maxAlignment());
        assertEquals(false, traits.boundedCapacity());
        assertTrue(SystemAllocator.MAX_ALIGNMENT >= Alignment.CONFORMANCE_MAX_ALIGNMENT);
        assertEquals(16, SystemAllocator.MALLOC_GUARANTEED_ALIGNMENT);
        assertEquals(16, SystemBlockDescriptor.HEADER_LENGTH);

        assertSame(handler, allocator.violationHandler());
        assertInstanceOf(RecordingViolationHandler.class, new SystemAllocator().violationHandler());
        assertThrows(NullPointerException.class, () -> new SystemAllocator(null));
    }

    private long reallocateChecked(final long p, final long size, final long alignment)
    {
        final long q = allocator.reallocate(p, size, alignment, OBJECT);
        assertNotEquals(0, q, "reallocate to " + size + " at alignment " + alignment);
        assertTrue(Alignment.isAligned(q, alignment), "alignment " + alignment + " lost: 0x" + Long.toHexString(q));
        assertEquals(size, SystemBlockDescriptor.size(q));
        return q;
    }

    private ReportedViolation last()
    {
        final List<ReportedViolation> all = handler.violations();
        return all.get(all.size() - 1);
    }

    private static AllocationViolationException assertThrowsViolation(
        final Violation expected, final org.junit.jupiter.api.function.Executable call)
    {
        final AllocationViolationException e = assertThrows(AllocationViolationException.class, call);
        assertEquals(expected, e.violation(), e.getMessage());
        return e;
    }

    static void fill(final long address, final long size, final byte value)
    {
        for (long i = 0; i < size; i++)
        {
            memPutByte(address + i, (byte)(value + i));
        }
    }

    static void assertFilled(final long address, final long size, final byte value)
    {
        for (long i = 0; i < size; i++)
        {
            final byte expected = (byte)(value + i);
            final byte actual = memGetByte(address + i);
            if (expected != actual)
            {
                throw new AssertionError("byte " + i + " of " + size + " at 0x" + Long.toHexString(address) +
                    ": expected " + expected + ", got " + actual);
            }
        }
    }
}
