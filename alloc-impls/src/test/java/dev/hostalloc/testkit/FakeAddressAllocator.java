package dev.hostalloc.testkit;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.SystemAllocationScope;

/** Hands out distinct fake addresses without touching memory: enough to test bookkeeping. */
class FakeAddressAllocator implements AllocationCallbacks
{
    private static final long BLOCK_STRIDE = 0x1_0000;
    private long next = 0x10_0000;
    int frees;

    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (size == 0)
        {
            return 0;
        }
        final long address = next;
        next += BLOCK_STRIDE;
        return address;
    }

    @Override
    public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (size == 0)
        {
            free(original);
            return 0;
        }
        return allocate(size, alignment, scope);
    }

    @Override
    public void free(final long memory)
    {
        if (memory != 0)
        {
            frees++;
        }
    }
}
