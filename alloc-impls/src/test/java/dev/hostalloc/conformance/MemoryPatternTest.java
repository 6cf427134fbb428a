package dev.hostalloc.conformance;

import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.system.SystemAllocator;
import org.junit.jupiter.api.Test;
import org.lwjgl.system.MemoryUtil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryPatternTest
{
    private static final long SIZE = 1003;

    @Test
    void aFilledBlockMatchesItsSeedAndNoOther()
    {
        final SystemAllocator system = new SystemAllocator();
        final long block = system.allocate(SIZE, 1, SystemAllocationScope.OBJECT);
        try
        {
            MemoryPattern.fill(block, SIZE, 42);
            assertEquals(MemoryPattern.NO_MISMATCH, MemoryPattern.firstMismatch(block, SIZE, 42));
            assertEquals(0, MemoryPattern.firstMismatch(block, SIZE, 43));
            for (long i = 0; i < SIZE; i++)
            {
                assertEquals(MemoryPattern.expectedByte(42, i), MemoryUtil.memGetByte(block + i));
            }
        }
        finally
        {
            system.free(block);
        }
    }

    @Test
    void reportsTheFirstWrongByteInWordsAndInTheTail()
    {
        final SystemAllocator system = new SystemAllocator();
        final long block = system.allocate(SIZE, 1, SystemAllocationScope.OBJECT);
        try
        {
            for (final long offset : new long[] { 0, 7, 8, 500, SIZE - 3, SIZE - 1 })
            {
                MemoryPattern.fill(block, SIZE, 7);
                MemoryUtil.memPutByte(block + offset, (byte)~MemoryPattern.expectedByte(7, offset));
                assertEquals(offset, MemoryPattern.firstMismatch(block, SIZE, 7));
            }
        }
        finally
        {
            system.free(block);
        }
    }

    @Test
    void neighbouringWordsAndSeedsDiffer()
    {
        assertNotEquals(MemoryPattern.expectedByte(1, 0), MemoryPattern.expectedByte(2, 0));
        int equalBytes = 0;
        for (long i = 0; i < 4096; i++)
        {
            if (MemoryPattern.expectedByte(1, i) == MemoryPattern.expectedByte(1, i + 8))
            {
                equalBytes++;
            }
        }
        assertTrue(equalBytes < 64, "a shifted copy must not match: " + equalBytes + " equal bytes of 4096");
    }

    @Test
    void expectPatternNamesOffsetAndBytes()
    {
        final SystemAllocator system = new SystemAllocator();
        final long block = system.allocate(64, 8, SystemAllocationScope.OBJECT);
        try
        {
            MemoryPattern.fill(block, 64, 5);
            MemoryUtil.memPutByte(block + 9, (byte)0x5A);
            final ConformanceFailure failure = assertThrows(ConformanceFailure.class,
                () -> CheckContext.expectPattern("the block", block, 64, 5));
            assertTrue(failure.getMessage().startsWith("the block: byte 9 of the block at 0x"), failure.getMessage());
            assertTrue(failure.getMessage().contains(" reads 0x5a but 0x"), failure.getMessage());
        }
        finally
        {
            system.free(block);
        }
    }
}
