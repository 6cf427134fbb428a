package dev.hostalloc.vulkan;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.HeapAllocationMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Neither direction of the bridge allocates Java heap per call once compiled: Java →
 * {@link NativeAllocationCallbacks} (FFM downcall) → the struct of a {@link VulkanAllocationCallbacks}
 * (LWJGL upcall stub) → {@link SystemAllocator}. The thread's allocated-bytes counter must not move
 * over {@link #MEASURED} iterations after {@link #WARM_UP}.
 */
class BridgeHeapTest
{
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 100_000;

    private final SystemAllocator system = new SystemAllocator();
    private final VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(system);
    private final NativeAllocationCallbacks callbacks = new NativeAllocationCallbacks(bridge.address());
    private long block;
    private Object sink;

    @AfterEach
    void close()
    {
        bridge.close();
    }

    @Test
    void measuringSeesAHeapAllocation()
    {
        assertTrue(heapBytes(i -> sink = new long[1]) >= MEASURED, "the measurement misses heap allocation");
        sink = null;
    }

    @Test
    void allocateAndFreeThroughBothDirectionsAllocateNoHeap()
    {
        assertEquals(0, heapBytes(i -> callbacks.free(callbacks.allocate(64 + (i & 63), 16, OBJECT))));
        assertEquals(0, heapBytes(i -> callbacks.free(callbacks.allocate(64 + (i & 63), 4096, SystemAllocationScope.COMMAND))));
        assertEquals(0, bridge.violations().totalCount(), bridge.violations().report());
    }

    @Test
    void reallocateAndNotificationsAllocateNoHeap()
    {
        block = callbacks.allocate(64, 8, OBJECT);
        assertEquals(0, heapBytes(i ->
        {
            block = callbacks.reallocate(block, 1024 + (i & 255), 8, OBJECT);
            block = callbacks.reallocate(block, 32 + (i & 31), 8, OBJECT);
            callbacks.internalAllocationNotification(4096, InternalAllocationType.EXECUTABLE, OBJECT);
            callbacks.internalFreeNotification(4096, InternalAllocationType.EXECUTABLE, OBJECT);
        }));
        callbacks.free(block);
        assertEquals(0, bridge.violations().totalCount(), bridge.violations().report());
    }

    private static long heapBytes(final HeapAllocationMeter.Iteration operation)
    {
        return HeapAllocationMeter.minimumBytes(operation, WARM_UP, MEASURED, HeapAllocationMeter.DEFAULT_ROUNDS);
    }
}
