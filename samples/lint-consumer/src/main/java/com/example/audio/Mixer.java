package com.example.audio;

import dev.hostalloc.api.RealtimeSafe;

/** Mixes two sample blocks on the audio thread: nothing allocated, nothing locked. */
public final class Mixer
{
    private final float[] gains;

    /**
     * Creates a mixer with per-channel gains.
     *
     * @param channels how many channels.
     */
    public Mixer(final int channels)
    {
        gains = new float[channels];
        java.util.Arrays.fill(gains, 1.0f);
    }

    /**
     * Adds {@code source} into {@code target}, scaled by the channel's gain.
     *
     * @param target  the block mixed into.
     * @param source  the block mixed in.
     * @param channel which gain applies.
     */
    @RealtimeSafe
    public void mix(final float[] target, final float[] source, final int channel)
    {
        final float gain = gains[channel];
        final int n = Math.min(target.length, source.length);
        for (int i = 0; i < n; i++)
        {
            target[i] += source[i] * gain;
        }
    }
}
