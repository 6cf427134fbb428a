package dev.hostalloc.api;

/**
 * Alignment arithmetic shared by every implementation. Vulkan alignments are powers of two,
 * including 1, 2 and 4 (below {@code malloc}'s own guarantee).
 */
public final class Alignment
{
    /** The largest alignment the conformance kit demands of every implementation: 64 KiB. */
    public static final long CONFORMANCE_MAX_ALIGNMENT = 64 * 1024;

    private Alignment()
    {
    }

    /**
     * Whether {@code alignment} is a valid Vulkan alignment.
     *
     * @param alignment a requested alignment, read as unsigned.
     * @return {@code true} when it is a power of two (1 included).
     */
    @RealtimeSafe
    public static boolean isPowerOfTwo(final long alignment)
    {
        return alignment != 0 && (alignment & (alignment - 1)) == 0;
    }

    /**
     * Rounds {@code value} up to a multiple of {@code alignment}.
     *
     * @param value     a non-negative value.
     * @param alignment a power of two.
     * @return the smallest multiple of {@code alignment} not below {@code value}; wraps on overflow,
     *         so callers check the range first.
     */
    @RealtimeSafe
    public static long alignUp(final long value, final long alignment)
    {
        return (value + alignment - 1) & -alignment;
    }

    /**
     * Whether {@code address} is a multiple of {@code alignment}.
     *
     * @param address   an address.
     * @param alignment a power of two.
     * @return {@code true} when aligned.
     */
    @RealtimeSafe
    public static boolean isAligned(final long address, final long alignment)
    {
        return (address & (alignment - 1)) == 0;
    }
}
