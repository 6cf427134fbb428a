package dev.hostalloc.guard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The FIFO of quarantined block addresses: a bounded multi-producer multi-consumer queue of positive
 * {@code long}s (Dmitry Vyukov's array queue: a sequence number per slot, one compare-and-set per
 * operation). Allocation-free and lock-free; a producer preempted between claiming and publishing a slot
 * makes consumers see the queue as empty until it resumes, which only delays an eviction.
 */
final class QuarantineQueue
{
    /** What {@link #poll()} returns when nothing can be taken. */
    static final long NONE = 0L;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle ENQUEUE;
    private static final VarHandle DEQUEUE;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENQUEUE = lookup.findVarHandle(QuarantineQueue.class, "enqueuePosition", long.class);
            DEQUEUE = lookup.findVarHandle(QuarantineQueue.class, "dequeuePosition", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long[] sequences;
    private final long[] values;
    private final int mask;
    @SuppressWarnings("unused") // accessed through ENQUEUE
    private volatile long enqueuePosition;
    @SuppressWarnings("unused") // accessed through DEQUEUE
    private volatile long dequeuePosition;

    /**
     * Creates a queue.
     *
     * @param capacity a power of two, at least 2.
     */
    QuarantineQueue(final int capacity)
    {
        if (capacity < 2 || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("capacity must be a power of two of at least 2: " + capacity);
        }
        sequences = new long[capacity];
        values = new long[capacity];
        mask = capacity - 1;
        for (int i = 0; i < capacity; i++)
        {
            sequences[i] = i;
        }
    }

    int capacity()
    {
        return values.length;
    }

    /**
     * Appends a value.
     *
     * @param value a positive address.
     * @return {@code false} when the queue is full.
     */
    boolean offer(final long value)
    {
        final long[] sequences = this.sequences;
        long position = (long)ENQUEUE.getVolatile(this);
        while (true)
        {
            final int index = (int)position & mask;
            final long sequence = (long)LONGS.getAcquire(sequences, index);
            final long difference = sequence - position;
            if (difference == 0)
            {
                if (ENQUEUE.compareAndSet(this, position, position + 1))
                {
                    values[index] = value;
                    LONGS.setRelease(sequences, index, position + 1);
                    return true;
                }
                position = (long)ENQUEUE.getVolatile(this);
            }
            else if (difference < 0)
            {
                return false;
            }
            else
            {
                position = (long)ENQUEUE.getVolatile(this);
            }
        }
    }

    /**
     * Takes the oldest value.
     *
     * @return it, or {@link #NONE} when the queue is (or looks) empty.
     */
    long poll()
    {
        final long[] sequences = this.sequences;
        long position = (long)DEQUEUE.getVolatile(this);
        while (true)
        {
            final int index = (int)position & mask;
            final long sequence = (long)LONGS.getAcquire(sequences, index);
            final long difference = sequence - (position + 1);
            if (difference == 0)
            {
                if (DEQUEUE.compareAndSet(this, position, position + 1))
                {
                    final long value = values[index];
                    LONGS.setRelease(sequences, index, position + mask + 1);
                    return value;
                }
                position = (long)DEQUEUE.getVolatile(this);
            }
            else if (difference < 0)
            {
                return NONE;
            }
            else
            {
                position = (long)DEQUEUE.getVolatile(this);
            }
        }
    }
}
