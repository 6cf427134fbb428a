package dev.hostalloc.testkit;

import dev.hostalloc.api.SystemAllocationScope;

/**
 * Per-scope counts of a recording: what a driver allocated, how often, and how much was live at
 * the peak. Computed by {@link CallbackValidator}; immutable.
 */
public final class AllocationStatistics
{
    private final long[] allocations;
    private final long[] reallocations;
    private final long[] failures;
    private final long[] bytesAllocated;
    private final long frees;
    private final long peakLiveBytes;
    private final long peakLiveBlocks;

    AllocationStatistics(
        final long[] allocations,
        final long[] reallocations,
        final long[] failures,
        final long[] bytesAllocated,
        final long frees,
        final long peakLiveBytes,
        final long peakLiveBlocks)
    {
        this.allocations = allocations.clone();
        this.reallocations = reallocations.clone();
        this.failures = failures.clone();
        this.bytesAllocated = bytesAllocated.clone();
        this.frees = frees;
        this.peakLiveBytes = peakLiveBytes;
        this.peakLiveBlocks = peakLiveBlocks;
    }

    /**
     * Successful allocations in a scope (a reallocate of NULL counts as an allocation).
     *
     * @param scope the scope.
     * @return the count.
     */
    public long allocations(final SystemAllocationScope scope)
    {
        return allocations[scope.ordinal()];
    }

    /**
     * Successful reallocations of a live block (size above 0) in a scope.
     *
     * @param scope the scope.
     * @return the count.
     */
    public long reallocations(final SystemAllocationScope scope)
    {
        return reallocations[scope.ordinal()];
    }

    /**
     * Allocations or reallocations in a scope that returned NULL for a non-zero size.
     *
     * @param scope the scope.
     * @return the count.
     */
    public long failures(final SystemAllocationScope scope)
    {
        return failures[scope.ordinal()];
    }

    /**
     * Bytes requested by successful allocations and reallocations in a scope.
     *
     * @param scope the scope.
     * @return the sum.
     */
    public long bytesAllocated(final SystemAllocationScope scope)
    {
        return bytesAllocated[scope.ordinal()];
    }

    /**
     * Successful allocations over all scopes.
     *
     * @return the sum.
     */
    public long totalAllocations()
    {
        long total = 0;
        for (final long n : allocations)
        {
            total += n;
        }
        return total;
    }

    /**
     * Frees of a non-NULL pointer (including reallocate to size 0).
     *
     * @return the count.
     */
    public long frees()
    {
        return frees;
    }

    /**
     * The most bytes live at once.
     *
     * @return the peak.
     */
    public long peakLiveBytes()
    {
        return peakLiveBytes;
    }

    /**
     * The most blocks live at once.
     *
     * @return the peak.
     */
    public long peakLiveBlocks()
    {
        return peakLiveBlocks;
    }

    /**
     * A table a person can read: one line per scope, then the totals.
     *
     * @return the table.
     */
    public String text()
    {
        final StringBuilder sb = new StringBuilder(512);
        sb.append(String.format("%-9s %12s %12s %9s %16s%n", "scope", "allocations", "reallocs", "failed", "bytes"));
        for (final SystemAllocationScope scope : SystemAllocationScope.values())
        {
            final int i = scope.ordinal();
            sb.append(String.format("%-9s %12d %12d %9d %16d%n",
                scope.name(), allocations[i], reallocations[i], failures[i], bytesAllocated[i]));
        }
        sb.append(String.format("frees %d, peak live %d blocks / %d bytes%n", frees, peakLiveBlocks, peakLiveBytes));
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return text();
    }
}
