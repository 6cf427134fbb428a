package dev.hostalloc.accounting;

import java.util.Locale;

/** Formats byte counts for people: {@code 512 B}, {@code 1.5 KiB}, {@code 256.0 MiB}. */
public final class ByteUnits
{
    private static final long KIB = 1024;
    private static final String[] UNITS = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };

    private ByteUnits()
    {
    }

    /**
     * Formats a byte count with a binary unit and one decimal.
     *
     * @param bytes a count; negative counts (a figure read mid-update) keep their sign.
     * @return e.g. {@code "0 B"}, {@code "1023 B"}, {@code "1.0 KiB"}, {@code "3.5 MiB"}.
     */
    public static String format(final long bytes)
    {
        final long magnitude = bytes == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(bytes);
        if (magnitude < KIB)
        {
            return bytes + " B";
        }
        double value = magnitude;
        int unit = -1;
        while (value >= KIB && unit < UNITS.length - 1)
        {
            value /= KIB;
            unit++;
        }
        return String.format(Locale.ROOT, "%s%.1f %s", bytes < 0 ? "-" : "", value, UNITS[unit]);
    }
}
