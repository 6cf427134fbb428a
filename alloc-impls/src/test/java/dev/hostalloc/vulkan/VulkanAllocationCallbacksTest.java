package dev.hostalloc.vulkan;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.AllocationRecord;
import dev.hostalloc.testkit.RecordingAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lwjgl.vulkan.VkAllocationCallbacks;

/** The bridge as a driver sees it: its function pointers called from native code (an FFM downcall). */
class VulkanAllocationCallbacksTest
{
    private static final int INVALID_SCOPE = SystemAllocationScope.COUNT;
    private static final int INVALID_TYPE = InternalAllocationType.COUNT;

    @Test
    void structPointsAtTheKeptStubsAndNeverChanges()
    {
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(new SystemAllocator()))
        {
            final VkAllocationCallbacks struct = bridge.struct();
            assertSame(struct, bridge.struct());
            assertEquals(struct.address(), bridge.address());
            assertEquals(0L, struct.pUserData());
            final long allocation = struct.pfnAllocation().address();
            final long reallocation = struct.pfnReallocation().address();
            final long free = struct.pfnFree().address();
            final long internalAllocation = struct.pfnInternalAllocation().address();
            final long internalFree = struct.pfnInternalFree().address();
            for (final long pfn : new long[] { allocation, reallocation, free, internalAllocation, internalFree })
            {
                assertNotEquals(0L, pfn);
            }
            // Reading the struct again gives the same stubs: no call made a new one.
            assertEquals(allocation, bridge.struct().pfnAllocation().address());
            assertEquals(reallocation, bridge.struct().pfnReallocation().address());
            assertEquals(free, bridge.struct().pfnFree().address());
            assertEquals(internalAllocation, bridge.struct().pfnInternalAllocation().address());
            assertEquals(internalFree, bridge.struct().pfnInternalFree().address());
        }
    }

    @Test
    void driverCallsReachTheDelegateWithTheirScopes() throws Throwable
    {
        final RecordingAllocator recorder = new RecordingAllocator(new SystemAllocator());
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(recorder))
        {
            final RawCallbacks driver = new RawCallbacks(bridge.address());
            final long a = driver.allocate(100, 64, SystemAllocationScope.INSTANCE.value());
            assertNotEquals(0L, a);
            assertEquals(0L, a & 63);
            final long b = driver.reallocate(a, 5000, 64, SystemAllocationScope.INSTANCE.value());
            assertNotEquals(0L, b);
            assertEquals(0L, driver.reallocate(b, 0, 64, SystemAllocationScope.INSTANCE.value()));
            final long c = driver.allocate(24, 8, SystemAllocationScope.COMMAND.value());
            driver.free(c);
            driver.free(0L);
            driver.internalAllocation(4096, InternalAllocationType.EXECUTABLE.ordinal(), SystemAllocationScope.DEVICE.value());
            driver.internalFree(4096, InternalAllocationType.EXECUTABLE.ordinal(), SystemAllocationScope.DEVICE.value());

            final List<AllocationRecord> records = recorder.records();
            assertEquals(8, records.size(), records.toString());
            assertEquals(new AllocationRecord(AllocationRecord.Kind.ALLOCATION, 0, 100, 64, 4, -1, a), records.get(0));
            assertEquals(new AllocationRecord(AllocationRecord.Kind.REALLOCATION, a, 5000, 64, 4, -1, b), records.get(1));
            assertEquals(AllocationRecord.Kind.REALLOCATION, records.get(2).kind());
            assertEquals(0L, records.get(2).size());
            assertEquals(0, records.get(3).scope());
            assertEquals(new AllocationRecord(AllocationRecord.Kind.FREE, c, 0, 0, -1, -1, 0), withoutSizes(records.get(4)));
            assertEquals(AllocationRecord.Kind.FREE, records.get(5).kind());
            assertEquals(0L, records.get(5).original());
            assertEquals(AllocationRecord.Kind.INTERNAL_ALLOCATION, records.get(6).kind());
            assertEquals(4096L, records.get(6).size());
            assertEquals(3, records.get(6).scope());
            assertEquals(0, records.get(6).internalType());
            assertEquals(AllocationRecord.Kind.INTERNAL_FREE, records.get(7).kind());
            assertEquals(0, recorder.validate().check(0).violations().size(), recorder.validate().check(0).text());
            assertEquals(0, recorder.validate().liveBlocks().size());
            assertEquals(0, bridge.violations().totalCount(), bridge.violations().report());
        }
    }

    @Test
    void invalidScopesAndTypesAreReportedAndNeverReachTheDelegate() throws Throwable
    {
        final RecordingAllocator recorder = new RecordingAllocator(new SystemAllocator());
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(recorder))
        {
            final RawCallbacks driver = new RawCallbacks(bridge.address());
            assertEquals(0L, driver.allocate(64, 8, INVALID_SCOPE));
            assertEquals(0L, driver.allocate(64, 8, -1));
            assertEquals(0L, driver.reallocate(0L, 64, 8, INVALID_SCOPE));
            driver.internalAllocation(64, INVALID_TYPE, 0);
            driver.internalFree(64, 0, INVALID_SCOPE);

            final RecordingViolationHandler violations = bridge.violations();
            assertEquals(4, violations.count(Violation.INVALID_ALLOCATION_SCOPE), violations.report());
            assertEquals(1, violations.count(Violation.INVALID_INTERNAL_ALLOCATION_TYPE), violations.report());
            assertEquals(0, recorder.recordCount());
        }
    }

    @Test
    void aThrowingDelegatesViolationIsRecordedWithItsKindAndNothingCrossesIntoNativeCode() throws Throwable
    {
        final SystemAllocator throwing = new SystemAllocator(ViolationHandler.throwing());
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(throwing))
        {
            final RawCallbacks driver = new RawCallbacks(bridge.address());
            assertEquals(0L, driver.allocate(64, 3, OBJECT.value()));
            assertEquals(1, bridge.violations().count(Violation.INVALID_ALIGNMENT), bridge.violations().report());
            assertEquals(0, bridge.delegateThrowableCount());
            // Still works afterwards.
            final long block = driver.allocate(64, 16, OBJECT.value());
            assertNotEquals(0L, block);
            driver.free(block);
        }
    }

    @Test
    void anyOtherThrowableIsCountedKeptAndTurnedIntoNullOrNoOp() throws Throwable
    {
        final IllegalStateException boom = new IllegalStateException("delegate bug");
        final AllocationCallbacks broken = new AllocationCallbacks()
        {
            @Override
            public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
            {
                throw boom;
            }

            @Override
            public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
            {
                throw new OutOfMemoryError("simulated");
            }

            @Override
            public void free(final long memory)
            {
                throw new NullPointerException("simulated");
            }

            @Override
            public void internalAllocationNotification(
                final long size, final InternalAllocationType type, final SystemAllocationScope scope)
            {
                throw new AssertionError("simulated");
            }
        };
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(broken))
        {
            final RawCallbacks driver = new RawCallbacks(bridge.address());
            assertEquals(0L, driver.allocate(64, 8, OBJECT.value()));
            assertEquals(0L, driver.reallocate(0L, 64, 8, OBJECT.value()));
            driver.free(0x1000L);
            driver.internalAllocation(64, 0, 0);
            assertEquals(4, bridge.delegateThrowableCount());
            assertSame(boom, bridge.firstDelegateThrowable());
            assertEquals(0, bridge.violations().totalCount());
        }
    }

    @Test
    void closeIsIdempotentAndTheStructIsGoneAfterwards()
    {
        final SystemAllocator system = new SystemAllocator();
        final VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(system);
        assertSame(system, bridge.callbacks());
        assertTrue(!bridge.isClosed());
        bridge.close();
        bridge.close();
        assertTrue(bridge.isClosed());
        assertThrows(IllegalStateException.class, bridge::struct);
        assertThrows(IllegalStateException.class, bridge::address);
        assertThrows(NullPointerException.class, () -> new VulkanAllocationCallbacks(null));
    }

    private static AllocationRecord withoutSizes(final AllocationRecord r)
    {
        return new AllocationRecord(r.kind(), r.original(), 0, 0, r.scope(), r.internalType(), r.returned());
    }
}
