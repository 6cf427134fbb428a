package dev.hostalloc.render;

/**
 * The step the renderer is in (the Vulkan command being called, or a stage of its own), readable by
 * an allocator underneath to attribute each host allocation to the call that made it. Written by the
 * renderer's thread before each call with a constant string (no heap allocation); read by the
 * allocator on the same thread, since Vulkan calls the callbacks on the calling thread.
 */
public final class RenderTrace
{
    /** The step before the renderer has started. */
    public static final String IDLE = "idle";

    private volatile String step = IDLE;

    /**
     * Creates a trace in step {@link #IDLE}.
     */
    public RenderTrace()
    {
    }

    /**
     * Enters a step.
     *
     * @param name a constant such as {@code vkCreateDevice}.
     */
    public void enter(final String name)
    {
        step = name;
    }

    /**
     * The current step.
     *
     * @return the name given to the last {@link #enter}.
     */
    public String step()
    {
        return step;
    }
}
