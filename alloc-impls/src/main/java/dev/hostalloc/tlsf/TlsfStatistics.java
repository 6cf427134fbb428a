package dev.hostalloc.tlsf;

/**
 * A snapshot of a {@link TlsfAllocator}'s arena, from a walk of every block. Byte counts are of
 * whole blocks (the 16-byte header and the rounding to 16 bytes included), so
 * {@code usedBytes + freeBytes} is the arena less its 32-byte sentinel.
 *
 * @param capacityBytes         the arena's length.
 * @param usedBytes             bytes of blocks handed out (including those whose free is still pending).
 * @param usedBlocks            blocks handed out.
 * @param freeBytes             bytes of free blocks.
 * @param freeBlocks            free blocks; never two neighbours.
 * @param largestFreeBlockBytes the largest free block, header included; 0 when none.
 */
public record TlsfStatistics(
    long capacityBytes, long usedBytes, long usedBlocks, long freeBytes, long freeBlocks, long largestFreeBlockBytes)
{
    /**
     * The largest request with alignment up to 16 that would succeed now.
     *
     * @return the largest free block's payload, or 0 when there is no free block.
     */
    public long largestAllocation()
    {
        return largestFreeBlockBytes == 0 ? 0 : largestFreeBlockBytes - TlsfBlockDescriptor.HEADER_LENGTH;
    }

    /**
     * External fragmentation: how much of the free memory is outside the largest free block.
     *
     * @return {@code 1 - largestFreeBlockBytes / freeBytes}, in [0, 1); 0 when nothing is free or all
     *         free memory is one block.
     */
    public double fragmentation()
    {
        return freeBytes == 0 ? 0.0 : 1.0 - (double)largestFreeBlockBytes / freeBytes;
    }

    /**
     * One line for a person.
     *
     * @return e.g. {@code "capacity 65536, used 4096 in 12 blocks, free 61424 in 3 blocks, largest 60000, fragmentation 2.3%"}.
     */
    @Override
    public String toString()
    {
        return "capacity " + capacityBytes + ", used " + usedBytes + " in " + usedBlocks + " blocks, free " + freeBytes +
            " in " + freeBlocks + " blocks, largest " + largestFreeBlockBytes + ", fragmentation " +
            String.format(java.util.Locale.ROOT, "%.1f%%", fragmentation() * 100.0);
    }
}
