package dev.hostalloc.conformance;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Writes and checks a pattern over a block of native memory, so a check can prove that a block is
 * writable over {@code [0, size)}, that a reallocation kept its prefix, and that two live blocks do
 * not share bytes.
 *
 * <p>The byte at offset {@code i} of a block filled with {@code seed} is byte {@code i & 7}
 * (little-endian) of {@code mix(seed, i >>> 3)}: every 8-byte word differs from its neighbours and
 * from other seeds, so a shifted, truncated or foreign copy does not match by accident.
 */
final class MemoryPattern
{
    /** Returned by {@link #firstMismatch} when every byte matches. */
    static final long NO_MISMATCH = -1;

    private static final long WORD_BYTES = Long.BYTES;
    private static final int WORD_SHIFT = 3;
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final long MIX_MULTIPLIER_1 = 0xBF58476D1CE4E5B9L;
    private static final long MIX_MULTIPLIER_2 = 0x94D049BB133111EBL;
    private static final ValueLayout.OfLong WORD =
        ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    // The whole address space as one segment: blocks are addressed by their absolute address. Needs
    // native access (--enable-native-access), which every hostalloc JVM runs with.
    private static final MemorySegment ALL_MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private MemoryPattern()
    {
    }

    /**
     * Fills {@code [address, address + size)} with the pattern of {@code seed}.
     *
     * @param address the block's address.
     * @param size    bytes to fill.
     * @param seed    selects the pattern.
     */
    static void fill(final long address, final long size, final long seed)
    {
        final MemorySegment memory = ALL_MEMORY;
        final long wholeWords = size & -WORD_BYTES;
        for (long offset = 0; offset < wholeWords; offset += WORD_BYTES)
        {
            memory.set(WORD, address + offset, word(seed, offset));
        }
        for (long offset = wholeWords; offset < size; offset++)
        {
            memory.set(ValueLayout.JAVA_BYTE, address + offset, expectedByte(seed, offset));
        }
    }

    /**
     * Finds the first byte of {@code [address, address + size)} that does not hold the pattern of
     * {@code seed}.
     *
     * @param address the block's address.
     * @param size    bytes to check.
     * @param seed    the pattern the block was filled with.
     * @return the offset of the first wrong byte, or {@link #NO_MISMATCH}.
     */
    static long firstMismatch(final long address, final long size, final long seed)
    {
        final MemorySegment memory = ALL_MEMORY;
        final long wholeWords = size & -WORD_BYTES;
        for (long offset = 0; offset < wholeWords; offset += WORD_BYTES)
        {
            if (memory.get(WORD, address + offset) != word(seed, offset))
            {
                return firstMismatchingByte(address, offset, offset + WORD_BYTES, seed);
            }
        }
        return firstMismatchingByte(address, wholeWords, size, seed);
    }

    /**
     * The byte the pattern of {@code seed} holds at {@code offset}.
     *
     * @param seed   the pattern.
     * @param offset an offset in the block.
     * @return the expected byte.
     */
    static byte expectedByte(final long seed, final long offset)
    {
        final long word = word(seed, offset & -WORD_BYTES);
        return (byte)(word >>> ((offset & (WORD_BYTES - 1)) * Byte.SIZE));
    }

    /**
     * The byte actually at {@code address}.
     *
     * @param address an address inside a live block.
     * @return the byte.
     */
    static byte byteAt(final long address)
    {
        return ALL_MEMORY.get(ValueLayout.JAVA_BYTE, address);
    }

    private static long firstMismatchingByte(final long address, final long from, final long to, final long seed)
    {
        final MemorySegment memory = ALL_MEMORY;
        for (long offset = from; offset < to; offset++)
        {
            if (memory.get(ValueLayout.JAVA_BYTE, address + offset) != expectedByte(seed, offset))
            {
                return offset;
            }
        }
        return NO_MISMATCH;
    }

    // SplitMix64's finalizer over (seed, word index): cheap, and no two nearby words or seeds collide.
    private static long word(final long seed, final long alignedOffset)
    {
        long z = seed * GOLDEN_GAMMA + (alignedOffset >>> WORD_SHIFT) + 1;
        z = (z ^ (z >>> 30)) * MIX_MULTIPLIER_1;
        z = (z ^ (z >>> 27)) * MIX_MULTIPLIER_2;
        return z ^ (z >>> 31);
    }
}
