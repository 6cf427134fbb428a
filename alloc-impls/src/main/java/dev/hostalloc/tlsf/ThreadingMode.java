package dev.hostalloc.tlsf;

/** How a {@link TlsfAllocator} may be called from threads. */
public enum ThreadingMode
{
    /**
     * One thread at a time, with no synchronization at all: the fastest mode, for a pool that
     * belongs to one real-time thread (one plugin's audio callback, one render thread). Handing the
     * pool to another thread needs a happens-before edge (a queue, a volatile write, a join). With
     * Java assertions enabled ({@code -ea}) every call asserts it comes from the owner thread, the
     * first thread that called after creation or after {@link TlsfAllocator#releaseOwnership()}.
     */
    OWNED,

    /**
     * Any thread, through a spin lock that never parks: a thread registered with
     * {@link dev.hostalloc.realtime.RealtimeThreads} that cannot take it within the allocator's
     * spin bound fails its allocate or reallocate (returns 0, counted in
     * {@link TlsfAllocator#contentionFailures()}) and hands its free to the next lock holder
     * (counted in {@link TlsfAllocator#deferredFrees()}); any other thread spins and yields until it
     * gets the lock.
     */
    SHARED
}
