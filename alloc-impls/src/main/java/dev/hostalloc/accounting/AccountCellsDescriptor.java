package dev.hostalloc.accounting;

import dev.hostalloc.api.SystemAllocationScope;

/**
 * Layout of the counters one thread slot keeps for one account: a {@code long[]} written only by the
 * slot's owner thread (plain/opaque stores, no atomic instruction) and summed over all slots when read.
 * Every figure is a running sum of what this slot did, so a block allocated by one thread and freed by
 * another leaves {@code +size} in one slot and {@code -size} in the other; the sums are exact once the
 * threads are quiescent.
 *
 * <pre>
 *   index (longs)
 *   0                 +--------------------------------------------------+
 *                     | padding: keeps other heap objects off these lines |
 *   PADDING           +--------------------------------------------------+
 *   RESERVED          | budget reserved from the account: SLOT_BYTES plus |
 *                     | the stock not used yet                            |
 *   STOCK_EPOCH       | the account's limit epoch the stock was taken in  |
 *   SLOT_BYTES        | bytes allocated minus bytes freed through the slot|
 *   SLOT_PEAK         | highest SLOT_BYTES so far                         |
 *   INTERNAL_BYTES    | internal (executable) bytes notified minus freed  |
 *   REALLOCATIONS     | successful reallocations                          |
 *   SITE_COUNTDOWN    | calls left until the next sampled allocation site |
 *   SCOPE_BYTES + s   | bytes per scope s (5 longs)                       |
 *   SCOPE_PEAK + s    | highest SCOPE_BYTES + s so far (5 longs)          |
 *   SCOPE_LEFT + s    | blocks that left scope s: freed, or moved out by  |
 *                     | a reallocation less those moved in (5 longs)      |
 *   HISTOGRAM + s*32+b| allocations in scope s of a size in bucket b     |
 *                     | (5 x 32 longs; a scope's allocation count is the  |
 *                     | sum of its buckets, its live blocks that count    |
 *                     | less SCOPE_LEFT)                                  |
 *   TRAILER           +--------------------------------------------------+
 *                     | padding                                           |
 *   LENGTH            +--------------------------------------------------+
 * </pre>
 *
 * <p>Histogram bucket {@code b} (of every scope) holds sizes {@code [2^(b-1), 2^b - 1]} ({@code b = 0}: size 0), the last
 * bucket everything from {@code 2^(BUCKETS-2)} up; see {@link #bucket(long)}.
 */
final class AccountCellsDescriptor
{
    /** Longs of padding at each end: two 64-byte cache lines. */
    static final int PADDING = 16;

    /**
     * Budget this slot has reserved from the account's charged total: {@link #SLOT_BYTES} plus the
     * stock not used yet. Kept as a total rather than as the stock itself so the hot paths write only
     * {@link #SLOT_BYTES} and merely compare against it.
     */
    static final int RESERVED = PADDING;
    /** The account's limit epoch when the reserve was taken: a changed limit voids older stock. */
    static final int STOCK_EPOCH = RESERVED + 1;
    /** Bytes allocated minus bytes freed through this slot, over all scopes. */
    static final int SLOT_BYTES = STOCK_EPOCH + 1;
    /** The highest {@link #SLOT_BYTES} so far. */
    static final int SLOT_PEAK = SLOT_BYTES + 1;
    /** Internal (executable) bytes notified minus those notified freed. */
    static final int INTERNAL_BYTES = SLOT_PEAK + 1;
    /** Successful reallocations that kept a block. */
    static final int REALLOCATIONS = INTERNAL_BYTES + 1;
    /** Allocations left until the next one whose site is captured (sampling). */
    static final int SITE_COUNTDOWN = REALLOCATIONS + 1;
    /** First of the per-scope byte counts, indexed by {@link SystemAllocationScope#value()}. */
    static final int SCOPE_BYTES = SITE_COUNTDOWN + 1;
    /** First of the per-scope byte peaks. */
    static final int SCOPE_PEAK = SCOPE_BYTES + SystemAllocationScope.COUNT;
    /**
     * First of the per-scope counts of blocks that left the scope (freed, or moved out by a
     * reallocation, less those moved in): live blocks are the scope's allocations less this, so an
     * allocation writes no live count.
     */
    static final int SCOPE_LEFT = SCOPE_PEAK + SystemAllocationScope.COUNT;
    /** Number of power-of-two histogram buckets per scope. */
    static final int BUCKETS = 32;
    /** First histogram bucket: scope 0's bucket 0. */
    static final int HISTOGRAM = SCOPE_LEFT + SystemAllocationScope.COUNT;
    /** Start of the trailing padding. */
    static final int TRAILER = HISTOGRAM + SystemAllocationScope.COUNT * BUCKETS;
    /** Length of one slot's array. */
    static final int LENGTH = TRAILER + PADDING;

    private AccountCellsDescriptor()
    {
    }

    /**
     * The cell counting allocations of a size in a scope.
     *
     * @param scopeValue the scope's value.
     * @param size       the size asked for.
     * @return {@code HISTOGRAM + scopeValue * BUCKETS + bucket(size)}.
     */
    static int histogram(final int scopeValue, final long size)
    {
        return HISTOGRAM + scopeValue * BUCKETS + bucket(size);
    }

    /**
     * The histogram bucket of a size.
     *
     * @param size a size in bytes, read as unsigned.
     * @return 0 for size 0, {@code 64 - numberOfLeadingZeros(size)} for others, at most
     *         {@code BUCKETS - 1}.
     */
    static int bucket(final long size)
    {
        return Math.min(Long.SIZE - Long.numberOfLeadingZeros(size), BUCKETS - 1);
    }

    /**
     * The smallest size in a bucket.
     *
     * @param bucket 0 .. {@code BUCKETS - 1}.
     * @return 0 for bucket 0, else {@code 2^(bucket-1)}.
     */
    static long bucketMinBytes(final int bucket)
    {
        return 0 == bucket ? 0 : 1L << (bucket - 1);
    }

    /**
     * The largest size in a bucket.
     *
     * @param bucket 0 .. {@code BUCKETS - 1}.
     * @return 0 for bucket 0, {@code 2^bucket - 1} for others, {@code Long.MAX_VALUE} for the last.
     */
    static long bucketMaxBytes(final int bucket)
    {
        if (bucket == BUCKETS - 1)
        {
            return Long.MAX_VALUE;
        }
        return 0 == bucket ? 0 : (1L << bucket) - 1;
    }
}
