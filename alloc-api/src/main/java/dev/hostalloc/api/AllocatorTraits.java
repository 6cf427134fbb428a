package dev.hostalloc.api;

/**
 * What an {@link AllocationCallbacks} implementation promises. Every implementation declares its
 * own; a decorator derives its traits from its delegate's (it can only weaken them, or bound them
 * further).
 *
 * @param threadSafe    calls may come from several threads at once without external locking.
 * @param realtimeSafe  every call completes in bounded time: no system calls, no lock that can park
 *                      the thread, no Java heap allocation.
 * @param maxAlignment  the largest power-of-two alignment honoured; larger requests return 0.
 * @param capacityBytes the most bytes that can be live at once, or {@link #UNBOUNDED_CAPACITY}.
 */
public record AllocatorTraits(boolean threadSafe, boolean realtimeSafe, long maxAlignment, long capacityBytes)
{
    /** Sentinel for {@link #capacityBytes()}: limited only by the system. */
    public static final long UNBOUNDED_CAPACITY = Long.MAX_VALUE;

    /**
     * What an implementation that does not declare its traits is assumed to promise: not thread-safe,
     * not real-time safe, alignments up to {@link Alignment#CONFORMANCE_MAX_ALIGNMENT}, unbounded.
     */
    public static final AllocatorTraits UNDECLARED =
        new AllocatorTraits(false, false, Alignment.CONFORMANCE_MAX_ALIGNMENT, UNBOUNDED_CAPACITY);

    /**
     * Validates the traits.
     *
     * @throws IllegalArgumentException when {@code maxAlignment} is not a power of two or
     *                                  {@code capacityBytes} is not positive.
     */
    public AllocatorTraits
    {
        if (!Alignment.isPowerOfTwo(maxAlignment) || maxAlignment < 0)
        {
            throw new IllegalArgumentException("maxAlignment must be a positive power of two: " + maxAlignment);
        }
        if (capacityBytes <= 0)
        {
            throw new IllegalArgumentException("capacityBytes must be positive: " + capacityBytes);
        }
    }

    /**
     * Whether the capacity is bounded.
     *
     * @return {@code true} unless {@link #capacityBytes()} is {@link #UNBOUNDED_CAPACITY}.
     */
    public boolean boundedCapacity()
    {
        return capacityBytes != UNBOUNDED_CAPACITY;
    }

    /**
     * A copy with another thread-safety promise.
     *
     * @param threadSafe the new value.
     * @return the copy.
     */
    public AllocatorTraits withThreadSafe(final boolean threadSafe)
    {
        return new AllocatorTraits(threadSafe, realtimeSafe, maxAlignment, capacityBytes);
    }

    /**
     * A copy with another real-time promise.
     *
     * @param realtimeSafe the new value.
     * @return the copy.
     */
    public AllocatorTraits withRealtimeSafe(final boolean realtimeSafe)
    {
        return new AllocatorTraits(threadSafe, realtimeSafe, maxAlignment, capacityBytes);
    }

    /**
     * A copy with another maximum alignment.
     *
     * @param maxAlignment the new value, a power of two.
     * @return the copy.
     */
    public AllocatorTraits withMaxAlignment(final long maxAlignment)
    {
        return new AllocatorTraits(threadSafe, realtimeSafe, maxAlignment, capacityBytes);
    }

    /**
     * A copy with another capacity.
     *
     * @param capacityBytes the new value, positive, or {@link #UNBOUNDED_CAPACITY}.
     * @return the copy.
     */
    public AllocatorTraits withCapacityBytes(final long capacityBytes)
    {
        return new AllocatorTraits(threadSafe, realtimeSafe, maxAlignment, capacityBytes);
    }
}
