package dev.hostalloc.sim;

import dev.hostalloc.api.SystemAllocationScope;

import java.util.Arrays;

/**
 * What driver-sim asked of the callbacks, per object type and scope: allocations (a reallocation
 * of 0 counts as one), reallocations, failures, frees, bytes requested, and the blocks and bytes
 * still live. Counting is plain array arithmetic, allocation free; the counts are exact when one
 * thread calls the driver at a time (as in every driver-sim workload), approximate otherwise.
 */
public final class DriverStatistics
{
    private static final int CELLS = ObjectType.COUNT * SystemAllocationScope.COUNT;

    private final long[] allocations = new long[CELLS];
    private final long[] reallocations = new long[CELLS];
    private final long[] failures = new long[CELLS];
    private final long[] frees = new long[CELLS];
    private final long[] bytesRequested = new long[CELLS];
    private final long[] liveBlocks = new long[CELLS];
    private final long[] liveBytes = new long[CELLS];

    /** Creates zeroed statistics. */
    public DriverStatistics()
    {
    }

    private static int cell(final ObjectType type, final SystemAllocationScope scope)
    {
        return type.ordinal() * SystemAllocationScope.COUNT + scope.ordinal();
    }

    void onAllocate(final ObjectType type, final SystemAllocationScope scope, final long size, final boolean succeeded)
    {
        final int cell = cell(type, scope);
        allocations[cell]++;
        if (succeeded)
        {
            bytesRequested[cell] += size;
            liveBlocks[cell]++;
            liveBytes[cell] += size;
        }
        else
        {
            failures[cell]++;
        }
    }

    void onReallocate(
        final ObjectType type, final SystemAllocationScope scope, final long oldSize, final long newSize, final boolean ok)
    {
        final int cell = cell(type, scope);
        reallocations[cell]++;
        if (ok)
        {
            bytesRequested[cell] += newSize;
            liveBytes[cell] += newSize - oldSize;
        }
        else
        {
            failures[cell]++;
        }
    }

    void onFree(final ObjectType type, final SystemAllocationScope scope, final long size)
    {
        final int cell = cell(type, scope);
        frees[cell]++;
        liveBlocks[cell]--;
        liveBytes[cell] -= size;
    }

    /**
     * Allocation calls made for {@code type} in {@code scope}, failed ones included.
     *
     * @param type  the object type the memory was for.
     * @param scope the scope requested.
     * @return the count.
     */
    public long allocations(final ObjectType type, final SystemAllocationScope scope)
    {
        return allocations[cell(type, scope)];
    }

    /**
     * Reallocation calls made for {@code type} in {@code scope}, failed ones included.
     *
     * @param type  the object type.
     * @param scope the scope.
     * @return the count.
     */
    public long reallocations(final ObjectType type, final SystemAllocationScope scope)
    {
        return reallocations[cell(type, scope)];
    }

    /**
     * Allocation and reallocation calls that returned 0.
     *
     * @param type  the object type.
     * @param scope the scope.
     * @return the count.
     */
    public long failures(final ObjectType type, final SystemAllocationScope scope)
    {
        return failures[cell(type, scope)];
    }

    /**
     * Free calls made for {@code type} in {@code scope}.
     *
     * @param type  the object type.
     * @param scope the scope.
     * @return the count.
     */
    public long frees(final ObjectType type, final SystemAllocationScope scope)
    {
        return frees[cell(type, scope)];
    }

    /**
     * Bytes requested by successful allocations and reallocations.
     *
     * @param type  the object type.
     * @param scope the scope.
     * @return the sum of the sizes.
     */
    public long bytesRequested(final ObjectType type, final SystemAllocationScope scope)
    {
        return bytesRequested[cell(type, scope)];
    }

    /**
     * Blocks allocated and not yet freed.
     *
     * @param type  the object type.
     * @param scope the scope.
     * @return the count.
     */
    public long liveBlocks(final ObjectType type, final SystemAllocationScope scope)
    {
        return liveBlocks[cell(type, scope)];
    }

    /**
     * Bytes of the blocks allocated and not yet freed.
     *
     * @param type  the object type.
     * @param scope the scope.
     * @return the sum of their sizes.
     */
    public long liveBytes(final ObjectType type, final SystemAllocationScope scope)
    {
        return liveBytes[cell(type, scope)];
    }

    /**
     * All allocation calls (failed ones included) over every type and scope.
     *
     * @return the count.
     */
    public long totalAllocations()
    {
        return Arrays.stream(allocations).sum();
    }

    /**
     * All reallocation calls over every type and scope.
     *
     * @return the count.
     */
    public long totalReallocations()
    {
        return Arrays.stream(reallocations).sum();
    }

    /**
     * All blocks still live over every type and scope.
     *
     * @return the count.
     */
    public long totalLiveBlocks()
    {
        return Arrays.stream(liveBlocks).sum();
    }

    /**
     * A copy of these counts, e.g. to subtract later with {@link #minus}.
     *
     * @return a new, independent copy.
     */
    public DriverStatistics snapshot()
    {
        final DriverStatistics copy = new DriverStatistics();
        System.arraycopy(allocations, 0, copy.allocations, 0, CELLS);
        System.arraycopy(reallocations, 0, copy.reallocations, 0, CELLS);
        System.arraycopy(failures, 0, copy.failures, 0, CELLS);
        System.arraycopy(frees, 0, copy.frees, 0, CELLS);
        System.arraycopy(bytesRequested, 0, copy.bytesRequested, 0, CELLS);
        System.arraycopy(liveBlocks, 0, copy.liveBlocks, 0, CELLS);
        System.arraycopy(liveBytes, 0, copy.liveBytes, 0, CELLS);
        return copy;
    }

    /**
     * What happened between {@code earlier} and these counts.
     *
     * @param earlier a {@link #snapshot()} taken before.
     * @return new statistics holding the differences.
     */
    public DriverStatistics minus(final DriverStatistics earlier)
    {
        final DriverStatistics delta = new DriverStatistics();
        for (int i = 0; i < CELLS; i++)
        {
            delta.allocations[i] = allocations[i] - earlier.allocations[i];
            delta.reallocations[i] = reallocations[i] - earlier.reallocations[i];
            delta.failures[i] = failures[i] - earlier.failures[i];
            delta.frees[i] = frees[i] - earlier.frees[i];
            delta.bytesRequested[i] = bytesRequested[i] - earlier.bytesRequested[i];
            delta.liveBlocks[i] = liveBlocks[i] - earlier.liveBlocks[i];
            delta.liveBytes[i] = liveBytes[i] - earlier.liveBytes[i];
        }
        return delta;
    }

    /**
     * A table, one line per object type and scope that saw any call.
     *
     * @return lines of {@code type scope allocations reallocations failures frees bytes live-blocks live-bytes}.
     */
    public String text()
    {
        final StringBuilder sb = new StringBuilder(1024);
        sb.append(String.format("  %-16s %-9s %8s %8s %8s %8s %12s %6s %10s%n",
            "object type", "scope", "allocs", "reallocs", "failed", "frees", "bytes", "live", "live bytes"));
        for (final ObjectType type : ObjectType.values())
        {
            for (final SystemAllocationScope scope : SystemAllocationScope.values())
            {
                final int c = cell(type, scope);
                if (allocations[c] != 0 || reallocations[c] != 0 || frees[c] != 0)
                {
                    sb.append(String.format("  %-16s %-9s %8d %8d %8d %8d %12d %6d %10d%n", type.name(), scope.name(),
                        allocations[c], reallocations[c], failures[c], frees[c], bytesRequested[c], liveBlocks[c],
                        liveBytes[c]));
                }
            }
        }
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return text();
    }
}
