package dev.hostalloc.trace;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.testkit.CallbackValidator;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationError;
import org.agrona.collections.Long2LongHashMap;

import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Replays a trace against any allocator stack: the same calls in the same order, with every address
 * the recording saw remapped to the one the target returned, so reallocations and frees reach the
 * right blocks. Single-threaded (records of several threads are replayed in trace order).
 *
 * <p>Calls are made through a {@link RecordingAllocator} and checked by {@link CallbackValidator}
 * (unless {@code validate} is off, for traces too large to keep in memory twice). A trace with gaps
 * (dropped records, or a bad pointer in the recorded program) replays what is consistent: a free or
 * reallocate of a block the replay never saw is skipped; an allocation at an address still live means
 * its free was dropped, and the old block is freed first. Every skip is counted by reason.
 *
 * <p>Calls that failed in the recording are replayed too (the target may behave differently); a block
 * the target returns where the recording got NULL is freed at once so the sequence stays the same.
 * Blocks still live at the end (the recorded program's leaks) are freed after validation.
 */
public final class TraceReplayer
{
    /** Records between two progress reports. */
    public static final int PROGRESS_INTERVAL = 1 << 14;

    private static final long NULL = 0L;
    private static final long NO_SIZE = Long.MIN_VALUE;
    private static final int VALIDATOR_INITIAL_CAPACITY = 1 << 16;

    /** Told how far the replay is. */
    @FunctionalInterface
    public interface Progress
    {
        /** Reports nothing. */
        Progress NONE = (done, total) ->
        {
        };

        /**
         * Called every {@link #PROGRESS_INTERVAL} records and once at the end.
         *
         * @param done  records handled.
         * @param total records in the trace.
         */
        void update(long done, long total);
    }

    private final AllocationCallbacks calls;
    private final AllocationCallbacks target;
    private final Long2LongHashMap addresses = new Long2LongHashMap(NULL);
    /** Sizes may be 0 (a size-0 block is live), so absence is marked by a size no block can have. */
    private final Long2LongHashMap sizes = new Long2LongHashMap(NO_SIZE);
    private final Map<ReplayResult.SkipReason, Long> skipped = new EnumMap<>(ReplayResult.SkipReason.class);
    private long replayed;
    private long failures;
    private long recordedFailures;
    private long liveBytes;
    private long peakBytes;
    private long peakBlocks;

    private TraceReplayer(final AllocationCallbacks calls, final AllocationCallbacks target)
    {
        this.calls = calls;
        this.target = target;
    }

    /**
     * Replays {@code trace} against {@code target}.
     *
     * @param trace    the trace.
     * @param target   the stack to replay against; the replay frees everything it allocated.
     * @param validate whether to record the calls and run {@link CallbackValidator} on them.
     * @param progress told how far it is.
     * @return what happened.
     * @throws IOException when the trace cannot be read.
     */
    public static ReplayResult replay(
        final TraceReader trace, final AllocationCallbacks target, final boolean validate, final Progress progress)
        throws IOException
    {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(progress, "progress");
        final RecordingAllocator recorder = validate ? new RecordingAllocator(target, VALIDATOR_INITIAL_CAPACITY) : null;
        final TraceReplayer replayer = new TraceReplayer(validate ? recorder : target, target);
        final long total = trace.recordCount();
        final long start = System.nanoTime();
        trace.forEach(record ->
        {
            replayer.replay(record);
            final long done = record.index() + 1;
            if (done % PROGRESS_INTERVAL == 0)
            {
                progress.update(done, total);
            }
        });
        final long nanos = System.nanoTime() - start;
        progress.update(total, total);

        final List<ValidationError> violations = validate ?
            CallbackValidator.validate(recorder.records()).violations() : List.of();
        final long liveAtEnd = replayer.addresses.size();
        final long liveBytesAtEnd = replayer.liveBytes;
        replayer.freeLeftovers();
        return new ReplayResult(total, replayer.replayed, nanos, replayer.peakBytes, replayer.peakBlocks,
            replayer.failures, replayer.recordedFailures, violations, validate, liveAtEnd, liveBytesAtEnd,
            Map.copyOf(replayer.skipped), trace.recordsDropped());
    }

    private void replay(final TraceRecord record)
    {
        switch (record.operation())
        {
            case ALLOCATE -> allocate(record);
            case REALLOCATE -> reallocate(record);
            case FREE -> free(record);
            case INTERNAL_ALLOCATION ->
            {
                replayed++;
                calls.internalAllocationNotification(record.size(), record.type(), record.scope());
            }
            case INTERNAL_FREE ->
            {
                replayed++;
                calls.internalFreeNotification(record.size(), record.type(), record.scope());
            }
        }
    }

    private void allocate(final TraceRecord record)
    {
        replayed++;
        final long block = calls.allocate(record.size(), record.alignment(), record.scope());
        placed(record, block);
    }

    /** Books a new block the target returned for a call that allocated (or failed to). */
    private void placed(final TraceRecord record, final long block)
    {
        final long recorded = record.result();
        if (recorded == NULL)
        {
            recordedFailures++;
            if (block != NULL)
            {
                calls.free(block); // the recorded program never had it
            }
            return;
        }
        if (block == NULL)
        {
            failures++;
            return;
        }
        if (addresses.containsKey(recorded))
        {
            skip(ReplayResult.SkipReason.IMPLIED_FREE);
            release(recorded);
        }
        book(recorded, block, record.size());
    }

    private void reallocate(final TraceRecord record)
    {
        final long original = record.address();
        if (original == NULL)
        {
            replayed++;
            placed(record, calls.reallocate(NULL, record.size(), record.alignment(), record.scope()));
            return;
        }
        if (!addresses.containsKey(original))
        {
            skip(ReplayResult.SkipReason.REALLOCATE_OF_UNKNOWN_BLOCK);
            return;
        }
        replayed++;
        final long mapped = addresses.get(original);
        final long block = calls.reallocate(mapped, record.size(), record.alignment(), record.scope());
        if (record.size() == 0)
        {
            unbook(original); // reallocate to 0 frees, whatever it returns
            return;
        }
        final long recorded = record.result();
        if (recorded == NULL)
        {
            recordedFailures++;
            if (block != NULL)
            {
                // the target resized where the recording failed: the program still holds 'original'
                unbook(original);
                book(original, block, record.size());
            }
            return;
        }
        if (block == NULL)
        {
            failures++;
            // the block stays where it was; later records call it by the recorded new address
            final long size = sizes.get(original);
            unbook(original);
            rebookUnderNewName(recorded, mapped, size);
            return;
        }
        unbook(original);
        if (addresses.containsKey(recorded))
        {
            skip(ReplayResult.SkipReason.IMPLIED_FREE);
            release(recorded);
        }
        book(recorded, block, record.size());
    }

    private void rebookUnderNewName(final long recorded, final long mapped, final long size)
    {
        if (addresses.containsKey(recorded))
        {
            skip(ReplayResult.SkipReason.IMPLIED_FREE);
            release(recorded);
        }
        book(recorded, mapped, size);
    }

    private void free(final TraceRecord record)
    {
        final long memory = record.address();
        if (memory == NULL)
        {
            replayed++;
            calls.free(NULL);
            return;
        }
        if (!addresses.containsKey(memory))
        {
            skip(ReplayResult.SkipReason.FREE_OF_UNKNOWN_BLOCK);
            return;
        }
        replayed++;
        release(memory);
    }

    /** Frees a booked block on the target and forgets it. */
    private void release(final long recorded)
    {
        calls.free(addresses.get(recorded));
        unbook(recorded);
    }

    private void book(final long recorded, final long block, final long size)
    {
        addresses.put(recorded, block);
        sizes.put(recorded, size);
        liveBytes += size;
        peakBytes = Math.max(peakBytes, liveBytes);
        peakBlocks = Math.max(peakBlocks, addresses.size());
    }

    private void unbook(final long recorded)
    {
        addresses.remove(recorded);
        final long size = sizes.remove(recorded);
        liveBytes -= size == NO_SIZE ? 0 : size;
    }

    private void skip(final ReplayResult.SkipReason reason)
    {
        skipped.merge(reason, 1L, Long::sum);
    }

    private void freeLeftovers()
    {
        final Long2LongHashMap.EntryIterator it = addresses.entrySet().iterator();
        while (it.hasNext())
        {
            it.next();
            target.free(it.getLongValue());
        }
        addresses.clear();
        sizes.clear();
        liveBytes = 0;
    }
}
