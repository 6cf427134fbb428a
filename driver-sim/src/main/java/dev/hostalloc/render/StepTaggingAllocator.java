package dev.hostalloc.render;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers, for every live block, the renderer step ({@link RenderTrace}) during which it was
 * allocated and its scope and size: the evidence that attributes a block still live after teardown
 * to the call that made it. A test tool (locks, allocates Java heap), not a hot path.
 */
final class StepTaggingAllocator implements AllocationCallbacks
{
    private static final long NULL = 0L;

    /**
     * A live block and where it came from.
     *
     * @param step  the step that allocated it.
     * @param scope its scope.
     * @param size  its size.
     */
    record Tag(String step, SystemAllocationScope scope, long size)
    {
    }

    private final AllocationCallbacks delegate;
    private final RenderTrace trace;
    private final Map<Long, Tag> live = new HashMap<>();
    private List<String> attemptSteps;
    private final List<String> unknownFrees = new ArrayList<>();

    StepTaggingAllocator(final AllocationCallbacks delegate, final RenderTrace trace)
    {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.trace = Objects.requireNonNull(trace, "trace");
    }

    @Override
    public synchronized long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (null != attemptSteps)
        {
            attemptSteps.add(trace.step());
        }
        final long block = delegate.allocate(size, alignment, scope);
        if (NULL != block)
        {
            live.put(block, new Tag(trace.step(), scope, size));
        }
        return block;
    }

    @Override
    public synchronized long reallocate(
        final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (null != attemptSteps && !(NULL != original && 0 == size))
        {
            attemptSteps.add(trace.step());
        }
        if (NULL != original && !live.containsKey(original))
        {
            unknownFrees.add(trace.step());
        }
        final long block = delegate.reallocate(original, size, alignment, scope);
        if (NULL != original && (0 == size || NULL != block))
        {
            live.remove(original);
        }
        if (NULL != block)
        {
            live.put(block, new Tag(trace.step(), scope, size));
        }
        return block;
    }

    @Override
    public synchronized void free(final long memory)
    {
        if (null == live.remove(memory) && NULL != memory)
        {
            unknownFrees.add(trace.step());
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

    @Override
    public AllocatorTraits traits()
    {
        return delegate.traits().withThreadSafe(true).withRealtimeSafe(false);
    }

    /** Starts recording the step of every counted attempt (as DeterministicFailAllocator counts them). */
    synchronized void recordAttempts()
    {
        attemptSteps = new ArrayList<>();
    }

    /**
     * Stops recording and returns the steps.
     *
     * @return the step of attempt 0, 1, 2, ...
     */
    synchronized List<String> stopRecordingAttempts()
    {
        final List<String> steps = attemptSteps;
        attemptSteps = null;
        return steps;
    }

    synchronized List<Tag> liveTags()
    {
        return new ArrayList<>(live.values());
    }

    synchronized void forget()
    {
        live.clear();
    }

    /**
     * The steps during which a pointer that was never handed out (or already freed) was freed or
     * reallocated, since the last call; clears them.
     *
     * @return the steps, in order.
     */
    synchronized List<String> takeUnknownFrees()
    {
        final List<String> steps = new ArrayList<>(unknownFrees);
        unknownFrees.clear();
        return steps;
    }
}
