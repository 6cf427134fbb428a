package dev.hostalloc.lwjgl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.AllocationRecord;
import dev.hostalloc.testkit.RecordingAllocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lwjgl.system.MemoryUtil;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The six native function pointers, called as native code calls them (a {@code java.lang.foreign}
 * downcall on the pointer), reach the same stack as the Java methods.
 */
class HostallocMemoryAllocatorNativeTest
{
    private RecordingViolationHandler violations;
    private RecordingAllocator recording;
    private HostallocMemoryAllocator allocator;
    private MethodHandle malloc;
    private MethodHandle calloc;
    private MethodHandle realloc;
    private MethodHandle free;
    private MethodHandle alignedAlloc;
    private MethodHandle alignedFree;

    @BeforeEach
    void setUp()
    {
        violations = ViolationHandler.recordAndCount();
        recording = new RecordingAllocator(new SystemAllocator(violations));
        allocator = new HostallocMemoryAllocator(recording, SystemAllocationScope.OBJECT, violations);
        malloc = downcall(allocator.getMalloc(), MemoryAllocatorUpcalls.MALLOC);
        calloc = downcall(allocator.getCalloc(), MemoryAllocatorUpcalls.CALLOC);
        realloc = downcall(allocator.getRealloc(), MemoryAllocatorUpcalls.REALLOC);
        free = downcall(allocator.getFree(), MemoryAllocatorUpcalls.FREE);
        alignedAlloc = downcall(allocator.getAlignedAlloc(), MemoryAllocatorUpcalls.ALIGNED_ALLOC);
        alignedFree = downcall(allocator.getAlignedFree(), MemoryAllocatorUpcalls.ALIGNED_FREE);
    }

    @Test
    void sixDistinctPointersMadeOnce()
    {
        final Set<Long> pointers = new HashSet<>(List.of(allocator.getMalloc(), allocator.getCalloc(),
            allocator.getRealloc(), allocator.getFree(), allocator.getAlignedAlloc(), allocator.getAlignedFree()));
        assertEquals(6, pointers.size());
        assertTrue(pointers.stream().allMatch(p -> p != 0));
        assertEquals(allocator.getMalloc(), allocator.getMalloc(), "the same stub on every call");
        assertEquals(allocator.getFree(), allocator.getFree(), "the same stub on every call");
    }

    @Test
    void nativeMallocReallocFreeReachTheStack() throws Throwable
    {
        final long p = (long)malloc.invokeExact(100L);
        assertNotEquals(0, p);
        MemoryUtil.memPutInt(p, 0x5eed);
        final long q = (long)realloc.invokeExact(p, 5000L);
        assertNotEquals(0, q);
        assertEquals(0x5eed, MemoryUtil.memGetInt(q));
        free.invokeExact(q);
        free.invokeExact(0L);

        final List<AllocationRecord> records = recording.records();
        assertEquals(3, records.size(), records.toString());
        assertEquals(AllocationRecord.Kind.ALLOCATION, records.get(0).kind());
        assertEquals(100, records.get(0).size());
        assertEquals(HostallocMemoryAllocator.DEFAULT_ALIGNMENT, records.get(0).alignment());
        assertEquals(SystemAllocationScope.OBJECT, records.get(0).scopeOrNull());
        assertEquals(AllocationRecord.Kind.REALLOCATION, records.get(1).kind());
        assertEquals(5000, records.get(1).size());
        assertEquals(AllocationRecord.Kind.FREE, records.get(2).kind());
        assertEquals(q, records.get(2).original());
        assertTrue(recording.validate().check(0).passed(), recording.validate().check(0).text());
    }

    @Test
    void nativeCallocZeroesAndNativeAlignedAllocAligns() throws Throwable
    {
        final long z = (long)calloc.invokeExact(16L, 16L);
        assertNotEquals(0, z);
        for (int i = 0; i < 256; i++)
        {
            assertEquals(0, MemoryUtil.memGetByte(z + i));
        }
        final long a = (long)alignedAlloc.invokeExact(4096L, 100L);
        assertNotEquals(0, a);
        assertEquals(0, a % 4096);
        alignedFree.invokeExact(a);
        free.invokeExact(z);

        final List<AllocationRecord> records = recording.records();
        assertEquals(256, records.get(0).size());
        assertEquals(4096, records.get(1).alignment());
        assertTrue(recording.validate().check(0).passed(), recording.validate().check(0).text());
    }

    @Test
    void badNativeInputReturnsNullAndIsReportedInsteadOfCrashing() throws Throwable
    {
        assertEquals(0, (long)calloc.invokeExact(1L << 40, 1L << 40));
        assertEquals(0, (long)alignedAlloc.invokeExact(24L, 48L));
        assertEquals(1, violations.count(Violation.INVALID_SIZE));
        assertEquals(1, violations.count(Violation.INVALID_ALIGNMENT));
    }

    @Test
    void aThrowingStackBehindANativeCallReturnsNull() throws Throwable
    {
        final HostallocMemoryAllocator onThrowing = new HostallocMemoryAllocator(new AllocationCallbacks()
        {
            @Override
            public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
            {
                throw new IllegalStateException("allocate");
            }

            @Override
            public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
            {
                throw new IllegalStateException("reallocate");
            }

            @Override
            public void free(final long memory)
            {
                throw new IllegalStateException("free");
            }
        });
        final MethodHandle throwingMalloc = downcall(onThrowing.getMalloc(), MemoryAllocatorUpcalls.MALLOC);
        final MethodHandle throwingFree = downcall(onThrowing.getFree(), MemoryAllocatorUpcalls.FREE);
        assertEquals(0, (long)throwingMalloc.invokeExact(64L));
        throwingFree.invokeExact(0x1000L);
        assertEquals(2, onThrowing.throwableCount());
    }

    static MethodHandle downcall(final long function, final FunctionDescriptor descriptor)
    {
        return Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(function), descriptor);
    }
}
