package dev.hostalloc.driver.vulkan;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import java.util.Objects;
import org.agrona.collections.LongHashSet;

/**
 * Keeps a driver's bugs from corrupting the process during a run: remembers every block its delegate
 * handed out and refuses (does nothing, counts) a free or reallocate of any other pointer. A driver
 * that frees memory it never allocated (seen on error paths) then shows up as a
 * {@code FREE_NOT_ALLOCATED_PTR} in the recording above it instead of a libc abort.
 *
 * <p>Thread-safe (one lock); allocates Java heap while its set grows: a test tool, not a hot path.
 */
public final class LivePointerGuard implements AllocationCallbacks
{
    private static final long NULL = 0L;

    private final AllocationCallbacks delegate;
    private final LongHashSet live = new LongHashSet();
    private long refused;

    /**
     * Guards {@code delegate}.
     *
     * @param delegate the allocator whose blocks are tracked.
     */
    public LivePointerGuard(final AllocationCallbacks delegate)
    {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public synchronized long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        final long block = delegate.allocate(size, alignment, scope);
        if (NULL != block)
        {
            live.add(block);
        }
        return block;
    }

    @Override
    public synchronized long reallocate(
        final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (NULL != original && !live.contains(original))
        {
            refused++;
            return NULL;
        }
        final long block = delegate.reallocate(original, size, alignment, scope);
        if (NULL != original && (0 == size || NULL != block))
        {
            live.remove(original);
        }
        if (NULL != block)
        {
            live.add(block);
        }
        return block;
    }

    @Override
    public synchronized void free(final long memory)
    {
        if (NULL == memory)
        {
            return;
        }
        if (!live.remove(memory))
        {
            refused++;
            return;
        }
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
     * The delegate's traits, thread-safe since the guard locks.
     *
     * @return the traits.
     */
    @Override
    public AllocatorTraits traits()
    {
        return delegate.traits().withThreadSafe(true).withRealtimeSafe(false);
    }

    /**
     * Frees and reallocates of pointers the delegate never handed out (or already took back).
     *
     * @return the count.
     */
    public synchronized long refusedCount()
    {
        return refused;
    }

    /**
     * Blocks handed out and not yet freed.
     *
     * @return the count.
     */
    public synchronized int liveCount()
    {
        return live.size();
    }
}
