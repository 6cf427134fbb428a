package dev.hostalloc.accounting;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Gives each live thread a small slot number of its own, JVM-wide, so accounting can keep one set of
 * single-writer counters per thread and sum them when read: no atomic instruction on the hot path.
 *
 * <p>Slots {@code 0 .. CAPACITY - 1} each belong to at most one live thread, which alone writes the
 * data kept under that slot. A thread first tries the slot its id maps to (one array read on the hot
 * path); on a collision it probes for a free slot, or one whose thread has terminated, and remembers it
 * in a thread-local. A terminated thread's slot is taken over with its data: the new owner continues
 * the dead thread's running sums ({@link Thread#isAlive()} returning {@code false} makes the dead
 * thread's writes visible to it). When every slot is held by a live thread, callers get
 * {@link #SHARED}, whose data is written under a lock.
 */
final class ThreadSlots
{
    /** Slots that belong to one thread each. A power of two. */
    static final int CAPACITY = 1024;

    /** The slot shared by the threads that found no slot of their own; written under a lock. */
    static final int SHARED = CAPACITY;

    /** Slots in all, the shared one included: the length of every per-slot array. */
    static final int COUNT = CAPACITY + 1;

    private static final int MASK = CAPACITY - 1;
    private static final int NO_SLOT = -1;
    private static final VarHandle OWNER = MethodHandles.arrayElementVarHandle(Thread[].class);
    private static final Thread[] OWNERS = new Thread[CAPACITY];
    private static final ThreadLocal<int[]> PROBED = ThreadLocal.withInitial(() -> new int[] { NO_SLOT });

    private ThreadSlots()
    {
    }

    /**
     * The calling thread's slot.
     *
     * @return {@code 0 .. CAPACITY - 1}, owned by the calling thread until it terminates, or
     *         {@link #SHARED} when every slot is taken by a live thread.
     */
    static int current()
    {
        final Thread thread = Thread.currentThread();
        final int home = (int)thread.threadId() & MASK;
        // A plain read is enough: only this thread ever stores itself into a slot, and a slot is taken
        // from a thread only after it has terminated.
        if (OWNERS[home] == thread)
        {
            return home;
        }
        return probe(thread, home);
    }

    private static int probe(final Thread thread, final int home)
    {
        final int[] remembered = PROBED.get();
        final int known = remembered[0];
        if (known != NO_SLOT && OWNER.getVolatile(OWNERS, known) == thread)
        {
            return known;
        }
        for (int i = 0; i < CAPACITY; i++)
        {
            final int slot = (home + i) & MASK;
            final Thread owner = (Thread)OWNER.getVolatile(OWNERS, slot);
            if (null == owner || !owner.isAlive())
            {
                if (OWNER.compareAndSet(OWNERS, slot, owner, thread))
                {
                    remembered[0] = slot;
                    return slot;
                }
            }
        }
        return SHARED;
    }
}
