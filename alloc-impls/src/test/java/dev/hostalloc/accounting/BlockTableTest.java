package dev.hostalloc.accounting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The block table's growth: bounded by the live blocks, not by how often the cursor laps a run of
 * long-lived entries (the pattern of a Vulkan driver: instance and device blocks live for the whole
 * run, command-recording blocks come and go every frame).
 */
final class BlockTableTest
{
    private static final long META = 0;
    private static final long SITE = 0;

    @Test
    void longLivedBlocksAndChurnDoNotGrowTheTable()
    {
        final BlockTable table = new BlockTable(false);
        long address = 0x1000;
        for (int i = 0; i < 64; i++)
        {
            table.claim(address += 16, 16, META, SITE); // live for the whole test, at the table's start
        }
        final int[] frame = new int[20];
        final long[] frameAddresses = new long[frame.length];
        for (int round = 0; round < 20_000; round++) // the cursor laps the 1024-entry chunk hundreds of times
        {
            for (int i = 0; i < frame.length; i++)
            {
                frameAddresses[i] = address += 16;
                frame[i] = table.claim(frameAddresses[i], 16, META, SITE);
            }
            for (int i = 0; i < frame.length; i++)
            {
                final long[] chunk = table.chunkHolding(frame[i], frameAddresses[i]);
                assertTrue(null != chunk, "entry " + frame[i] + " holds its block");
                BlockTable.release(chunk, frame[i]);
            }
        }
        assertEquals(1, table.chunkCount(), "84 live blocks at most fit in one chunk");
    }

    @Test
    void aTableGrowsWhenItsLiveBlocksDo()
    {
        final BlockTable table = new BlockTable(false);
        final int live = 3 * BlockTable.CHUNK_ENTRIES;
        for (int i = 0; i < live; i++)
        {
            table.claim(0x1000 + 16L * i, 16, META, SITE);
        }
        assertTrue(table.chunkCount() >= 3, "3 chunks of live blocks need at least 3 chunks: " + table.chunkCount());
        assertTrue(table.chunkCount() <= 2 * 3 + 1, "at most twice the live blocks plus a chunk: " + table.chunkCount());
    }
}
