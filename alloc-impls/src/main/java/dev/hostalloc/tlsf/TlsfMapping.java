package dev.hostalloc.tlsf;

/**
 * The two-level size classes of TLSF (Masmano et al., ECRTS 2004; as in Conte's {@code tlsf.c}):
 * a first level per power of two and {@link #SL_COUNT} linear second-level classes inside each,
 * so a class spans at most 1/32 of its size. Blocks below {@link #SMALL_BLOCK_SIZE} all sit in
 * first-level class 0, split into 16-byte steps.
 *
 * <p>A class is named by one {@code int}, its list index {@code fl * SL_COUNT + sl}.
 * {@link #insertIndex} gives the class a free block of a given size belongs to;
 * {@link #searchIndex} gives the lowest class whose every block is at least the given size
 * ("good fit": no list walk is ever needed).
 */
public final class TlsfMapping
{
    /** log2 of the number of second-level classes per first-level class. */
    public static final int SL_SHIFT = 5;

    /** Second-level classes per first-level class: 32 (one {@code int} bitmap each). */
    public static final int SL_COUNT = 1 << SL_SHIFT;

    /** log2 of the smallest size with a first-level class of its own. */
    public static final int FL_INDEX_SHIFT = SL_SHIFT + TlsfBlockDescriptor.GRANULE_SHIFT;

    /** Sizes below this (512 bytes) share first-level class 0, in 16-byte steps. */
    public static final long SMALL_BLOCK_SIZE = 1L << FL_INDEX_SHIFT;

    /** log2 of the largest block size a class exists for (blocks are below 2^48). */
    public static final int FL_INDEX_MAX = 47;

    /** First-level classes: 40, so the first-level bitmap fits a {@code long}. */
    public static final int FL_COUNT = FL_INDEX_MAX - FL_INDEX_SHIFT + 2;

    /** Number of free lists. */
    public static final int LIST_COUNT = FL_COUNT * SL_COUNT;

    /** Returned by {@link #searchIndex} for a size no class can hold. */
    public static final int NO_INDEX = -1;

    private static final int FL_OFFSET = FL_INDEX_SHIFT - 1;

    private TlsfMapping()
    {
    }

    /**
     * The class a free block of {@code size} bytes is kept in.
     *
     * @param size a block size, a multiple of 16, at least 32 and below 2^48.
     * @return the list index.
     */
    public static int insertIndex(final long size)
    {
        // Branch-free: sizes below SMALL_BLOCK_SIZE are computed as if log2 were FL_INDEX_SHIFT, which
        // gives first level 0 and second level size / GRANULE. With random sizes a branch between the
        // two ranges mispredicts often, and this runs up to four times per allocate+free pair.
        final int log2 = Math.max(63 - Long.numberOfLeadingZeros(size), FL_INDEX_SHIFT);
        return ((log2 - FL_OFFSET) << SL_SHIFT) + (int)(size >>> (log2 - SL_SHIFT)) - SL_COUNT;
    }

    /**
     * The lowest class all of whose blocks hold at least {@code size} bytes: {@code size} rounded
     * up to the next class boundary, then mapped.
     *
     * @param size a block size wanted, positive and below 2^48.
     * @return the list index, or {@link #NO_INDEX} when rounding goes past the last class.
     */
    public static int searchIndex(final long size)
    {
        // Round up to the next class boundary above SMALL_BLOCK_SIZE (the linear classes below are
        // exact): the mask is all ones exactly when size >= SMALL_BLOCK_SIZE, no branch.
        final long large = (SMALL_BLOCK_SIZE - 1 - size) >> 63;
        final long rounded = size + (((1L << (63 - Long.numberOfLeadingZeros(size | 1) - SL_SHIFT)) - 1) & large);
        if (rounded > TlsfBlockDescriptor.MAX_BLOCK_SIZE)
        {
            return NO_INDEX;
        }
        return insertIndex(rounded);
    }

    /**
     * The first-level part of a list index.
     *
     * @param index a list index.
     * @return {@code index / SL_COUNT}.
     */
    public static int firstLevel(final int index)
    {
        return index >>> SL_SHIFT;
    }

    /**
     * The second-level part of a list index.
     *
     * @param index a list index.
     * @return {@code index % SL_COUNT}.
     */
    public static int secondLevel(final int index)
    {
        return index & (SL_COUNT - 1);
    }

    /**
     * The smallest block size a class holds.
     *
     * @param index a list index.
     * @return the lower bound (inclusive) of the class.
     */
    public static long classLowerBound(final int index)
    {
        final int fl = firstLevel(index);
        final int sl = secondLevel(index);
        if (fl == 0)
        {
            return (long)sl << TlsfBlockDescriptor.GRANULE_SHIFT;
        }
        final int log2 = fl + FL_OFFSET;
        return (1L << log2) + ((long)sl << (log2 - SL_SHIFT));
    }
}
