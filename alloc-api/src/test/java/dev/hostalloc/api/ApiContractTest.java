package dev.hostalloc.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiContractTest
{
    @Test
    void scopeOrdinalsAreVulkanValues()
    {
        // VK_SYSTEM_ALLOCATION_SCOPE_COMMAND = 0 ... VK_SYSTEM_ALLOCATION_SCOPE_INSTANCE = 4
        assertEquals(0, SystemAllocationScope.COMMAND.value());
        assertEquals(1, SystemAllocationScope.OBJECT.value());
        assertEquals(2, SystemAllocationScope.CACHE.value());
        assertEquals(3, SystemAllocationScope.DEVICE.value());
        assertEquals(4, SystemAllocationScope.INSTANCE.value());
        assertEquals(SystemAllocationScope.values().length, SystemAllocationScope.COUNT);
        assertEquals(0b11111, SystemAllocationScope.ALL_SCOPES_MASK);
        assertEquals(0b1000, SystemAllocationScope.DEVICE.bit());
        assertEquals(0, InternalAllocationType.EXECUTABLE.ordinal());
    }

    @Test
    void rawScopeLookupNeverThrowsButStrictLookupExplains()
    {
        assertSame(SystemAllocationScope.CACHE, SystemAllocationScope.fromValueOrNull(2));
        assertNull(SystemAllocationScope.fromValueOrNull(5));
        assertNull(SystemAllocationScope.fromValueOrNull(-1));
        assertNull(InternalAllocationType.fromValueOrNull(1));
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> SystemAllocationScope.fromValue(9));
        assertEquals("VkSystemAllocationScope value 9 is out of range 0..4", e.getMessage());
    }

    @Test
    void mostSpecificAllocatorWins()
    {
        final AllocationCallbacks device = new NullCallbacks();
        final AllocationCallbacks object = new NullCallbacks();
        assertSame(object, AllocationCallbacks.select(object, device));
        assertSame(device, AllocationCallbacks.select(null, device));
        assertNull(AllocationCallbacks.select(null, null));
    }

    @Test
    void undeclaredTraitsAreConservative()
    {
        final AllocatorTraits traits = new NullCallbacks().traits();
        assertFalse(traits.threadSafe());
        assertFalse(traits.realtimeSafe());
        assertEquals(Alignment.CONFORMANCE_MAX_ALIGNMENT, traits.maxAlignment());
        assertFalse(traits.boundedCapacity());
        assertTrue(traits.withCapacityBytes(1 << 20).boundedCapacity());
        assertThrows(IllegalArgumentException.class, () -> traits.withMaxAlignment(48));
        assertThrows(IllegalArgumentException.class, () -> traits.withCapacityBytes(0));
    }

    @Test
    void alignmentArithmetic()
    {
        assertTrue(Alignment.isPowerOfTwo(1));
        assertTrue(Alignment.isPowerOfTwo(1L << 62));
        assertFalse(Alignment.isPowerOfTwo(0));
        assertFalse(Alignment.isPowerOfTwo(12));
        assertTrue(Alignment.isPowerOfTwo(Long.MIN_VALUE)); // 2^63 read as unsigned
        assertEquals(64, Alignment.alignUp(33, 32));
        assertEquals(32, Alignment.alignUp(32, 32));
        assertTrue(Alignment.isAligned(4096, 4096));
        assertFalse(Alignment.isAligned(4100, 8));
    }

    @Test
    void throwingHandlerNamesTheViolation()
    {
        final AllocationViolationException e = assertThrows(AllocationViolationException.class,
            () -> ViolationHandler.throwing().onViolation(
                Violation.DOUBLE_FREE, 0x7f001000L, 64, SystemAllocationScope.OBJECT, "allocated at Foo.bar"));
        assertEquals(Violation.DOUBLE_FREE, e.violation());
        assertEquals(0x7f001000L, e.address());
        assertEquals(
            "DOUBLE_FREE at 0x7f001000 (64 bytes, scope OBJECT): memory freed twice; allocated at Foo.bar",
            e.getMessage());
    }

    @Test
    void recordingHandlerCountsAndKeepsTheFirstDetails() throws InterruptedException
    {
        final RecordingViolationHandler handler = new RecordingViolationHandler(2);
        assertEquals("no violations", handler.report());
        handler.onViolation(Violation.INVALID_ALIGNMENT, 0, 64, SystemAllocationScope.COMMAND, "alignment 3");
        handler.onViolation(Violation.INVALID_SIZE, 0, -1, SystemAllocationScope.COMMAND, null);
        handler.onViolation(Violation.INVALID_SIZE, 0, -2, SystemAllocationScope.COMMAND, null);
        assertEquals(3, handler.totalCount());
        assertEquals(2, handler.count(Violation.INVALID_SIZE));
        assertEquals(2, handler.violations().size());
        assertEquals(Violation.INVALID_ALIGNMENT, handler.violations().get(0).violation());
        final String report = handler.report();
        assertTrue(report.startsWith("3 violations: INVALID_ALIGNMENT=1 INVALID_SIZE=2"), report);
        assertTrue(report.contains("(1 more counted, details not kept)"), report);

        final RecordingViolationHandler concurrent = ViolationHandler.recordAndCount();
        final Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++)
        {
            threads[t] = new Thread(() ->
            {
                for (int i = 0; i < 10_000; i++)
                {
                    concurrent.onViolation(Violation.DOUBLE_FREE, i, 0, null, null);
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(80_000, concurrent.count(Violation.DOUBLE_FREE));
        assertEquals(RecordingViolationHandler.DEFAULT_DETAIL_CAPACITY, concurrent.violations().size());
    }

    @Test
    void policiesParseByName()
    {
        assertEquals(ViolationPolicy.RECORD_AND_COUNT, ViolationPolicy.parse("record-and-count"));
        assertEquals(ViolationPolicy.THROW, ViolationPolicy.parse(" Throw "));
        assertSame(ViolationHandler.throwing(), ViolationPolicy.THROW.newHandler());
        assertTrue(ViolationPolicy.RECORD_AND_COUNT.newHandler() instanceof RecordingViolationHandler);
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> ViolationPolicy.parse("ignore"));
        assertEquals("unknown violation policy 'ignore'; valid: throw, record-and-count, abort", e.getMessage());
    }

    /** Implements only the three mandatory callbacks, returning failure. */
    private static final class NullCallbacks implements AllocationCallbacks
    {
        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            return 0;
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            return 0;
        }

        @Override
        public void free(final long memory)
        {
        }
    }
}
