package dev.hostalloc.realtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A mutual-exclusion lock that never parks a thread: {@link #tryLock(int)} spins a bounded number
 * of times and gives up, {@link #lockYielding(int)} keeps trying but only spins and yields the
 * processor. Not reentrant. Allocates nothing.
 *
 * <p>Meant for critical sections of a few dozen nanoseconds (a TLSF operation) shared with
 * real-time threads: a real-time thread uses {@link #tryLock(int)} and fails its request rather
 * than waiting on a holder the scheduler has preempted.
 */
public final class BoundedSpinLock
{
    private static final int UNLOCKED = 0;
    private static final int LOCKED = 1;
    private static final VarHandle STATE;

    static
    {
        try
        {
            STATE = MethodHandles.lookup().findVarHandle(BoundedSpinLock.class, "state", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /** Creates an unlocked lock. */
    public BoundedSpinLock()
    {
    }

    /**
     * Tries to take the lock once, without waiting.
     *
     * @return {@code true} when taken; the caller must {@link #unlock()}.
     */
    public boolean tryLock()
    {
        return (int)STATE.getOpaque(this) == UNLOCKED && STATE.compareAndSet(this, UNLOCKED, LOCKED);
    }

    /**
     * Tries to take the lock, spinning ({@link Thread#onSpinWait()}) at most {@code spins} times
     * between attempts: bounded time, no system call.
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
