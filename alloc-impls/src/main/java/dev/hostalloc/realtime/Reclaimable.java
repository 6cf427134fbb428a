package dev.hostalloc.realtime;

/**
 * Something a real-time thread gives up whose release must not run on that thread: a voice with
 * native buffers, a decoded sample, an old parameter table. {@link RetireQueue#retire(Reclaimable)}
 * hands it to the reclaimer thread, which calls {@link #reclaim()}.
 */
@FunctionalInterface
public interface Reclaimable
{
    /**
     * Releases whatever this object holds (frees its blocks, closes its handles). Runs on the
     * reclaimer thread, never on the real-time thread that retired it. An exception is counted and
     * passed to the queue's error handler; the reclaimer carries on.
     */
    void reclaim();
}
