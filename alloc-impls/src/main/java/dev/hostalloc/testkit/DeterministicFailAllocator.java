package dev.hostalloc.testkit;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The Vulkan CTS's {@code DeterministicFailAllocator}: in {@link Mode#COUNT_AND_FAIL} the first
 * {@code numPassingAllocations} allocations succeed and every later one returns 0; in
 * {@link Mode#DO_NOT_COUNT} everything passes through uncounted.
 *
 * <p>{@link #allocate} and {@link #reallocate} count (a reallocate of NULL is an allocation); frees
 * never fail and never count, and neither does a reallocate to size 0, which is a free (failing it
 * would leak the original, which the CTS's version does). Thread-safe (one atomic counter),
 * allocation free.
 */
public final class DeterministicFailAllocator implements AllocationCallbacks
{
    /** Whether calls are counted and failed. */
    public enum Mode
    {
        /** Everything passes through, nothing is counted. */
        DO_NOT_COUNT,
        /** Calls are counted; those past the limit fail. */
        COUNT_AND_FAIL
    }

    private final AllocationCallbacks next;
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile Mode mode;
    private volatile long numPassingAllocations;

    /**
     * Creates the allocator.
     *
     * @param next                  the callbacks that serve the passing calls.
     * @param mode                  the initial mode.
     * @param numPassingAllocations how many counted calls succeed before failures start; not negative.
     * @throws IllegalArgumentException when {@code numPassingAllocations} is negative.
     */
    public DeterministicFailAllocator(final AllocationCallbacks next, final Mode mode, final long numPassingAllocations)
    {
        if (null == next)
        {
            throw new NullPointerException("next");
        }
        this.next = next;
        reset(mode, numPassingAllocations);
    }

    /**
     * Sets the mode and the limit and zeroes the counters. Call it between runs, not during one.
     *
     * @param mode                  the new mode.
     * @param numPassingAllocations how many counted calls succeed; not negative.
     * @throws IllegalArgumentException when {@code numPassingAllocations} is negative.
     */
    public void reset(final Mode mode, final long numPassingAllocations)
    {
        if (null == mode)
        {
            throw new NullPointerException("mode");
        }
        if (numPassingAllocations < 0)
        {
            throw new IllegalArgumentException("numPassingAllocations must not be negative: " + numPassingAllocations);
        }
        this.numPassingAllocations = numPassingAllocations;
        attempts.set(0);
        failures.set(0);
        this.mode = mode;
    }

    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        return passes() ? next.allocate(size, alignment, scope) : 0;
    }

    @Override
    public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if ((original != 0 && size == 0) || passes())
        {
            return next.reallocate(original, size, alignment, scope);
        }
        return 0;
    }

    @Override
    public void free(final long memory)
    {
        next.free(memory);
    }

    @Override
    public void internalAllocationNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        next.internalAllocationNotification(size, type, scope);
    }

    @Override
    public void internalFreeNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        next.internalFreeNotification(size, type, scope);
    }

    /**
     * The next allocator's traits, unchanged: injected failures are returns of 0, which every
     * allocator may produce.
     *
     * @return the next allocator's traits.
     */
    @Override
    public AllocatorTraits traits()
    {
        return next.traits();
    }

    /**
     * Counted allocate and reallocate calls since the last reset.
     *
     * @return the count (0 in {@link Mode#DO_NOT_COUNT}).
     */
    public long attempts()
    {
        return attempts.get();
    }

    /**
     * Calls failed on purpose since the last reset.
     *
     * @return the count.
     */
    public long failures()
    {
        return failures.get();
    }

    /**
     * The current mode.
     *
     * @return the mode.
     */
    public Mode mode()
    {
        return mode;
    }

    private boolean passes()
    {
        if (mode == Mode.DO_NOT_COUNT)
        {
            return true;
        }
        if (attempts.incrementAndGet() <= numPassingAllocations)
        {
            return true;
        }
        failures.incrementAndGet();
        return false;
    }
}
