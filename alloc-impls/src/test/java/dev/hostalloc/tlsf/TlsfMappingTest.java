package dev.hostalloc.tlsf;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsfMappingTest
{
    @Test
    void smallSizesGetOneClassPerSixteenBytes()
    {
        for (long size = 32; size < TlsfMapping.SMALL_BLOCK_SIZE; size += 16)
        {
            final int index = TlsfMapping.insertIndex(size);
            assertEquals(0, TlsfMapping.firstLevel(index));
            assertEquals(size / 16, TlsfMapping.secondLevel(index));
            assertEquals(size, TlsfMapping.classLowerBound(index));
            assertEquals(index, TlsfMapping.searchIndex(size), "small classes are exact");
        }
    }

    @Test
    void everySizeLiesInItsClassAndSearchGivesAClassOfLargeEnoughBlocks()
    {
        final SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++)
        {
            final int log2 = random.nextInt(5, 48);
            final long size = Math.max(32, (random.nextLong(1L << (log2 - 1), 1L << log2)) & -16L);
            final int index = TlsfMapping.insertIndex(size);
            assertTrue(index >= 0 && index < TlsfMapping.LIST_COUNT);
            assertTrue(TlsfMapping.classLowerBound(index) <= size, "size " + size);
            if (index + 1 < TlsfMapping.LIST_COUNT)
            {
                assertTrue(size < TlsfMapping.classLowerBound(index + 1), "size " + size);
            }
            final int search = TlsfMapping.searchIndex(size);
            if (search != TlsfMapping.NO_INDEX)
            {
                assertTrue(TlsfMapping.classLowerBound(search) >= size, "good fit for " + size);
                assertTrue(search >= index);
            }
        }
    }

    @Test
    void classesAreMonotonicAndTheLastHoldsTheLargestBlock()
    {
        int previous = -1;
        for (long size = 32; size < (1L << 20); size += 16)
        {
            final int index = TlsfMapping.insertIndex(size);
            assertTrue(index >= previous);
            previous = index;
        }
        assertEquals(TlsfMapping.LIST_COUNT - 1, TlsfMapping.insertIndex(TlsfBlockDescriptor.MAX_BLOCK_SIZE));
        assertEquals(TlsfMapping.NO_INDEX, TlsfMapping.searchIndex(TlsfBlockDescriptor.MAX_BLOCK_SIZE));
    }
}
