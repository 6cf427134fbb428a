package dev.hostalloc.bench.latency;

import org.HdrHistogram.Histogram;

/**
 * One allocator measured by the harness. Each implementation has its own copy of the timed loop
 * so the JIT compiles it for that allocator alone (a loop shared by several allocators would see a
 * megamorphic call site and measure dispatch instead of allocation).
 */
interface Subject extends AutoCloseable
{
    /**
     * The row label.
     *
     * @return e.g. {@code "glibc malloc/free"}.
     */
    String name();

    /**
     * Fills the working set with {@code workload}'s initial blocks.
     *
     * @param workload the operation stream.
     */
    void prepare(Workload workload);

    /**
     * Runs {@code operations} free+allocate pairs from {@code workload}, recording each pair's
     * nanoseconds into {@code histogram}.
     *
     * @param workload   the operation stream.
     * @param start      the stream position to start at.
     * @param operations how many pairs.
     * @param histogram  where latencies go (null to only warm up).
     * @return how many allocations failed (returned 0).
     */
    long run(Workload workload, int start, int operations, Histogram histogram);

    /** Frees the working set and whatever the subject owns. */
    @Override
    void close();
}
