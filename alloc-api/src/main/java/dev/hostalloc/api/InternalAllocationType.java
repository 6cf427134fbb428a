package dev.hostalloc.api;

/**
 * The kind of memory an implementation allocated by its own means and only reports, exactly
 * Vulkan's {@code VkInternalAllocationType}: {@link #ordinal()} equals the Vulkan enum value.
 */
public enum InternalAllocationType
{
    /** Memory the host may execute (e.g. JIT-compiled shaders). */
    EXECUTABLE;

    /** Number of types; valid Vulkan values are {@code 0 .. COUNT - 1}. */
    public static final int COUNT = 1;

    private static final InternalAllocationType[] BY_VALUE = values();

    /**
     * Whether {@code value} is a valid {@code VkInternalAllocationType}.
     *
     * @param value a raw type value, e.g. from native code.
     * @return {@code true} when in range.
     */
    @RealtimeSafe
    public static boolean isValid(final int value)
    {
        return value >= 0 && value < COUNT;
    }

    /**
     * Table lookup of a raw Vulkan value, allocation free and never throwing.
     *
     * @param value a raw type value.
     * @return the type, or {@code null} when out of range.
     */
    @RealtimeSafe
    public static InternalAllocationType fromValueOrNull(final int value)
    {
        return isValid(value) ? BY_VALUE[value] : null;
    }
}
