package dev.hostalloc.api;

/**
 * The lifetime of a host allocation, exactly Vulkan's {@code VkSystemAllocationScope}:
 * {@link #ordinal()} equals the Vulkan enum value (0..4).
 *
 * <p>The spec's most-specific-allocator rule picks which {@link AllocationCallbacks} serves a
 * scope (see {@link AllocationCallbacks#select(AllocationCallbacks, AllocationCallbacks)}).
 */
public enum SystemAllocationScope
{
    /** Lives only for the duration of the API command: freed before the command returns. */
    COMMAND,
    /** Lives as long as the object being created or used. */
    OBJECT,
    /** Lives as long as a pipeline cache or validation cache. */
    CACHE,
    /** Lives as long as the device. */
    DEVICE,
    /** Lives as long as the instance. */
    INSTANCE;

    /** Number of scopes; valid Vulkan values are {@code 0 .. COUNT - 1}. */
    public static final int COUNT = 5;

    /** A mask with every scope's {@link #bit()} set. */
    public static final int ALL_SCOPES_MASK = (1 << COUNT) - 1;

    private static final SystemAllocationScope[] BY_VALUE = values();

    /**
     * The Vulkan enum value of this scope.
     *
     * @return {@link #ordinal()}, which is {@code VkSystemAllocationScope}'s value.
     */
    @RealtimeSafe
    public int value()
    {
        return ordinal();
    }

    /**
     * This scope as a bit for scope masks such as the validator's allowed-live-scope mask.
     *
     * @return {@code 1 << value()}.
     */
    public int bit()
    {
        return 1 << ordinal();
    }

    /**
     * Whether {@code value} is a valid {@code VkSystemAllocationScope}.
     *
     * @param value a raw scope value, e.g. from native code.
     * @return {@code true} for 0..4.
     */
    @RealtimeSafe
    public static boolean isValid(final int value)
    {
        return value >= 0 && value < COUNT;
    }

    /**
     * Table lookup of a raw Vulkan value, allocation free and never throwing, for callback paths.
     *
     * @param value a raw scope value.
     * @return the scope, or {@code null} when {@code value} is out of range.
     */
    @RealtimeSafe
    public static SystemAllocationScope fromValueOrNull(final int value)
    {
        return isValid(value) ? BY_VALUE[value] : null;
    }

    /**
     * Lookup of a raw Vulkan value.
     *
     * @param value a raw scope value.
     * @return the scope.
     * @throws IllegalArgumentException when {@code value} is not 0..4.
     */
    public static SystemAllocationScope fromValue(final int value)
    {
        if (!isValid(value))
        {
            throw new IllegalArgumentException(
                "VkSystemAllocationScope value " + value + " is out of range 0.." + (COUNT - 1));
        }
        return BY_VALUE[value];
    }
}
