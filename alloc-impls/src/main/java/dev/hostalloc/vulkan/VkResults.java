package dev.hostalloc.vulkan;

/** Names of {@code VkResult} values, for reports. */
public final class VkResults
{
    /** The result reported for a Vulkan function that returns {@code void}. */
    public static final int NO_RESULT = Integer.MIN_VALUE;

    /** {@code VK_SUCCESS}. */
    public static final int SUCCESS = 0;

    /** {@code VK_INCOMPLETE}. */
    public static final int INCOMPLETE = 5;

    /** {@code VK_ERROR_OUT_OF_HOST_MEMORY}. */
    public static final int ERROR_OUT_OF_HOST_MEMORY = -1;

    private VkResults()
    {
    }

    /**
     * The enum name of a result.
     *
     * @param result a {@code VkResult}, or {@link #NO_RESULT}.
     * @return e.g. {@code "VK_ERROR_OUT_OF_HOST_MEMORY"}; {@code "void"} for {@link #NO_RESULT};
     *         {@code "VkResult(n)"} for a value not listed here.
     */
    public static String name(final int result)
    {
        return switch (result)
        {
            case NO_RESULT -> "void";
            case 0 -> "VK_SUCCESS";
            case 1 -> "VK_NOT_READY";
            case 2 -> "VK_TIMEOUT";
            case 3 -> "VK_EVENT_SET";
            case 4 -> "VK_EVENT_RESET";
            case 5 -> "VK_INCOMPLETE";
            case -1 -> "VK_ERROR_OUT_OF_HOST_MEMORY";
            case -2 -> "VK_ERROR_OUT_OF_DEVICE_MEMORY";
            case -3 -> "VK_ERROR_INITIALIZATION_FAILED";
            case -4 -> "VK_ERROR_DEVICE_LOST";
            case -5 -> "VK_ERROR_MEMORY_MAP_FAILED";
            case -6 -> "VK_ERROR_LAYER_NOT_PRESENT";
            case -7 -> "VK_ERROR_EXTENSION_NOT_PRESENT";
            case -8 -> "VK_ERROR_FEATURE_NOT_PRESENT";
            case -9 -> "VK_ERROR_INCOMPATIBLE_DRIVER";
            case -10 -> "VK_ERROR_TOO_MANY_OBJECTS";
            case -11 -> "VK_ERROR_FORMAT_NOT_SUPPORTED";
            case -12 -> "VK_ERROR_FRAGMENTED_POOL";
            case -13 -> "VK_ERROR_UNKNOWN";
            case -1000069000 -> "VK_ERROR_OUT_OF_POOL_MEMORY";
            case -1000072003 -> "VK_ERROR_INVALID_EXTERNAL_HANDLE";
            case -1000161000 -> "VK_ERROR_FRAGMENTATION";
            case 1000297000 -> "VK_PIPELINE_COMPILE_REQUIRED";
            default -> "VkResult(" + result + ")";
        };
    }

    /**
     * Whether a result is one the CTS accepts from a call whose host allocations may fail.
     *
     * @param result a {@code VkResult}, or {@link #NO_RESULT}.
     * @return {@code true} for {@code VK_SUCCESS}, {@code VK_ERROR_OUT_OF_HOST_MEMORY} and void.
     */
    public static boolean isSuccessOrOutOfHostMemory(final int result)
    {
        return SUCCESS == result || ERROR_OUT_OF_HOST_MEMORY == result || NO_RESULT == result;
    }
}
