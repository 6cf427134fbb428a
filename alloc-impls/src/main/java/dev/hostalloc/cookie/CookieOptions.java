package dev.hostalloc.cookie;

/**
 * How a {@link CookieAllocator} checks its blocks.
 *
 * @param strict           keep a {@link BlockRegistry} of live blocks, so a pointer is known to be
 *                         foreign or freed without reading the bytes before it (which may be unmapped);
 *                         also catches two threads freeing one block at once. Costs a few lock-free
 *                         compare-and-sets per call and {@code 8 * 2 * registryCapacity} bytes of heap.
 * @param poison           fill a block with {@link CookieAllocator#POISON_BYTE} when it is freed, so a use
 *                         after free reads recognisable garbage. The fill is not checked later: the memory
 *                         goes back to the delegate.
 * @param captureSites     record the allocating Java frame of every block ({@link AllocationSites}) and name
 *                         it in reports. Walks the stack and allocates Java heap on every allocation.
 * @param canaryLength     bytes of canary after each block: 0 (none) or a multiple of 8 up to
 *                         {@link CookieBlockDescriptor#MAX_CANARY_LENGTH}.
 * @param registryCapacity the most live blocks strict mode can track; an allocation beyond it returns 0
 *                         (counted by {@link CookieAllocator#registryFullFailures()}). Ignored unless
 *                         {@code strict}.
 */
public record CookieOptions(
    boolean strict, boolean poison, boolean captureSites, int canaryLength, int registryCapacity)
{
    /** The default canary: one 8-byte word. */
    public static final int DEFAULT_CANARY_LENGTH = Long.BYTES;

    /** The default most live blocks strict mode tracks: 262,144 (a 4 MiB table). */
    public static final int DEFAULT_REGISTRY_CAPACITY = 1 << 18;

    /** The most live blocks a registry can track: 2^29. */
    public static final int MAX_REGISTRY_CAPACITY = 1 << 29;

    /** Header mode (no registry), no poisoning, no site capture, an 8-byte canary. */
    public static final CookieOptions DEFAULT =
        new CookieOptions(false, false, false, DEFAULT_CANARY_LENGTH, DEFAULT_REGISTRY_CAPACITY);

    /**
     * Validates the options.
     *
     * @throws IllegalArgumentException when {@code canaryLength} is negative, not a multiple of 8 or above
     *                                  {@link CookieBlockDescriptor#MAX_CANARY_LENGTH}, or
     *                                  {@code registryCapacity} is not 1..{@link #MAX_REGISTRY_CAPACITY}.
     */
    public CookieOptions
    {
        if (canaryLength < 0 || canaryLength > CookieBlockDescriptor.MAX_CANARY_LENGTH ||
            canaryLength % Long.BYTES != 0)
        {
            throw new IllegalArgumentException("canaryLength must be 0 or a multiple of 8 up to " +
                CookieBlockDescriptor.MAX_CANARY_LENGTH + ": " + canaryLength);
        }
        if (registryCapacity < 1 || registryCapacity > MAX_REGISTRY_CAPACITY)
        {
            throw new IllegalArgumentException(
                "registryCapacity must be 1.." + MAX_REGISTRY_CAPACITY + ": " + registryCapacity);
        }
    }

    /**
     * A copy with another mode.
     *
     * @param strict {@code true} for the registry of live blocks.
     * @return the copy.
     */
    public CookieOptions withStrict(final boolean strict)
    {
        return new CookieOptions(strict, poison, captureSites, canaryLength, registryCapacity);
    }

    /**
     * A copy with poisoning on or off.
     *
     * @param poison {@code true} to fill freed blocks.
     * @return the copy.
     */
    public CookieOptions withPoison(final boolean poison)
    {
        return new CookieOptions(strict, poison, captureSites, canaryLength, registryCapacity);
    }

    /**
     * A copy with site capture on or off.
     *
     * @param captureSites {@code true} to record allocating frames.
     * @return the copy.
     */
    public CookieOptions withCaptureSites(final boolean captureSites)
    {
        return new CookieOptions(strict, poison, captureSites, canaryLength, registryCapacity);
    }

    /**
     * A copy with another canary length.
     *
     * @param canaryLength 0 or a multiple of 8 up to {@link CookieBlockDescriptor#MAX_CANARY_LENGTH}.
     * @return the copy.
     * @throws IllegalArgumentException when out of range.
     */
    public CookieOptions withCanaryLength(final int canaryLength)
    {
        return new CookieOptions(strict, poison, captureSites, canaryLength, registryCapacity);
    }

    /**
     * A copy with another registry capacity.
     *
     * @param registryCapacity 1..{@link #MAX_REGISTRY_CAPACITY}.
     * @return the copy.
     * @throws IllegalArgumentException when out of range.
     */
    public CookieOptions withRegistryCapacity(final int registryCapacity)
    {
        return new CookieOptions(strict, poison, captureSites, canaryLength, registryCapacity);
    }
}
