package dev.hostalloc.realtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The threads that must never wait: audio callbacks, render loops with a deadline. Shared
 * hostalloc structures ask {@link #isRealtime(Thread)} when they cannot proceed at once: a
 * real-time thread then fails its request (counted) instead of waiting, any other thread may spin
 * and yield until it gets through.
 *
 * <p>{@link #isRealtime(Thread)} reads one volatile array and allocates nothing; registering copies
 * the array (not for hot paths). Terminated threads are dropped at the next registration.
 */
public final class RealtimeThreads
{
    private static final Thread[] NONE = new Thread[0];
    private static final Object LOCK = new Object();
    private static volatile Thread[] threads = NONE;

    private RealtimeThreads()
    {
    }

    /**
     * Registers the current thread as real-time until {@link #unregisterCurrent()}.
     *
     * @return the current thread.
     */
    public static Thread registerCurrent()
    {
        final Thread current = Thread.currentThread();
        register(current);
        return current;
    }

    /**
     * Registers a thread as real-time; registering twice changes nothing.
     *
     * @param thread the thread.
     * @throws NullPointerException when {@code thread} is {@code null}.
     */
    public static void register(final Thread thread)
    {
        Objects.requireNonNull(thread, "thread");
        synchronized (LOCK)
        {
            final List<Thread> kept = new ArrayList<>(threads.length + 1);
            for (final Thread t : threads)
            {
                if (t.isAlive() && t != thread)
                {
                    kept.add(t);
                }
            }
            kept.add(thread);
            threads = kept.toArray(NONE);
        }
    }

    /** Unregisters the current thread (no effect when it was not registered). */
    public static void unregisterCurrent()
    {
        unregister(Thread.currentThread());
    }

    /**
     * Unregisters a thread (no effect when it was not registered).
     *
     * @param thread the thread.
     */
    public static void unregister(final Thread thread)
    {
        synchronized (LOCK)
        {
            final List<Thread> kept = new ArrayList<>(threads.length);
            for (final Thread t : threads)
            {
                if (t.isAlive() && t != thread)
                {
                    kept.add(t);
                }
            }
            threads = kept.toArray(NONE);
        }
    }

    /**
     * Whether a thread is registered as real-time. Allocation free.
     *
     * @param thread the thread.
     * @return {@code true} when registered.
     */
    public static boolean isRealtime(final Thread thread)
    {
        final Thread[] registered = threads;
        for (final Thread t : registered)
        {
            if (t == thread)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the current thread is registered as real-time. Allocation free.
     *
     * @return {@code true} when registered.
     */
    public static boolean isCurrentRealtime()
    {
        return isRealtime(Thread.currentThread());
    }
}
