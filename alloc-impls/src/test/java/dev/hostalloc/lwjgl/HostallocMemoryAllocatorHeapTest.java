package dev.hostalloc.lwjgl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.HeapAllocationMeter;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandle;

/**
 * After warm-up the Java methods and the native entry points allocate no Java heap (over the system
 * allocator, which allocates none itself).
 */
class HostallocMemoryAllocatorHeapTest
{
    private static final HostallocMemoryAllocator ALLOCATOR = new HostallocMemoryAllocator(new SystemAllocator());
    private static final MethodHandle MALLOC =
        HostallocMemoryAllocatorNativeTest.downcall(ALLOCATOR.getMalloc(), MemoryAllocatorUpcalls.MALLOC);
    private static final MethodHandle CALLOC =
        HostallocMemoryAllocatorNativeTest.downcall(ALLOCATOR.getCalloc(), MemoryAllocatorUpcalls.CALLOC);
    private static final MethodHandle REALLOC =
        HostallocMemoryAllocatorNativeTest.downcall(ALLOCATOR.getRealloc(), MemoryAllocatorUpcalls.REALLOC);
    private static final MethodHandle FREE =
        HostallocMemoryAllocatorNativeTest.downcall(ALLOCATOR.getFree(), MemoryAllocatorUpcalls.FREE);
    private static final MethodHandle ALIGNED_ALLOC =
        HostallocMemoryAllocatorNativeTest.downcall(ALLOCATOR.getAlignedAlloc(), MemoryAllocatorUpcalls.ALIGNED_ALLOC);
    private static final MethodHandle ALIGNED_FREE =
        HostallocMemoryAllocatorNativeTest.downcall(ALLOCATOR.getAlignedFree(), MemoryAllocatorUpcalls.ALIGNED_FREE);

    @Test
    void javaMethodsAllocateNoHeap()
    {
        final long bytes = HeapAllocationMeter.minimumBytes(i ->
        {
            final HostallocMemoryAllocator a = ALLOCATOR;
            final long p = a.malloc(64 + (i & 63));
            final long q = a.realloc(p, 256 + (i & 255));
            a.free(q);
            a.free(a.calloc(4, 16 + (i & 15)));
            a.aligned_free(a.aligned_alloc(64, 128));
        });
        assertEquals(0, bytes, "heap bytes per 100k iterations of malloc/realloc/free/calloc/aligned_alloc");
        assertEquals(0, ALLOCATOR.throwableCount());
    }

    @Test
    void nativeEntryPointsAllocateNoHeap()
    {
        final long bytes = HeapAllocationMeter.minimumBytes(i ->
        {
            try
            {
                final long p = (long)MALLOC.invokeExact(64L + (i & 63));
                final long q = (long)REALLOC.invokeExact(p, 256L + (i & 255));
                FREE.invokeExact(q);
                FREE.invokeExact((long)CALLOC.invokeExact(4L, 16L));
                ALIGNED_FREE.invokeExact((long)ALIGNED_ALLOC.invokeExact(64L, 128L));
            }
            catch (final Throwable t)
            {
                throw new AssertionError(t);
            }
        });
        assertEquals(0, bytes, "heap bytes per 100k iterations through the six upcall stubs");
        assertEquals(0, ALLOCATOR.throwableCount());
    }
}
