package dev.hostalloc.vulkan;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Calls the function pointers of a {@code VkAllocationCallbacks} exactly as a driver would, with raw
 * enum values (so tests can pass values no Java enum can express).
 */
@SuppressWarnings("restricted")
final class RawCallbacks
{
    private final MethodHandle allocation;
    private final MethodHandle reallocation;
    private final MethodHandle free;
    private final MethodHandle internalAllocation;
    private final MethodHandle internalFree;

    RawCallbacks(final long pAllocator)
    {
        final MemorySegment struct = MemorySegment.ofAddress(pAllocator).reinterpret(VkAllocationCallbacksDescriptor.SIZE);
        final Linker linker = Linker.nativeLinker();
        allocation = linker.downcallHandle(
            pointer(struct, VkAllocationCallbacksDescriptor.ALLOCATION_OFFSET), NativeAllocationCallbacks.ALLOCATION_DESCRIPTOR);
        reallocation = linker.downcallHandle(
            pointer(struct, VkAllocationCallbacksDescriptor.REALLOCATION_OFFSET), NativeAllocationCallbacks.REALLOCATION_DESCRIPTOR);
        free = linker.downcallHandle(
            pointer(struct, VkAllocationCallbacksDescriptor.FREE_OFFSET), NativeAllocationCallbacks.FREE_DESCRIPTOR);
        internalAllocation = linker.downcallHandle(
            pointer(struct, VkAllocationCallbacksDescriptor.INTERNAL_ALLOCATION_OFFSET),
            NativeAllocationCallbacks.INTERNAL_NOTIFICATION_DESCRIPTOR);
        internalFree = linker.downcallHandle(
            pointer(struct, VkAllocationCallbacksDescriptor.INTERNAL_FREE_OFFSET),
            NativeAllocationCallbacks.INTERNAL_NOTIFICATION_DESCRIPTOR);
    }

    long allocate(final long size, final long alignment, final int scope) throws Throwable
    {
        return (long)allocation.invokeExact(0L, size, alignment, scope);
    }

    long reallocate(final long original, final long size, final long alignment, final int scope) throws Throwable
    {
        return (long)reallocation.invokeExact(0L, original, size, alignment, scope);
    }

    void free(final long memory) throws Throwable
    {
        free.invokeExact(0L, memory);
    }

    void internalAllocation(final long size, final int type, final int scope) throws Throwable
    {
        internalAllocation.invokeExact(0L, size, type, scope);
    }

    void internalFree(final long size, final int type, final int scope) throws Throwable
    {
        internalFree.invokeExact(0L, size, type, scope);
    }

    private static MemorySegment pointer(final MemorySegment struct, final long offset)
    {
        return struct.get(ValueLayout.ADDRESS, offset);
    }
}
