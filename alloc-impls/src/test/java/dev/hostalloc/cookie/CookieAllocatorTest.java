package dev.hostalloc.cookie;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocationViolationException;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ReportedViolation;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.DeterministicFailAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.hostalloc.api.SystemAllocationScope.CACHE;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.system.MemoryUtil.memGetByte;
import static org.lwjgl.system.MemoryUtil.memPutByte;
import static org.lwjgl.system.MemoryUtil.memPutLong;
import static org.lwjgl.system.libc.LibCStdlib.nfree;
import static org.lwjgl.system.libc.LibCStdlib.nmalloc;

/** CookieAllocator over libc in both modes: Vulkan semantics kept, each misuse caught with its kind. */
@DirectAllocation(reason = "test: libc pointers are the foreign pointers the cookies must refuse")
class CookieAllocatorTest
{
    private static final long[] ALIGNMENTS = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 4096, 65536, 1 << 20 };

    private final RecordingViolationHandler handler = new RecordingViolationHandler(64);
    private final SystemAllocator system = new SystemAllocator(handler);

    @AfterEach
    void systemSawNothing()
    {
        for (final ReportedViolation v : handler.violations())
        {
            assertTrue(v.detail() == null || !v.detail().contains("SystemAllocator"), v.toString());
        }
    }

    private CookieAllocator cookies(final boolean strict)
    {
        return new CookieAllocator(system, handler, CookieOptions.DEFAULT.withStrict(strict));
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void everyAlignmentAndSizeZeroKeepVulkanSemantics(final boolean strict)
    {
        final CookieAllocator allocator = cookies(strict);
        for (final long alignment : ALIGNMENTS)
        {
            final long zero = allocator.allocate(0, alignment, OBJECT);
            final long other = allocator.allocate(0, alignment, OBJECT);
            assertNotEquals(0, zero);
            assertNotEquals(zero, other, "size 0 blocks are unique");
            assertEquals(0, zero % alignment);
            final long block = allocator.allocate(100, alignment, CACHE);
            assertEquals(0, block % alignment, "alignment " + alignment);
            for (int i = 0; i < 100; i++)
            {
                memPutByte(block + i, (byte)i);
            }
            assertEquals(100, allocator.view(block).byteSize());
            final long grown = allocator.reallocate(block, 5000, alignment, CACHE);
            assertEquals(0, grown % alignment);
            for (int i = 0; i < 100; i++)
            {
                assertEquals((byte)i, memGetByte(grown + i));
            }
            final long shrunk = allocator.reallocate(grown, 10, alignment, CACHE);
            for (int i = 0; i < 10; i++)
            {
                assertEquals((byte)i, memGetByte(shrunk + i));
            }
            assertEquals(0, allocator.reallocate(shrunk, 0, alignment, CACHE), "reallocate to 0 frees");
            allocator.free(zero);
            allocator.free(other);
        }
        assertEquals(0, allocator.reallocate(0, 0, 8, OBJECT));
        final long fromNull = allocator.reallocate(0, 24, 8, OBJECT);
        assertNotEquals(0, fromNull);
        allocator.free(fromNull);
        allocator.free(0);
        assertEquals(0, handler.totalCount(), handler.report());
        assertEquals(0, allocator.leakedBlocks());
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aFailedReallocateLeavesTheOriginalIntactAndValid(final boolean strict)
    {
        final DeterministicFailAllocator failing =
            new DeterministicFailAllocator(system, DeterministicFailAllocator.Mode.COUNT_AND_FAIL, 1);
        final CookieAllocator allocator = new CookieAllocator(failing, handler, CookieOptions.DEFAULT.withStrict(strict));
        final long block = allocator.allocate(64, 16, OBJECT);
        memPutLong(block, 0x1122334455667788L);
        assertEquals(0, allocator.reallocate(block, 1 << 20, 16, OBJECT));
        assertEquals(0x1122334455667788L, allocator.view(block).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        allocator.free(block);
        assertEquals(0, allocator.allocate(8, 8, OBJECT), "the delegate refuses");
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void eachMisuseHasItsKind(final boolean strict)
    {
        final CookieAllocator allocator = cookies(strict);

        // Free and misuse back to back: in header mode a double free is recognised only while the
        // delegate has not reused the memory (the JVM itself mallocs, e.g. to link a new lambda).
        final long twice = allocator.allocate(40, 8, OBJECT);
        expect(Violation.DOUBLE_FREE, twice, () ->
        {
            allocator.free(twice);
            allocator.free(twice);
        });
        final long moved = allocator.allocate(40, 8, OBJECT);
        expect(Violation.REALLOC_FREED_PTR, moved, () ->
        {
            allocator.free(moved);
            allocator.reallocate(moved, 80, 8, OBJECT);
        });

        final long libc = nmalloc(64);
        try
        {
            expect(Violation.FOREIGN_FREE, libc, () -> allocator.free(libc));
            expect(Violation.FOREIGN_FREE, libc, () -> allocator.reallocate(libc, 128, 8, OBJECT));
        }
        finally
        {
            nfree(libc);
        }

        final long block = allocator.allocate(40, 8, OBJECT);
        expect(Violation.FOREIGN_FREE, block + 8, () -> allocator.free(block + 8));
        expect(Violation.REALLOC_DIFFERENT_ALIGNMENT, block, () -> allocator.reallocate(block, 80, 16, OBJECT));

        final CookieAllocator other = cookies(strict);
        final long theirs = other.allocate(40, 8, OBJECT);
        expect(Violation.FOREIGN_FREE, theirs, () -> allocator.free(theirs));
        other.free(theirs);

        flip(block + 40);
        expect(Violation.BUFFER_OVERFLOW, block, () -> allocator.reallocate(block, 80, 8, OBJECT));
        expect(Violation.BUFFER_OVERFLOW, block, () -> allocator.free(block));
        expect(Violation.DOUBLE_FREE, block, () -> allocator.free(block)); // leaked, so never reused

        final long under = allocator.allocate(40, 8, OBJECT);
        flip(under - 1);
        expect(Violation.HEADER_CORRUPTED, under, () -> allocator.free(under));
        assertEquals(2, allocator.leakedBlocks(), "the overflowed and the underflowed block are leaked");
        assertEquals(80, allocator.leakedBytes());

        expect(Violation.INVALID_ALIGNMENT, 0, () -> allocator.allocate(8, 0, OBJECT));
        expect(Violation.INVALID_ALIGNMENT, 0, () -> allocator.allocate(8, 24, OBJECT));
        expect(Violation.INVALID_ALIGNMENT, 0, () -> allocator.allocate(8, 1L << 31, OBJECT));
        expect(Violation.INVALID_SIZE, 0, () -> allocator.allocate(Long.MAX_VALUE - 7, 8, OBJECT));
        expect(Violation.INVALID_SIZE, 0, () -> allocator.allocate(-1, 8, OBJECT));
        expect(Violation.INVALID_ALLOCATION_SCOPE, 0, () -> allocator.allocate(8, 8, null));
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aThrowingHandlerThrowsOnlyAfterTheCallWasMadeHarmless(final boolean strict)
    {
        final CookieAllocator allocator =
            new CookieAllocator(system, ViolationHandler.throwing(), CookieOptions.DEFAULT.withStrict(strict));
        final long block = allocator.allocate(40, 8, OBJECT);
        final AllocationViolationException e =
            assertThrows(AllocationViolationException.class, () -> allocator.reallocate(block, 80, 64, OBJECT));
        assertEquals(Violation.REALLOC_DIFFERENT_ALIGNMENT, e.violation());
        allocator.free(block); // still live and intact
        assertThrows(AllocationViolationException.class, () -> allocator.free(block));
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void sitesNameTheAllocatingAndTheCallingFrame(final boolean strict)
    {
        final CookieAllocator allocator = new CookieAllocator(system, handler,
            CookieOptions.DEFAULT.withStrict(strict).withCaptureSites(true));
        final long block = allocateHere(allocator);
        flip(block + 16);
        allocator.free(block);
        final List<ReportedViolation> violations = handler.violations();
        assertEquals(1, violations.size(), handler.report());
        final String detail = violations.get(0).detail();
        assertTrue(detail.contains("allocated at dev.hostalloc.cookie.CookieAllocatorTest.allocateHere(CookieAllocatorTest.java:"),
            detail);
        assertTrue(detail.contains("called from dev.hostalloc.cookie.CookieAllocatorTest.sitesNameTheAllocatingAndTheCallingFrame"),
            detail);
        assertTrue(allocator.sites().size() >= 2, "the allocating and the freeing frame");
        assertTrue(!allocator.traits().realtimeSafe());

        final long twice = allocateHere(allocator);
        freeHere(allocator, twice);
        freeHere(allocator, twice);
        final String doubleFree = handler.violations().get(1).detail();
        assertTrue(doubleFree.contains("allocated at dev.hostalloc.cookie.CookieAllocatorTest.allocateHere(") &&
            doubleFree.contains("first freed at dev.hostalloc.cookie.CookieAllocatorTest.freeHere("), doubleFree);
    }

    private static void freeHere(final CookieAllocator allocator, final long block)
    {
        allocator.free(block);
    }

    private static long allocateHere(final CookieAllocator allocator)
    {
        return allocator.allocate(16, 8, OBJECT);
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void poisonFillsFreedBlocks(final boolean strict)
    {
        final byte[] seenAtFree = new byte[1];
        final AllocationCallbacks peeking = new AllocationCallbacks()
        {
            @Override
            public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
            {
                return system.allocate(size, alignment, scope);
            }

            @Override
            public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
            {
                return system.reallocate(original, size, alignment, scope);
            }

            @Override
            public void free(final long memory)
            {
                // the block's middle, as the delegate gets it back
                seenAtFree[0] = memGetByte(memory + CookieBlockDescriptor.HEADER_LENGTH + 2048);
                system.free(memory);
            }
        };
        final CookieAllocator allocator =
            new CookieAllocator(peeking, handler, CookieOptions.DEFAULT.withStrict(strict).withPoison(true));
        final long block = allocator.allocate(4096, 16, OBJECT);
        allocator.view(block).fill((byte)1);
        allocator.free(block);
        assertEquals(CookieAllocator.POISON_BYTE, seenAtFree[0], "the freed block is poisoned");
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aBoundedViewThrowsInsteadOfOverflowing(final boolean strict)
    {
        final CookieAllocator allocator = cookies(strict);
        final long block = allocator.allocate(24, 8, OBJECT);
        final MemorySegment view = allocator.view(block);
        view.set(ValueLayout.JAVA_BYTE, 23, (byte)1);
        assertThrows(IndexOutOfBoundsException.class, () -> view.set(ValueLayout.JAVA_BYTE, 24, (byte)1));
        assertThrows(IndexOutOfBoundsException.class, () -> view.get(ValueLayout.JAVA_LONG_UNALIGNED, 20));
        allocator.free(block);
        assertEquals(0, handler.totalCount(), handler.report());
        assertThrows(IllegalArgumentException.class, () -> allocator.view(0));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 8, 64 })
    void canaryLengthsCatchOverflowsWithinThem(final int canary)
    {
        final CookieAllocator allocator =
            new CookieAllocator(system, handler, CookieOptions.DEFAULT.withCanaryLength(canary));
        final long block = allocator.allocate(13, 1, OBJECT);
        if (canary == 0)
        {
            allocator.free(block);
            assertEquals(0, handler.totalCount(), handler.report());
            return;
        }
        flip(block + 13 + canary - 1);
        allocator.free(block);
        assertEquals(1, handler.count(Violation.BUFFER_OVERFLOW), handler.report());
        assertTrue(handler.violations().get(0).detail().contains("the canary " + (canary - 8) + ".." + (canary - 1)),
            handler.report());
    }

    @org.junit.jupiter.api.Test
    void traitsFollowTheDelegate()
    {
        final CookieAllocator allocator = cookies(false);
        final AllocatorTraits traits = allocator.traits();
        assertEquals(system.traits().threadSafe(), traits.threadSafe());
        assertEquals(CookieAllocator.MAX_ALIGNMENT, traits.maxAlignment());
        assertEquals(CookieAllocator.MAX_ALIGNMENT, allocator.maxAlignment());
        assertTrue(allocator.toString().contains("header mode"), allocator.toString());
        assertTrue(cookies(true).toString().contains("strict mode"));
    }

    @org.junit.jupiter.api.Test
    void strictModeRefusesBeyondItsRegistryAndCountsIt()
    {
        final CookieAllocator allocator =
            new CookieAllocator(system, handler, CookieOptions.DEFAULT.withStrict(true).withRegistryCapacity(3));
        final Set<Long> blocks = new HashSet<>();
        for (int i = 0; i < 3; i++)
        {
            blocks.add(allocator.allocate(8, 8, OBJECT));
        }
        assertEquals(0, allocator.allocate(8, 8, OBJECT));
        assertEquals(1, allocator.registryFullFailures());
        final long any = blocks.iterator().next();
        final long moved = allocator.reallocate(any, 1 << 20, 8, OBJECT);
        assertNotEquals(0, moved, "a reallocate reuses the block's own registry slot");
        blocks.remove(any);
        blocks.add(moved);
        blocks.forEach(allocator::free);
        assertNotEquals(0, allocator.allocate(8, 8, OBJECT));
        assertEquals(0, handler.totalCount(), handler.report());
    }

    /** Damages one byte for sure: writes its complement. */
    private static void flip(final long address)
    {
        memPutByte(address, (byte)~memGetByte(address));
    }

    private void expect(final Violation kind, final long address, final Runnable misuse)
    {
        final long before = handler.totalCount();
        final long kindBefore = handler.count(kind);
        misuse.run();
        assertEquals(before + 1, handler.totalCount(), kind + ": " + handler.report());
        assertEquals(kindBefore + 1, handler.count(kind), kind + ": " + handler.report());
        if (address != 0 && handler.violations().size() > before)
        {
            assertEquals(address, handler.violations().get((int)before).address(), handler.report());
        }
    }
}
