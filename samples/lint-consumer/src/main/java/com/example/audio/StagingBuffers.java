package com.example.audio;

import dev.hostalloc.api.DirectAllocation;

import java.nio.ByteBuffer;

/** Off-heap staging buffers handed to the sound card's DMA engine. */
@DirectAllocation(reason = "the DMA engine reads these buffers after our call returns: they must be off-heap and "
    + "outlive any Java reference, and the driver frees them, not an allocator of ours")
public final class StagingBuffers
{
    private StagingBuffers()
    {
    }

    /**
     * A staging buffer for one period.
     *
     * @param bytes its size.
     * @return a new direct buffer.
     */
    public static ByteBuffer period(final int bytes)
    {
        return ByteBuffer.allocateDirect(bytes);
    }
}
