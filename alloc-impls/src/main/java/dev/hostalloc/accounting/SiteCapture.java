package dev.hostalloc.accounting;

import java.util.Locale;

/**
 * Whether, and how often, an {@link AccountingAllocator} records the Java frame that made an
 * allocation, so that a {@link LeakReport} can name it. Off by default: capturing walks the stack and
 * allocates Java heap, so it is for finding leaks, not for production hot paths.
 *
 * <p>The frame named is the first one, from the top of the stack, that belongs neither to an
 * {@link dev.hostalloc.api.AllocationCallbacks} implementation nor to the JDK or LWJGL: for a Vulkan
 * driver's allocation that is the application method that called into Vulkan.
 *
 * @param everyNth 0: never; 1: every allocation; {@code n}: one allocation in {@code n} per thread and
 *                 account.
 */
public record SiteCapture(int everyNth)
{
    /** No capture: the default. */
    public static final SiteCapture OFF = new SiteCapture(0);

    /** Capture on every allocation. */
    public static final SiteCapture EVERY_CALL = new SiteCapture(1);

    /**
     * Validates the setting.
     *
     * @throws IllegalArgumentException when {@code everyNth} is negative.
     */
    public SiteCapture
    {
        if (everyNth < 0)
        {
            throw new IllegalArgumentException("site capture interval must be 0 (off) or positive: " + everyNth);
        }
    }

    /**
     * Capture one allocation in {@code n}.
     *
     * @param n the sampling interval, at least 1.
     * @return the setting.
     * @throws IllegalArgumentException when {@code n} is below 1.
     */
    public static SiteCapture everyNth(final int n)
    {
        if (n < 1)
        {
            throw new IllegalArgumentException("site capture interval must be at least 1: " + n);
        }
        return new SiteCapture(n);
    }

    /**
     * Parses the spec-string form: {@code off}, {@code all}, or a positive interval {@code n}.
     *
     * @param text the text, case-insensitive.
     * @return the setting.
     * @throws IllegalArgumentException naming the valid forms when {@code text} is none of them.
     */
    public static SiteCapture parse(final String text)
    {
        final String value = text.trim().toLowerCase(Locale.ROOT);
        if ("off".equals(value))
        {
            return OFF;
        }
        if ("all".equals(value))
        {
            return EVERY_CALL;
        }
        try
        {
            return everyNth(Integer.parseInt(value));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException(
                "site capture '" + text + "' is invalid: expected off, all, or a positive interval n (one allocation in n)", ex);
        }
    }

    /**
     * Whether any site is captured.
     *
     * @return {@code true} unless {@link #OFF}.
     */
    public boolean enabled()
    {
        return everyNth != 0;
    }

    /**
     * The spec-string form.
     *
     * @return {@code off}, {@code all} or the interval.
     */
    @Override
    public String toString()
    {
        return everyNth == 0 ? "off" : everyNth == 1 ? "all" : Integer.toString(everyNth);
    }
}
