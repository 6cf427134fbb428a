package dev.hostalloc.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@link ViolationPolicy#RECORD_AND_COUNT}: never throws, never blocks, never allocates. Counts
 * every violation per kind (lock-free) and keeps the details of the first {@code detailCapacity}
 * in preallocated slots; later ones are counted only.
 */
public final class RecordingViolationHandler implements ViolationHandler
{
    /** Detail slots of a handler made by {@link ViolationHandler#recordAndCount()}. */
    public static final int DEFAULT_DETAIL_CAPACITY = 64;

    private static final Violation[] VIOLATIONS = Violation.values();
    private static final int PUBLISHED = 1;

    private final AtomicLongArray countsByKind = new AtomicLongArray(VIOLATIONS.length);
    private final AtomicLong claimedSlots = new AtomicLong();
    private final int detailCapacity;
    private final Violation[] kinds;
    private final long[] addresses;
    private final long[] sizes;
    private final SystemAllocationScope[] scopes;
    private final String[] details;
    private final AtomicIntegerArray publishedSlots;

    /**
     * Creates a handler.
     *
     * @param detailCapacity how many violations keep their details; 0 keeps counts only.
     * @throws IllegalArgumentException when {@code detailCapacity} is negative.
     */
    public RecordingViolationHandler(final int detailCapacity)
    {
        if (detailCapacity < 0)
        {
            throw new IllegalArgumentException("detailCapacity must not be negative: " + detailCapacity);
        }
        this.detailCapacity = detailCapacity;
        kinds = new Violation[detailCapacity];
        addresses = new long[detailCapacity];
        sizes = new long[detailCapacity];
        scopes = new SystemAllocationScope[detailCapacity];
        details = new String[detailCapacity];
        publishedSlots = new AtomicIntegerArray(detailCapacity);
    }

    @Override
    public void onViolation(
        final Violation violation,
        final long address,
        final long size,
        final SystemAllocationScope scope,
        final String detail)
    {
        countsByKind.incrementAndGet(violation.ordinal());
        final long slot = claimedSlots.getAndIncrement();
        if (slot < detailCapacity)
        {
            final int i = (int)slot;
            kinds[i] = violation;
            addresses[i] = address;
            sizes[i] = size;
            scopes[i] = scope;
            details[i] = detail;
            publishedSlots.setRelease(i, PUBLISHED);
        }
    }

    /**
     * How many violations of one kind were reported.
     *
     * @param violation the kind.
     * @return the count.
     */
    public long count(final Violation violation)
    {
        return countsByKind.get(violation.ordinal());
    }

    /**
     * How many violations were reported in all.
     *
     * @return the sum over all kinds.
     */
    public long totalCount()
    {
        long total = 0;
        for (int i = 0; i < VIOLATIONS.length; i++)
        {
            total += countsByKind.get(i);
        }
        return total;
    }

    /**
     * Whether any violation was reported.
     *
     * @return {@code true} when {@link #totalCount()} is not 0.
     */
    public boolean hasViolations()
    {
        return totalCount() != 0;
    }

    /**
     * The violations whose details were kept, in report order.
     *
     * @return a new list; at most the detail capacity long.
     */
    public List<ReportedViolation> violations()
    {
        final int kept = (int)Math.min(claimedSlots.get(), detailCapacity);
        final List<ReportedViolation> result = new ArrayList<>(kept);
        for (int i = 0; i < kept; i++)
        {
            if (publishedSlots.getAcquire(i) == PUBLISHED)
            {
                result.add(new ReportedViolation(kinds[i], addresses[i], sizes[i], scopes[i], details[i]));
            }
        }
        return result;
    }

    /**
     * A report a person can read: counts per kind, then one line per kept violation.
     *
     * @return the report; {@code "no violations"} when there were none.
     */
    public String report()
    {
        final long total = totalCount();
        if (total == 0)
        {
            return "no violations";
        }
        final StringBuilder sb = new StringBuilder();
        sb.append(total).append(total == 1 ? " violation:" : " violations:");
        for (final Violation v : VIOLATIONS)
        {
            final long n = countsByKind.get(v.ordinal());
            if (n != 0)
            {
                sb.append(' ').append(v.name()).append('=').append(n);
            }
        }
        sb.append(System.lineSeparator());
        final List<ReportedViolation> kept = violations();
        for (final ReportedViolation r : kept)
        {
            sb.append("  ").append(r).append(System.lineSeparator());
        }
        if (total > kept.size())
        {
            sb.append("  (").append(total - kept.size()).append(" more counted, details not kept)")
                .append(System.lineSeparator());
        }
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return "ViolationHandler[RECORD_AND_COUNT, " + totalCount() + " reported]";
    }
}
