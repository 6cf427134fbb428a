package dev.hostalloc.sim;

import dev.hostalloc.api.AllocatorTraits;

/**
 * A device's compliance level: what it requires of the {@link AllocatorTraits} of every set of
 * callbacks it allocates with (proposed in the LV2 real-time-safe memory pool discussion). A
 * real-time device, for instance, requires real-time-safe callbacks with a bounded capacity, so
 * nothing on its paths can make a system call or grow without limit.
 *
 * @param realtimeSafe    the callbacks must declare {@link AllocatorTraits#realtimeSafe()}.
 * @param boundedCapacity the callbacks must declare a bounded {@link AllocatorTraits#capacityBytes()}.
 * @param threadSafe      the callbacks must declare {@link AllocatorTraits#threadSafe()}.
 */
public record AllocatorRequirements(boolean realtimeSafe, boolean boundedCapacity, boolean threadSafe)
{
    /** No requirement: any callbacks will do (a standard Vulkan device). */
    public static final AllocatorRequirements NONE = new AllocatorRequirements(false, false, false);

    /** A real-time device: real-time-safe callbacks with a bounded capacity. */
    public static final AllocatorRequirements REALTIME = new AllocatorRequirements(true, true, false);

    private static final int REALTIME_SAFE_FLAG = 1;
    private static final int BOUNDED_CAPACITY_FLAG = 2;
    private static final int THREAD_SAFE_FLAG = 4;

    /**
     * The requirements packed into flags, as stored in the device block.
     *
     * @return a bit set; 0 for {@link #NONE}.
     */
    public int flags()
    {
        return (realtimeSafe ? REALTIME_SAFE_FLAG : 0) |
            (boundedCapacity ? BOUNDED_CAPACITY_FLAG : 0) |
            (threadSafe ? THREAD_SAFE_FLAG : 0);
    }

    /**
     * The requirements stored as {@link #flags()}.
     *
     * @param flags a value from {@link #flags()}.
     * @return the requirements.
     */
    public static AllocatorRequirements fromFlags(final int flags)
    {
        return new AllocatorRequirements(
            (flags & REALTIME_SAFE_FLAG) != 0, (flags & BOUNDED_CAPACITY_FLAG) != 0, (flags & THREAD_SAFE_FLAG) != 0);
    }

    /**
     * What {@code traits} fail to meet.
     *
     * @param traits the traits the callbacks declare.
     * @return {@code null} when every requirement is met, else a sentence naming each unmet one.
     */
    public String unmetBy(final AllocatorTraits traits)
    {
        final StringBuilder sb = new StringBuilder();
        if (realtimeSafe && !traits.realtimeSafe())
        {
            sb.append("realtime-safe callbacks are required but realtimeSafe=false");
        }
        if (boundedCapacity && !traits.boundedCapacity())
        {
            sb.append(sb.isEmpty() ? "" : "; ").append("a bounded capacity is required but capacity is unbounded");
        }
        if (threadSafe && !traits.threadSafe())
        {
            sb.append(sb.isEmpty() ? "" : "; ").append("thread-safe callbacks are required but threadSafe=false");
        }
        return sb.isEmpty() ? null : sb.toString();
    }
}
