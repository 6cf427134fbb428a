package dev.hostalloc.vulkan;

import static dev.hostalloc.api.SystemAllocationScope.CACHE;
import static dev.hostalloc.api.SystemAllocationScope.DEVICE;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.AllocationRecord;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationReport;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Round trip: Java code on {@link NativeAllocationCallbacks} over the native struct of a
 * {@link VulkanAllocationCallbacks} over a recorded {@link SystemAllocator}. Every call goes Java →
 * downcall → upcall stub → Java, as an embedder's C callbacks would be reached.
 */
@SuppressWarnings("restricted")
class NativeAllocationCallbacksTest
{
    private static final long[] ALIGNMENTS = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 4096, Alignment.CONFORMANCE_MAX_ALIGNMENT };

    @Test
    void roundTripBehavesPerSpec()
    {
        final RecordingAllocator recorder = new RecordingAllocator(new SystemAllocator());
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(recorder))
        {
            final NativeAllocationCallbacks callbacks = new NativeAllocationCallbacks(bridge.address());
            assertEquals(bridge.address(), callbacks.address());
            assertEquals(0L, callbacks.userData());
            assertTrue(callbacks.hasInternalNotifications());
            assertSame(AllocatorTraits.UNDECLARED, callbacks.traits());

            for (final long alignment : ALIGNMENTS)
            {
                final long size = 3 * alignment + 5;
                final long block = callbacks.allocate(size, alignment, OBJECT);
                assertNotEquals(0L, block, "alignment " + alignment);
                assertTrue(Alignment.isAligned(block, alignment), "alignment " + alignment);
                final MemorySegment bytes = MemorySegment.ofAddress(block).reinterpret(size);
                for (long i = 0; i < size; i++)
                {
                    bytes.set(ValueLayout.JAVA_BYTE, i, (byte)i);
                }

                final long grown = callbacks.reallocate(block, size * 4 + 1000, alignment, OBJECT);
                assertNotEquals(0L, grown);
                assertTrue(Alignment.isAligned(grown, alignment));
                assertContent(grown, size);

                final long shrunk = callbacks.reallocate(grown, size / 2 + 1, alignment, OBJECT);
                assertNotEquals(0L, shrunk);
                assertTrue(Alignment.isAligned(shrunk, alignment));
                assertContent(shrunk, size / 2 + 1);
                callbacks.free(shrunk);
            }

            final long viaRealloc = callbacks.reallocate(0L, 256, 32, CACHE);
            assertNotEquals(0L, viaRealloc);
            assertEquals(0L, callbacks.reallocate(viaRealloc, 0, 32, CACHE));

            final long empty = callbacks.allocate(0, 16, OBJECT); // reaches the Java side: a unique block
            assertNotEquals(0L, empty);
            assertTrue(Alignment.isAligned(empty, 16));
            callbacks.free(empty);
            callbacks.free(0L);

            callbacks.internalAllocationNotification(8192, InternalAllocationType.EXECUTABLE, DEVICE);
            callbacks.internalFreeNotification(8192, InternalAllocationType.EXECUTABLE, DEVICE);

            final List<AllocationRecord> records = recorder.records();
            // Per alignment: allocate, grow, shrink, free; then realloc(NULL), realloc(p, 0), allocate(0), free,
            // two notifications.
            assertEquals(4 * ALIGNMENTS.length + 6, records.size(), records.toString());
            final AllocationRecord first = records.get(0);
            assertEquals(AllocationRecord.Kind.ALLOCATION, first.kind());
            assertEquals(OBJECT.value(), first.scope());
            assertEquals(ALIGNMENTS[0], first.alignment());
            final AllocationRecord last = records.get(records.size() - 1);
            assertEquals(AllocationRecord.Kind.INTERNAL_FREE, last.kind());
            assertEquals(DEVICE.value(), last.scope());
            assertEquals(8192L, last.size());

            final ValidationReport report = recorder.validate().check(0);
            assertTrue(report.passed(), report.text());
            assertEquals(0, bridge.violations().totalCount(), bridge.violations().report());
        }
    }

    @Test
    void invalidRequestsAreRefusedOnTheJavaSideAndReported()
    {
        final RecordingAllocator recorder = new RecordingAllocator(new SystemAllocator());
        final RecordingViolationHandler handler = new RecordingViolationHandler(8);
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(recorder))
        {
            final NativeAllocationCallbacks callbacks =
                new NativeAllocationCallbacks(bridge.address(), AllocatorTraits.UNDECLARED, handler);
            assertSame(handler, callbacks.violationHandler());
            assertEquals(0L, callbacks.allocate(-1, 8, OBJECT));
            assertEquals(0L, callbacks.allocate(64, 3, OBJECT));
            assertEquals(0L, callbacks.allocate(64, 0, OBJECT));
            assertEquals(0L, callbacks.allocate(64, Alignment.CONFORMANCE_MAX_ALIGNMENT * 2, OBJECT));
            assertEquals(0L, callbacks.allocate(64, Long.MIN_VALUE, OBJECT));
            assertEquals(0L, callbacks.allocate(64, 8, null));
            assertEquals(0L, callbacks.reallocate(0L, 64, 8, null));
            callbacks.internalAllocationNotification(64, null, DEVICE);
            callbacks.internalFreeNotification(64, InternalAllocationType.EXECUTABLE, null);

            assertEquals(1, handler.count(Violation.INVALID_SIZE), handler.report());
            assertEquals(4, handler.count(Violation.INVALID_ALIGNMENT), handler.report());
            assertEquals(3, handler.count(Violation.INVALID_ALLOCATION_SCOPE), handler.report());
            assertEquals(1, handler.count(Violation.INVALID_INTERNAL_ALLOCATION_TYPE), handler.report());
            assertEquals(0, recorder.recordCount(), "nothing reached the native side");
        }
    }

    @Test
    void declaredTraitsAreKept()
    {
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(new SystemAllocator()))
        {
            final AllocatorTraits traits = new AllocatorTraits(true, false, 1 << 20, AllocatorTraits.UNBOUNDED_CAPACITY);
            final NativeAllocationCallbacks callbacks = new NativeAllocationCallbacks(bridge.address(), traits);
            assertSame(traits, callbacks.traits());
            final long block = callbacks.allocate(10, 1 << 20, SystemAllocationScope.INSTANCE);
            assertNotEquals(0L, block);
            assertTrue(Alignment.isAligned(block, 1 << 20));
            callbacks.free(block);
        }
    }

    @Test
    void wrapTimeValidationNamesTheVuid()
    {
        try (VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(new SystemAllocator());
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment original = MemorySegment.ofAddress(bridge.address()).reinterpret(VkAllocationCallbacksDescriptor.SIZE);
            final MemorySegment copy = arena.allocate(VkAllocationCallbacksDescriptor.SIZE, VkAllocationCallbacksDescriptor.ALIGNMENT);

            assertVuid(copy, original, VkAllocationCallbacksDescriptor.ALLOCATION_OFFSET,
                VkAllocationCallbacksDescriptor.VUID_PFN_ALLOCATION);
            assertVuid(copy, original, VkAllocationCallbacksDescriptor.REALLOCATION_OFFSET,
                VkAllocationCallbacksDescriptor.VUID_PFN_REALLOCATION);
            assertVuid(copy, original, VkAllocationCallbacksDescriptor.FREE_OFFSET,
                VkAllocationCallbacksDescriptor.VUID_PFN_FREE);
            assertVuid(copy, original, VkAllocationCallbacksDescriptor.INTERNAL_ALLOCATION_OFFSET,
                VkAllocationCallbacksDescriptor.VUID_PFN_INTERNAL_PAIR);
            assertVuid(copy, original, VkAllocationCallbacksDescriptor.INTERNAL_FREE_OFFSET,
                VkAllocationCallbacksDescriptor.VUID_PFN_INTERNAL_PAIR);

            // Both internal notifications NULL is valid: notifications are then dropped.
            copy.copyFrom(original);
            copy.set(ValueLayout.JAVA_LONG, VkAllocationCallbacksDescriptor.INTERNAL_ALLOCATION_OFFSET, 0L);
            copy.set(ValueLayout.JAVA_LONG, VkAllocationCallbacksDescriptor.INTERNAL_FREE_OFFSET, 0L);
            final NativeAllocationCallbacks withoutNotifications = new NativeAllocationCallbacks(copy.address());
            assertFalse(withoutNotifications.hasInternalNotifications());
            withoutNotifications.internalAllocationNotification(64, InternalAllocationType.EXECUTABLE, DEVICE);

            // pUserData is read at wrap time and passed through.
            copy.copyFrom(original);
            copy.set(ValueLayout.JAVA_LONG, VkAllocationCallbacksDescriptor.USER_DATA_OFFSET, 0xC0FFEEL);
            assertEquals(0xC0FFEEL, new NativeAllocationCallbacks(copy.address()).userData());

            final IllegalArgumentException nullStruct = assertThrows(IllegalArgumentException.class,
                () -> new NativeAllocationCallbacks(0L));
            assertTrue(nullStruct.getMessage().contains("NULL"), nullStruct.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new NativeAllocationCallbacks(copy.address() + 1));
        }
    }

    private static void assertVuid(
        final MemorySegment copy, final MemorySegment original, final long offset, final String vuid)
    {
        copy.copyFrom(original);
        copy.set(ValueLayout.JAVA_LONG, offset, 0L);
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> new NativeAllocationCallbacks(copy.address()));
        assertTrue(e.getMessage().startsWith(vuid), e.getMessage());
    }

    private static void assertContent(final long block, final long size)
    {
        final MemorySegment bytes = MemorySegment.ofAddress(block).reinterpret(size);
        for (long i = 0; i < size; i++)
        {
            assertEquals((byte)i, bytes.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
        }
    }
}
