package dev.hostalloc.sim;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.SystemAllocationScope;

/** Test callbacks: a delegate that declares the given traits (for compliance-level tests). */
final class DeclaredTraitsAllocator implements AllocationCallbacks
{
    private final AllocationCallbacks delegate;
    private final AllocatorTraits traits;

    DeclaredTraitsAllocator(final AllocationCallbacks delegate, final AllocatorTraits traits)
    {
        this.delegate = delegate;
        this.traits = traits;
    }

    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        return delegate.allocate(size, alignment, scope);
    }

    @Override
    public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        return delegate.reallocate(original, size, alignment, scope);
    }

    @Override
    public void free(final long memory)
    {
        delegate.free(memory);
    }

    @Override
    public AllocatorTraits traits()
    {
        return traits;
    }
}
