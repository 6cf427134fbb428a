package dev.hostalloc.render;

import dev.hostalloc.vulkan.VkResults;

/**
 * A renderer step failed: names the step (a Vulkan command or a renderer stage) and the
 * {@code VkResult} it returned, e.g. {@code vkCreateDevice failed: VK_ERROR_OUT_OF_HOST_MEMORY}.
 * Thrown by {@link Renderer#open}, {@link Renderer#renderFrame} and {@link Renderer#readBack}; the
 * renderer is then still safe to {@link Renderer#close()}.
 */
public final class RenderSetupException extends RuntimeException
{
    /** The result used when a step failed without a {@code VkResult} (e.g. no suitable device). */
    public static final int NO_RESULT = VkResults.NO_RESULT;

    private static final long serialVersionUID = 1L;

    private final String step;
    private final int result;

    /**
     * A failed step.
     *
     * @param step   the Vulkan command or stage, e.g. {@code vkCreateDevice}.
     * @param result its {@code VkResult}, or {@link #NO_RESULT}.
     * @param detail more words, or an empty string.
     */
    public RenderSetupException(final String step, final int result, final String detail)
    {
        super(step + " failed" + (NO_RESULT == result ? "" : ": " + VkResults.name(result)) +
            (detail.isEmpty() ? "" : " (" + detail + ")"));
        this.step = step;
        this.result = result;
    }

    /**
     * The step that failed.
     *
     * @return e.g. {@code vkCreateDevice}.
     */
    public String step()
    {
        return step;
    }

    /**
     * The {@code VkResult} the step returned.
     *
     * @return the code, or {@link #NO_RESULT}.
     */
    public int result()
    {
        return result;
    }

    /**
     * Whether the step failed because a host allocation failed.
     *
     * @return {@code true} for {@code VK_ERROR_OUT_OF_HOST_MEMORY}.
     */
    public boolean outOfHostMemory()
    {
        return VkResults.ERROR_OUT_OF_HOST_MEMORY == result;
    }
}
