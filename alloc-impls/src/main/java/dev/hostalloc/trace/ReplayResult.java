package dev.hostalloc.trace;

import dev.hostalloc.testkit.ValidationError;

import java.util.List;
import java.util.Map;

/**
 * What {@link TraceReplayer#replay} did: how fast, how much memory, what failed, what the
 * validator found, and which records it skipped because the trace was not consistent there.
 *
 * @param records          records in the trace.
 * @param replayed         calls made on the target.
 * @param nanos            wall time of the replay loop (the target plus the validator's recorder).
 * @param peakBytes        the most requested bytes live at once during the replay.
 * @param peakBlocks       the most blocks live at once.
 * @param failures         allocations or reallocations that the recording saw succeed and the target
 *                         refused (returned 0).
 * @param recordedFailures calls that had failed in the recording too (replayed as recorded).
 * @param violations       what {@code CallbackValidator} found in the target's calls (empty when not
 *                         validated).
 * @param validated        whether the calls were recorded and validated.
 * @param liveAtEnd        blocks the recorded program never freed; the replayer freed them afterwards.
 * @param liveBytesAtEnd   their requested bytes.
 * @param skipped          records not replayed, by reason; empty for a consistent trace.
 * @param recordsDropped   the trace footer's dropped count (gaps the logger knew of).
 */
public record ReplayResult(
    long records,
    long replayed,
    long nanos,
    long peakBytes,
    long peakBlocks,
    long failures,
    long recordedFailures,
    List<ValidationError> violations,
    boolean validated,
    long liveAtEnd,
    long liveBytesAtEnd,
    Map<SkipReason, Long> skipped,
    long recordsDropped)
{
    /** Why a record was not replayed as recorded. */
    public enum SkipReason
    {
        /** A free of an address not live in the replay: its allocation is missing, or the recorded program freed a bad pointer. */
        FREE_OF_UNKNOWN_BLOCK("free of a block the replay never saw allocated (a dropped record, or a bad free)"),
        /** A reallocation of an address not live in the replay. */
        REALLOCATE_OF_UNKNOWN_BLOCK("reallocate of a block the replay never saw allocated"),
        /** An allocation returned an address still live in the replay: its free was dropped; freed first. */
        IMPLIED_FREE("allocation at an address still live (its free was dropped): the old block was freed first");

        private final String description;

        SkipReason(final String description)
        {
            this.description = description;
        }

        /**
         * What it means, for people.
         *
         * @return one line.
         */
        public String description()
        {
            return description;
        }
    }

    /**
     * Calls per second.
     *
     * @return {@code replayed / seconds}, or 0 for an empty replay.
     */
    public double opsPerSecond()
    {
        return nanos <= 0 ? 0 : replayed * 1e9 / nanos;
    }

    /**
     * Records skipped (or repaired) for all reasons.
     *
     * @return the sum of {@link #skipped()}.
     */
    public long skippedTotal()
    {
        long total = 0;
        for (final long count : skipped.values())
        {
            total += count;
        }
        return total;
    }

    /**
     * Whether the replay was clean: no failure and no violation.
     *
     * @return {@code true} when nothing failed and the validator found nothing.
     */
    public boolean passed()
    {
        return failures == 0 && violations.isEmpty();
    }

    /**
     * The report people read.
     *
     * @return several lines, ending with a newline.
     */
    public String text()
    {
        final StringBuilder sb = new StringBuilder(512);
        sb.append(String.format("replayed   %,d of %,d records in %.3f s: %,.0f ops/s%n",
            replayed, records, nanos / 1e9, opsPerSecond()));
        sb.append(String.format("peak       %,d bytes in %,d blocks%n", peakBytes, peakBlocks));
        sb.append(String.format("failures   %,d (the target returned NULL where the recording succeeded)%s%n",
            failures, recordedFailures > 0 ? "; " + recordedFailures + " calls had failed in the recording too" : ""));
        if (validated)
        {
            sb.append(String.format("violations %,d%n", violations.size()));
            for (int i = 0; i < Math.min(violations.size(), MAX_LISTED); i++)
            {
                sb.append("  ").append(violations.get(i)).append(System.lineSeparator());
            }
            if (violations.size() > MAX_LISTED)
            {
                sb.append("  ... ").append(violations.size() - MAX_LISTED).append(" more").append(System.lineSeparator());
            }
        }
        else
        {
            sb.append("violations not checked (--no-validate)").append(System.lineSeparator());
        }
        if (liveAtEnd > 0)
        {
            sb.append(String.format("leaked     %,d blocks (%,d bytes) never freed by the recorded program; " +
                "freed after the replay%n", liveAtEnd, liveBytesAtEnd));
        }
        if (recordsDropped > 0 || !skipped.isEmpty())
        {
            sb.append(String.format("gaps       the trace dropped %,d records; skipped %,d:%n", recordsDropped, skippedTotal()));
            skipped.forEach((reason, count) ->
                sb.append(String.format("  %,d x %s%n", count, reason.description())));
        }
        return sb.toString();
    }

    private static final int MAX_LISTED = 20;
}
