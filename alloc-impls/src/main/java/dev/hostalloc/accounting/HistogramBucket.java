package dev.hostalloc.accounting;

/**
 * One power-of-two bucket of an account's size histogram: how many allocations asked for a size in
 * {@code [minBytes, maxBytes]} (reallocations are counted apart, in
 * {@link AccountSnapshot#reallocations()}).
 *
 * @param minBytes    the smallest size in the bucket: 0, or a power of two.
 * @param maxBytes    the largest size in the bucket: {@code 2 * minBytes - 1} (0 for the size-0 bucket,
 *                    {@code Long.MAX_VALUE} for the last one).
 * @param allocations how many requests fell into the bucket.
 */
public record HistogramBucket(long minBytes, long maxBytes, long allocations)
{
    /**
     * Validates the bucket.
     *
     * @throws IllegalArgumentException when {@code maxBytes < minBytes} or a figure is negative.
     */
    public HistogramBucket
    {
        if (minBytes < 0 || maxBytes < minBytes || allocations < 0)
        {
            throw new IllegalArgumentException("invalid histogram bucket [" + minBytes + ", " + maxBytes + "]: " + allocations);
        }
    }
}
