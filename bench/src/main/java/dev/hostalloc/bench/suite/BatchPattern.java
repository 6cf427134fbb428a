package dev.hostalloc.bench.suite;

import java.util.SplittableRandom;

/**
 * The batch pattern of the suite: {@value #BLOCKS} live blocks of mixed sizes from {@value #MIN_SIZE} B to
 * {@value #MAX_SIZE} B (log-uniform, as driver requests are: many small, some page-sized), allocated in
 * one order and freed in another (a fixed random permutation), so an allocator cannot get away with
 * LIFO reuse alone. The same seed gives every benchmark of a run the same sizes and the same order.
 *
 * <pre>
 *   allocate: block[0] block[1] ... block[63]          sizes[i]
 *   free:     block[order[0]] ... block[order[63]]     order = a permutation of 0..63
 * </pre>
 */
public final class BatchPattern
{
    /** Live blocks per batch: the batch benchmarks report nanoseconds per allocate+free pair. */
    public static final int BLOCKS = 64;

    /** The smallest block size in bytes. */
    public static final long MIN_SIZE = 16;

    /** The largest block size in bytes. */
    public static final long MAX_SIZE = 4096;

    /** The seed of the sizes and the free order: fixed, so every run measures the same pattern. */
    public static final long SEED = 0x5EED_10L;

    private static final long[] SIZES = new long[BLOCKS];
    private static final int[] FREE_ORDER = new int[BLOCKS];

    static
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final int minLog2 = Long.numberOfTrailingZeros(MIN_SIZE);
        final int maxLog2 = Long.numberOfTrailingZeros(MAX_SIZE);
        for (int i = 0; i < BLOCKS; i++)
        {
            // log-uniform between MIN_SIZE and MAX_SIZE, any byte count (not only powers of two)
            final long low = 1L << random.nextInt(minLog2, maxLog2);
            SIZES[i] = random.nextLong(low, 2 * low + 1);
            FREE_ORDER[i] = i;
        }
        for (int i = BLOCKS - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int t = FREE_ORDER[i];
            FREE_ORDER[i] = FREE_ORDER[j];
            FREE_ORDER[j] = t;
        }
    }

    private BatchPattern()
    {
    }

    /**
     * The block sizes, in allocation order.
     *
     * @return a fresh copy of the {@value #BLOCKS} sizes, each in [{@value #MIN_SIZE}, {@value #MAX_SIZE}].
     */
    public static long[] sizes()
    {
        return SIZES.clone();
    }

    /**
     * The free order.
     *
     * @return a fresh copy of a permutation of {@code 0..BLOCKS-1}, not the identity.
     */
    public static int[] freeOrder()
    {
        return FREE_ORDER.clone();
    }
}
