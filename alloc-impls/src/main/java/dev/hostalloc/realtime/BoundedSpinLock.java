package dev.hostalloc.realtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A mutual-exclusion lock that never parks a thread: {@link #tryLock(int)} spins a bounded number
 * of times and gives up, {@link #lockYielding(int)} keeps trying but only spins and yields the
 * processor. Not reentrant. Allocates nothing.
 *
 * <p>Meant for critical sections of a few dozen nanoseconds (a TLSF operation) shared with
 * real-time threads: a real-time thread uses {@link #tryLockUrgent(int)} and fails its request
 * rather than wait on a holder the scheduler has preempted. While an urgent caller waits, the
 * polite methods ({@link #tryLock()}, {@link #tryLock(int)}, {@link #lockYielding(int)}) do not
 * take the lock even when it is free, so a thread releasing and re-taking the lock in a tight loop
 * (a reclaimer freeing a batch) cannot starve the real-time thread.
 */
public final class BoundedSpinLock
{
    private static final int UNLOCKED = 0;
    private static final int LOCKED = 1;
    private static final VarHandle STATE;
    private static final VarHandle URGENT_WAITERS;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(BoundedSpinLock.class, "state", int.class);
            URGENT_WAITERS = MethodHandles.lookup().findVarHandle(BoundedSpinLock.class, "urgentWaiters", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;
    @SuppressWarnings("unused") // accessed through URGENT_WAITERS
    private volatile int urgentWaiters;

    /** Creates an unlocked lock. */
    public BoundedSpinLock()
    {
    }

    /**
     * Tries to take the lock once, without waiting; politely: not while an urgent caller waits.
     *
     * @return {@code true} when taken; the caller must {@link #unlock()}.
     */
    public boolean tryLock()
    {
        return (int)URGENT_WAITERS.getVolatile(this) == 0 && grab();
    }

    /**
     * Tries to take the lock for a caller with a deadline, spinning ({@link Thread#onSpinWait()})
     * at most {@code spins} times between attempts: bounded time, no system call. While it waits,
     * polite callers step aside.
     *
     * @param spins how many times to wait after a failed attempt; 0 tries once.
     * @return {@code true} when taken; the caller must {@link #unlock()}.
     */
    public boolean tryLockUrgent(final int spins)
    {
        if (grab())
        {
            return true;
        }
        URGENT_WAITERS.getAndAdd(this, 1);
        try
        {
            for (int i = 0; i < spins; i++)
            {
                Thread.onSpinWait();
                if (grab())
                {
                    return true;
                }
            }
            return false;
        }
        finally
        {
            URGENT_WAITERS.getAndAdd(this, -1);
        }
    }

    private boolean grab()
    {
        return (int)STATE.getOpaque(this) == UNLOCKED && STATE.compareAndSet(this, UNLOCKED, LOCKED);
    }

    /**
     * Tries to take the lock politely, spinning ({@link Thread#onSpinWait()}) at most
     * {@code spins} times between attempts: bounded time, no system call.
     *
     * @param spins how many times to wait after a failed attempt; 0 tries once.
     * @return {@code true} when taken; the caller must {@link #unlock()}.
     */
    public boolean tryLock(final int spins)
    {
        if (tryLock())
        {
            return true;
        }
        for (int i = 0; i < spins; i++)
        {
            Thread.onSpinWait();
            if (tryLock())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Takes the lock however long that takes, without parking: spins {@code spins} times, then
     * yields the processor ({@link Thread#yield()}) between further attempts so a preempted holder
     * can run. For threads that are not real-time.
     *
     * @param spins attempts between yields.
     */
    public void lockYielding(final int spins)
    {
        while (!tryLock(spins))
        {
            Thread.yield();
        }
    }

    /** Releases the lock; only its holder may call this. */
    public void unlock()
    {
        STATE.setRelease(this, UNLOCKED);
    }

    /**
     * Whether some thread holds the lock now (a racy snapshot, for tests and monitoring).
     *
     * @return {@code true} when held.
     */
    public boolean isLocked()
    {
        return (int)STATE.getVolatile(this) == LOCKED;
    }

    @Override
    public String toString()
    {
        return "BoundedSpinLock[" + (isLocked() ? "locked" : "unlocked") + "]";
    }
}
