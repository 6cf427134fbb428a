package dev.hostalloc.testkit;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;

import java.util.Objects;

/**
 * Passes every call through to a delegate but declares other {@link AllocatorTraits}: for tests of
 * code that reacts to traits (the conformance kit's concurrency check, compliance levels, the kit's
 * maximum-alignment check). It changes no behaviour, only the promise.
 */
public final class DeclaredTraitsAllocator implements AllocationCallbacks
{
    private final AllocationCallbacks delegate;
    private final AllocatorTraits traits;

    /**
     * Wraps {@code delegate}, declaring {@code traits}.
     *
     * @param delegate the callbacks that do the work.
     * @param traits   what to declare instead of the delegate's traits.
     * @throws NullPointerException when an argument is {@code null}.
     */
    public DeclaredTraitsAllocator(final AllocationCallbacks delegate, final AllocatorTraits traits)
    {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.traits = Objects.requireNonNull(traits, "traits");
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
    public void internalAllocationNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        delegate.internalAllocationNotification(size, type, scope);
    }

    @Override
    public void internalFreeNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        delegate.internalFreeNotification(size, type, scope);
    }

    /**
     * The declared traits.
     *
     * @return the traits given at construction.
     */
    @Override
    public AllocatorTraits traits()
    {
        return traits;
    }
}
