package dev.hostalloc.tests.audit;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;

import java.util.Objects;

/**
 * The decorator {@link AllocationAudit#watch(AllocationCallbacks)} returns: tells every running
 * audit about each call made on its thread, then delegates. Same semantics and traits as the
 * delegate; allocates nothing; one volatile read per call while no audit runs.
 */
final class AuditedAllocationCallbacks implements AllocationCallbacks
{
    private final AllocationCallbacks delegate;

    AuditedAllocationCallbacks(final AllocationCallbacks delegate)
    {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        AllocationAudit.onHostOperation(HostOperation.Kind.ALLOCATE, size, alignment, scope, 0L);
        return delegate.allocate(size, alignment, scope);
    }

    @Override
    public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (size == 0)
        {
            AllocationAudit.onHostOperation(HostOperation.Kind.FREE, 0L, 0L, scope, original);
        }
        else
        {
            AllocationAudit.onHostOperation(HostOperation.Kind.REALLOCATE, size, alignment, scope, original);
        }
        return delegate.reallocate(original, size, alignment, scope);
    }

    @Override
    public void free(final long memory)
    {
        if (memory != 0L)
        {
            AllocationAudit.onHostOperation(HostOperation.Kind.FREE, 0L, 0L, null, memory);
        }
        delegate.free(memory);
    }

    @Override
    public void internalAllocationNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        AllocationAudit.onHostOperation(HostOperation.Kind.INTERNAL_ALLOCATION, size, 0L, scope, 0L);
        delegate.internalAllocationNotification(size, type, scope);
    }

    @Override
    public void internalFreeNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        AllocationAudit.onHostOperation(HostOperation.Kind.INTERNAL_FREE, size, 0L, scope, 0L);
        delegate.internalFreeNotification(size, type, scope);
    }

    /**
     * The delegate's traits: watching adds no lock and no allocation.
     *
     * @return the delegate's traits.
     */
    @Override
    public AllocatorTraits traits()
    {
        return delegate.traits();
    }

    @Override
    public String toString()
    {
        return "audit," + delegate;
    }
}
