package dev.hostalloc.sim;

/**
 * driver-sim's result codes: the values of Vulkan's {@code VkResult} that driver-sim returns.
 * Successes are 0 or positive, errors negative.
 */
public final class SimResult
{
    /** {@code VK_SUCCESS}. */
    public static final int SUCCESS = 0;

    /** {@code VK_NOT_READY}: a fence is not signaled yet. */
    public static final int NOT_READY = 1;

    /** {@code VK_TIMEOUT}: a wait ended before the fence was signaled. */
    public static final int TIMEOUT = 2;

    /** {@code VK_ERROR_OUT_OF_HOST_MEMORY}: the callbacks returned 0 for memory the call needed. */
    public static final int ERROR_OUT_OF_HOST_MEMORY = -1;

    /** {@code VK_ERROR_OUT_OF_DEVICE_MEMORY}: e.g. a buffer larger than the device's limit. */
    public static final int ERROR_OUT_OF_DEVICE_MEMORY = -2;

    /** {@code VK_ERROR_FEATURE_NOT_PRESENT}: e.g. callbacks that do not meet a device's requirements. */
    public static final int ERROR_FEATURE_NOT_PRESENT = -8;

    /** {@code VK_ERROR_FORMAT_NOT_SUPPORTED}: a format missing from the device's format table. */
    public static final int ERROR_FORMAT_NOT_SUPPORTED = -11;

    /** {@code VK_ERROR_OUT_OF_POOL_MEMORY}: a pool is full (no host allocation was attempted). */
    public static final int ERROR_OUT_OF_POOL_MEMORY = -1000069000;

    private SimResult()
    {
    }

    /**
     * Whether {@code result} is a success code.
     *
     * @param result a result code.
     * @return {@code true} for 0 and positive codes.
     */
    public static boolean isSuccess(final int result)
    {
        return result >= 0;
    }

    /**
     * The Vulkan name of a result code.
     *
     * @param result a result code.
     * @return e.g. {@code "VK_ERROR_OUT_OF_HOST_MEMORY"}, or {@code "VkResult(n)"} for other values.
     */
    public static String name(final int result)
    {
        return switch (result)
        {
            case SUCCESS -> "VK_SUCCESS";
            case NOT_READY -> "VK_NOT_READY";
            case TIMEOUT -> "VK_TIMEOUT";
            case ERROR_OUT_OF_HOST_MEMORY -> "VK_ERROR_OUT_OF_HOST_MEMORY";
            case ERROR_OUT_OF_DEVICE_MEMORY -> "VK_ERROR_OUT_OF_DEVICE_MEMORY";
            case ERROR_FEATURE_NOT_PRESENT -> "VK_ERROR_FEATURE_NOT_PRESENT";
            case ERROR_FORMAT_NOT_SUPPORTED -> "VK_ERROR_FORMAT_NOT_SUPPORTED";
            case ERROR_OUT_OF_POOL_MEMORY -> "VK_ERROR_OUT_OF_POOL_MEMORY";
            default -> "VkResult(" + result + ")";
        };
    }
}
