package dev.hostalloc.trace;

import dev.hostalloc.api.SystemAllocationScope;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One pass over a trace for its {@link TraceReport}: live bytes over time per scope, sizes, peaks
 * and the blocks never freed. Blocks are tracked by the addresses the recording saw, with the same
 * leniency for gaps as {@link TraceReplayer} (unknown frees are counted and ignored). Immutable once
 * built.
 */
public final class TraceAnalysis
{
    /** Time buckets of the live-bytes series. */
    public static final int SERIES_POINTS = 480;
    /** Power-of-two size classes of the histogram: 0, 1, 2-3, 4-7, ... up to 2^62 and more. */
    public static final int SIZE_CLASSES = 64;

    private static final int SCOPES = SystemAllocationScope.COUNT;
    private static final long NULL = 0L;

    /** A block still live at the end of the trace. */
    public record LiveBlock(long address, long size, long alignment, SystemAllocationScope scope, long elapsedNanos, int thread)
    {
    }

    /** How often one size was allocated. */
    public record SizeCount(long size, long count)
    {
    }

    private final TraceReader trace;
    private final long[] operations = new long[TraceOperation.values().length];
    private final long[] allocationsByScope = new long[SCOPES];
    private final long[] peakByScope = new long[SCOPES];
    private final long[] peakAtNanosByScope = new long[SCOPES];
    private final long[] sizeClasses = new long[SIZE_CLASSES];
    private final long[][] series = new long[SCOPES + 1][SERIES_POINTS];
    private final List<SizeCount> topSizes;
    private final List<LiveBlock> leaks;
    private long failures;
    private long unknownFrees;
    private long peakBytes;
    private long peakBlocks;
    private long peakAtNanos;
    private long durationNanos;
    private long bytesRequested;
    private int threads;

    private TraceAnalysis(final TraceReader trace) throws IOException
    {
        this.trace = trace;
        final long start = trace.header().startClock();
        final long[] span = { Long.MAX_VALUE, Long.MIN_VALUE };
        final Long2LongHashMap threadsSeen = new Long2LongHashMap(-1);
        trace.forEach(r ->
        {
            span[0] = Math.min(span[0], r.timestamp());
            span[1] = Math.max(span[1], r.timestamp());
            threadsSeen.put(r.thread(), 1);
        });
        // Time 0 is the first call, not the logger's opening: what came before it is the program starting up.
        final long first = trace.recordCount() == 0 ? start : span[0];
        final long end = trace.recordCount() == 0 ? start : span[1]; // the last call, not the logger's closing
        durationNanos = Math.max(1, end - first);
        threads = threadsSeen.size();

        final Long2ObjectHashMap<long[]> live = new Long2ObjectHashMap<>();
        final long[] liveByScope = new long[SCOPES + 1];
        final Long2LongHashMap sizeCounts = new Long2LongHashMap(0);
        final long origin = first;
        final long length = durationNanos;
        final long[][] endLevel = new long[SCOPES + 1][SERIES_POINTS];
        final boolean[] touched = new boolean[SERIES_POINTS];
        trace.forEach(r ->
        {
            operations[r.operation().ordinal()]++;
            final int bucket = (int)Math.min(SERIES_POINTS - 1, (r.timestamp() - origin) * SERIES_POINTS / length);
            switch (r.operation())
            {
                case ALLOCATE -> allocated(r, r.result(), live, liveByScope, sizeCounts, origin);
                case REALLOCATE ->
                {
                    if (r.address() == NULL)
                    {
                        allocated(r, r.result(), live, liveByScope, sizeCounts, origin);
                    }
                    else if (r.size() == 0)
                    {
                        freed(r.address(), live, liveByScope);
                    }
                    else if (r.result() == NULL)
                    {
                        failures++;
                    }
                    else
                    {
                        freed(r.address(), live, liveByScope);
                        allocated(r, r.result(), live, liveByScope, sizeCounts, origin);
                    }
                }
                case FREE ->
                {
                    if (r.address() != NULL)
                    {
                        freed(r.address(), live, liveByScope);
                    }
                }
                default ->
                {
                }
            }
            touched[bucket] = true;
            for (int s = 0; s <= SCOPES; s++)
            {
                series[s][bucket] = Math.max(series[s][bucket], liveByScope[s]);
                endLevel[s][bucket] = liveByScope[s];
            }
            if (liveByScope[SCOPES] > peakBytes)
            {
                peakBytes = liveByScope[SCOPES];
                peakAtNanos = r.timestamp() - origin;
            }
            peakBlocks = Math.max(peakBlocks, live.size());
            for (int s = 0; s < SCOPES; s++)
            {
                if (liveByScope[s] > peakByScope[s])
                {
                    peakByScope[s] = liveByScope[s];
                    peakAtNanosByScope[s] = r.timestamp() - origin;
                }
            }
        });
        // A bucket with no record keeps the level of the one before it.
        for (int b = 1; b < SERIES_POINTS; b++)
        {
            if (!touched[b])
            {
                for (int s = 0; s <= SCOPES; s++)
                {
                    series[s][b] = endLevel[s][b - 1];
                    endLevel[s][b] = endLevel[s][b - 1];
                }
            }
        }

        final List<SizeCount> sizes = new ArrayList<>();
        sizeCounts.forEach((size, count) -> sizes.add(new SizeCount(size, count)));
        sizes.sort(Comparator.comparingLong(SizeCount::count).reversed().thenComparingLong(SizeCount::size));
        topSizes = List.copyOf(sizes);

        final List<LiveBlock> remaining = new ArrayList<>(live.size());
        live.forEach((address, b) -> remaining.add(new LiveBlock(address, b[0], b[1],
            SystemAllocationScope.fromValueOrNull((int)b[2]), b[3], (int)b[4])));
        remaining.sort(Comparator.comparingLong(LiveBlock::size).reversed().thenComparingLong(LiveBlock::elapsedNanos));
        leaks = List.copyOf(remaining);
    }

    /**
     * Analyses a trace (two passes over the file).
     *
     * @param trace the trace.
     * @return the analysis.
     * @throws IOException when the trace cannot be read.
     */
    public static TraceAnalysis of(final TraceReader trace) throws IOException
    {
        return new TraceAnalysis(Objects.requireNonNull(trace, "trace"));
    }

    private void allocated(
        final TraceRecord r, final long address, final Long2ObjectHashMap<long[]> live, final long[] liveByScope,
        final Long2LongHashMap sizeCounts, final long origin)
    {
        if (address == NULL)
        {
            if (r.size() != 0)
            {
                failures++;
            }
            return;
        }
        if (live.containsKey(address))
        {
            freed(address, live, liveByScope); // its free was dropped
        }
        final int scope = r.scope() == null ? SystemAllocationScope.COMMAND.ordinal() : r.scopeValue();
        live.put(address, new long[] { r.size(), r.alignment(), scope, r.timestamp() - origin, r.thread() });
        liveByScope[scope] += r.size();
        liveByScope[SCOPES] += r.size();
        bytesRequested += r.size();
        if (r.scope() != null)
        {
            allocationsByScope[scope]++;
        }
        sizeClasses[sizeClass(r.size())]++;
        sizeCounts.put(r.size(), sizeCounts.get(r.size()) + 1);
    }

    private void freed(final long address, final Long2ObjectHashMap<long[]> live, final long[] liveByScope)
    {
        final long[] block = live.remove(address);
        if (null == block)
        {
            unknownFrees++;
            return;
        }
        liveByScope[(int)block[2]] -= block[0];
        liveByScope[SCOPES] -= block[0];
    }

    /**
     * The histogram class of a size: 0 for 0, else {@code 1 + floor(log2(size))}.
     *
     * @param size a size (unsigned).
     * @return 0..63.
     */
    public static int sizeClass(final long size)
    {
        return size == 0 ? 0 : Math.min(SIZE_CLASSES - 1, 64 - Long.numberOfLeadingZeros(size));
    }

    /**
     * The trace analysed.
     *
     * @return its reader.
     */
    public TraceReader trace()
    {
        return trace;
    }

    /**
     * Records of one operation.
     *
     * @param operation the operation.
     * @return the count.
     */
    public long count(final TraceOperation operation)
    {
        return operations[operation.ordinal()];
    }

    /**
     * Successful allocations (and reallocations that placed a block) in a scope.
     *
     * @param scope the scope.
     * @return the count.
     */
    public long allocations(final SystemAllocationScope scope)
    {
        return allocationsByScope[scope.ordinal()];
    }

    /**
     * Allocations or reallocations of a non-zero size that returned NULL.
     *
     * @return the count.
     */
    public long failures()
    {
        return failures;
    }

    /**
     * Frees or reallocations of an address the trace never showed allocated (gaps, or bad frees).
     *
     * @return the count.
     */
    public long unknownFrees()
    {
        return unknownFrees;
    }

    /**
     * The most bytes live at once.
     *
     * @return the peak.
     */
    public long peakBytes()
    {
        return peakBytes;
    }

    /**
     * When the peak was first reached.
     *
     * @return nanoseconds from the first record.
     */
    public long peakAtNanos()
    {
        return peakAtNanos;
    }

    /**
     * The most blocks live at once.
     *
     * @return the peak.
     */
    public long peakBlocks()
    {
        return peakBlocks;
    }

    /**
     * The most bytes live at once in one scope.
     *
     * @param scope the scope.
     * @return the peak.
     */
    public long peakBytes(final SystemAllocationScope scope)
    {
        return peakByScope[scope.ordinal()];
    }

    /**
     * When a scope's peak was first reached.
     *
     * @param scope the scope.
     * @return nanoseconds from the first record.
     */
    public long peakAtNanos(final SystemAllocationScope scope)
    {
        return peakAtNanosByScope[scope.ordinal()];
    }

    /**
     * How long the calls span, from the first record to the last.
     *
     * @return nanoseconds, at least 1.
     */
    public long durationNanos()
    {
        return durationNanos;
    }

    /**
     * Bytes requested by all successful allocations and reallocations.
     *
     * @return the sum.
     */
    public long bytesRequested()
    {
        return bytesRequested;
    }

    /**
     * Distinct calling threads.
     *
     * @return the count.
     */
    public int threads()
    {
        return threads;
    }

    /**
     * The most bytes live in each of {@link #SERIES_POINTS} equal time buckets.
     *
     * @param scope a scope, or {@code null} for all scopes together.
     * @return a copy.
     */
    public long[] series(final SystemAllocationScope scope)
    {
        return series[null == scope ? SCOPES : scope.ordinal()].clone();
    }

    /**
     * Allocations per power-of-two size class ({@link #sizeClass(long)}).
     *
     * @return a copy, {@link #SIZE_CLASSES} long.
     */
    public long[] sizeHistogram()
    {
        return sizeClasses.clone();
    }

    /**
     * Sizes by how often they were allocated, most frequent first.
     *
     * @return every size seen.
     */
    public List<SizeCount> topSizes()
    {
        return topSizes;
    }

    /**
     * Blocks still live at the end, largest first.
     *
     * @return the leaks.
     */
    public List<LiveBlock> leaks()
    {
        return leaks;
    }

    /**
     * Allocations per scope, for callers wanting a map.
     *
     * @return scope to count.
     */
    public Map<SystemAllocationScope, Long> allocationsByScope()
    {
        final Map<SystemAllocationScope, Long> map = new EnumMap<>(SystemAllocationScope.class);
        for (final SystemAllocationScope scope : SystemAllocationScope.values())
        {
            map.put(scope, allocationsByScope[scope.ordinal()]);
        }
        return map;
    }
}
