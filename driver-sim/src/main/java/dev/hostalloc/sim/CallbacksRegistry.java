package dev.hostalloc.sim;

import dev.hostalloc.api.AllocationCallbacks;

import java.util.Arrays;

/**
 * Maps the callbacks driver-sim was given to small int ids, so object blocks (plain memory) can
 * record which callbacks made them. Id {@link #NONE} means "no callbacks given"; id
 * {@link #IMPLEMENTATION} is the driver's own mechanism. Ids are reference counted per object that
 * records them and reused once free. Identity decides sameness: driver-sim calls two sets of
 * callbacks compatible only when they are the same Java object, the one thing it can know.
 */
final class CallbacksRegistry
{
    static final int NONE = 0;
    static final int IMPLEMENTATION = 1;
    private static final int INITIAL_SLOTS = 16;

    private volatile AllocationCallbacks[] slots = new AllocationCallbacks[INITIAL_SLOTS];
    private int[] references = new int[INITIAL_SLOTS];

    CallbacksRegistry(final AllocationCallbacks implementation)
    {
        slots[IMPLEMENTATION] = implementation;
        references[IMPLEMENTATION] = 1;
    }

    /** The callbacks of an id: a plain array read, for hot paths. */
    AllocationCallbacks get(final int id)
    {
        return slots[id];
    }

    /** Takes one reference to {@code callbacks}' id, registering them if new; {@link #NONE} for null. */
    synchronized int acquire(final AllocationCallbacks callbacks)
    {
        if (null == callbacks)
        {
            return NONE;
        }
        final AllocationCallbacks[] current = slots;
        int free = -1;
        for (int i = IMPLEMENTATION; i < current.length; i++)
        {
            if (current[i] == callbacks)
            {
                references[i]++;
                return i;
            }
            if (null == current[i] && free < 0)
            {
                free = i;
            }
        }
        if (free < 0)
        {
            free = current.length;
            references = Arrays.copyOf(references, current.length * 2);
            final AllocationCallbacks[] grown = Arrays.copyOf(current, current.length * 2);
            grown[free] = callbacks;
            slots = grown;
        }
        else
        {
            current[free] = callbacks;
        }
        references[free] = 1;
        return free;
    }

    /** Takes one more reference to a known id. */
    synchronized void retain(final int id)
    {
        if (NONE != id)
        {
            references[id]++;
        }
    }

    /** Drops one reference; the slot is free for reuse at zero (never the implementation's). */
    synchronized void release(final int id)
    {
        if (NONE != id && --references[id] == 0)
        {
            slots[id] = null;
        }
    }
}
