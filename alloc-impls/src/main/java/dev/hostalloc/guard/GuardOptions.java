package dev.hostalloc.guard;

import java.util.Objects;

/**
 * How a {@link GuardPageAllocator} places and retires its blocks.
 *
 * @param mode             which end of each block sits against the guard page.
 * @param quarantineBytes  how many bytes of freed mappings stay mapped {@code PROT_NONE}, oldest unmapped
 *                         first, so a use after free faults; their memory is held until they are unmapped,
 *                         so this also bounds the memory the quarantine keeps; 0 unmaps at once (a later
 *                         mapping may then reuse the address and a use after free lands in it unseen).
 * @param captureSites     record each block's allocating Java frame and name it in reports (walks the
 *                         stack and allocates Java heap on every allocation).
 */
public record GuardOptions(GuardMode mode, long quarantineBytes, boolean captureSites)
{
    /** The default quarantine budget: 64 MiB of freed mappings. */
    public static final long DEFAULT_QUARANTINE_BYTES = 64L << 20;

    /** Overflow mode, a 64 MiB quarantine, no site capture. */
    public static final GuardOptions DEFAULT = new GuardOptions(GuardMode.OVERFLOW, DEFAULT_QUARANTINE_BYTES, false);

    /**
     * Validates the options.
     *
     * @throws NullPointerException     when {@code mode} is {@code null}.
     * @throws IllegalArgumentException when {@code quarantineBytes} is negative.
     */
    public GuardOptions
    {
        Objects.requireNonNull(mode, "mode");
        if (quarantineBytes < 0)
        {
            throw new IllegalArgumentException("quarantineBytes must not be negative: " + quarantineBytes);
        }
    }

    /**
     * A copy with another mode.
     *
     * @param mode the placement.
     * @return the copy.
     */
    public GuardOptions withMode(final GuardMode mode)
    {
        return new GuardOptions(mode, quarantineBytes, captureSites);
    }

    /**
     * A copy with another quarantine budget.
     *
     * @param quarantineBytes bytes, 0 for none.
     * @return the copy.
     */
    public GuardOptions withQuarantineBytes(final long quarantineBytes)
    {
        return new GuardOptions(mode, quarantineBytes, captureSites);
    }

    /**
     * A copy with site capture on or off.
     *
     * @param captureSites {@code true} to record allocating frames.
     * @return the copy.
     */
    public GuardOptions withCaptureSites(final boolean captureSites)
    {
        return new GuardOptions(mode, quarantineBytes, captureSites);
    }
}
