package dev.hostalloc.tlsf;

import static org.lwjgl.system.MemoryUtil.memGetLong;
import static org.lwjgl.system.MemoryUtil.memPutLong;

/**
 * Layout of a {@link TlsfAllocator} block: a 16-byte header, then the payload. Every block starts
 * on a {@link #GRANULE}-byte boundary and its size (header included) is a multiple of it, so the
 * address handed out, {@code block + HEADER_LENGTH}, is always 16-byte aligned.
 *
 * <pre>
 *   block                                    user = block + 16 (handed out)
 *   |                                        |
 *   v                                        v
 *   +--------------------+-------------------+-----------------------------------------+
 *   | prevPhys (8)       | word (8)          | payload: size - 16 bytes                |
 *   +--------------------+-------------------+-----------------------------------------+
 *                                            | free block: nextFree (8) | prevFree (8) |
 *                                            | pending free (shared mode, see below):  |
 *                                            |   nextPending (8) | pendingMark (8)     |
 *
 *   prevPhys : address of the physically previous block, or 0 for the first block of the arena.
 *
 *   word     : 63      56 55     48 47                                    4 3 2 1 0
 *              +---------+---------+---------------------------------------+-+-+-+-+
 *              |   tag   | align   |  size (bytes, header included;        |0|0|P|F|
 *              |  0xB7   | log2    |  a multiple of 16, so bits 3..0 are   | | | | |
 *              |         |         |  free for flags)                      | | | | |
 *              +---------+---------+---------------------------------------+-+-+-+-+
 *              F = this block is free, P = the physically previous block is free,
 *              align log2 = log2 of the alignment a used block was allocated with (checked by
 *              reallocate), tag = a constant that tells a block header from arbitrary bytes.
 *
 *   the arena:
 *   +---------+---------+-- ... --+---------+----------------+
 *   | block 0 | block 1 |         | block n | sentinel (32)  |   sentinel: size 0, never free,
 *   +---------+---------+-- ... --+---------+----------------+   so "the next block" always exists;
 *                                                                its free-list links (never read) make
 *                                                                it the lists' null block
 * </pre>
 *
 * <p>A used block costs exactly {@link #HEADER_LENGTH} = 16 bytes of overhead (plus rounding of
 * the request up to 16 bytes); a free block needs room for its two list links, hence
 * {@link #MIN_BLOCK_SIZE} = 32. A freed block keeps its header with the free flag set even after it
 * was merged into its neighbour, which is how a second free of it is recognized.
 *
 * <p>The accessors take a block address (not the user address) and check nothing.
 */
public final class TlsfBlockDescriptor
{
    /** log2 of {@link #GRANULE}. */
    public static final int GRANULE_SHIFT = 4;

    /** Every block address and size is a multiple of this: 16 bytes. */
    public static final long GRANULE = 1L << GRANULE_SHIFT;

    /** Offset of the previous physical block's address from the block start. */
    public static final int PREV_PHYS_OFFSET = 0;

    /** Offset of the size/flags/alignment/tag word from the block start. */
    public static final int WORD_OFFSET = PREV_PHYS_OFFSET + Long.BYTES;

    /** Bytes before the user address: the whole per-block overhead. */
    public static final int HEADER_LENGTH = WORD_OFFSET + Long.BYTES;

    /** Offset of a free block's next-in-list link (the first payload word). */
    public static final int NEXT_FREE_OFFSET = HEADER_LENGTH;

    /** Offset of a free block's previous-in-list link (the second payload word). */
    public static final int PREV_FREE_OFFSET = NEXT_FREE_OFFSET + Long.BYTES;

    /** The least payload of any block: room for the two free-list links. */
    public static final long MIN_PAYLOAD = 2L * Long.BYTES;

    /** The smallest block: header plus {@link #MIN_PAYLOAD}. */
    public static final long MIN_BLOCK_SIZE = HEADER_LENGTH + MIN_PAYLOAD;

    /** Flag bit: this block is free. */
    public static final long FREE_BIT = 1L;

    /** Flag bit: the physically previous block is free. */
    public static final long PREV_FREE_BIT = 2L;

    /** Bits of the word holding the size. */
    public static final long SIZE_MASK = 0x0000_FFFF_FFFF_FFF0L;

    /** The largest block size the word can hold. */
    public static final long MAX_BLOCK_SIZE = SIZE_MASK;

    /** Position of the alignment's log2 in the word. */
    public static final int ALIGNMENT_SHIFT_POSITION = 48;

    /** Mask of the alignment's log2 once shifted down. */
    public static final int ALIGNMENT_SHIFT_MASK = 0xFF;

    /** Position of the tag byte in the word. */
    public static final int TAG_POSITION = 56;

    /** The tag every header carries (an arbitrary byte unlikely in small integers and ASCII). */
    public static final long TAG = 0xB7L;

    /** The tag in place in the word. */
    public static final long TAG_BITS = TAG << TAG_POSITION;

    /** Mask of the tag in the word. */
    public static final long TAG_MASK = 0xFFL << TAG_POSITION;

    /** Offset of a pending (deferred) free's link to the next pending block, from the block start. */
    public static final int NEXT_PENDING_OFFSET = HEADER_LENGTH;

    /** Offset of a pending free's mark, from the block start (see {@link #pendingMark(long)}). */
    public static final int PENDING_MARK_OFFSET = NEXT_PENDING_OFFSET + Long.BYTES;

    /** Mixed with the user address to make the pending mark; an arbitrary odd 64-bit constant. */
    public static final long PENDING_MAGIC = 0x5EED_F4EE_D0C0_FFEEL;

    private TlsfBlockDescriptor()
    {
    }

    /**
     * The block of a user address.
     *
     * @param user an address handed out.
     * @return {@code user - HEADER_LENGTH}.
     */
    public static long blockOf(final long user)
    {
        return user - HEADER_LENGTH;
    }

    /**
     * The user address of a block.
     *
     * @param block a block address.
     * @return {@code block + HEADER_LENGTH}.
     */
    public static long userOf(final long block)
    {
        return block + HEADER_LENGTH;
    }

    /**
     * Composes a header word.
     *
     * @param size           the block size, a multiple of {@link #GRANULE}.
     * @param flags          {@link #FREE_BIT} and/or {@link #PREV_FREE_BIT}.
     * @param alignmentShift log2 of the alignment (0 for free blocks).
     * @return the word.
     */
    public static long word(final long size, final long flags, final int alignmentShift)
    {
        return TAG_BITS | ((long)alignmentShift << ALIGNMENT_SHIFT_POSITION) | size | flags;
    }

    /**
     * Reads a block's header word.
     *
     * @param block a block address.
     * @return the word.
     */
    public static long word(final long block)
    {
        return memGetLong(block + WORD_OFFSET);
    }

    /**
     * Writes a block's header word.
     *
     * @param block a block address.
     * @param word  the word.
     */
    public static void word(final long block, final long word)
    {
        memPutLong(block + WORD_OFFSET, word);
    }

    /**
     * The size in a word.
     *
     * @param word a header word.
     * @return the block size in bytes, header included.
     */
    public static long size(final long word)
    {
        return word & SIZE_MASK;
    }

    /**
     * Whether a word says its block is free.
     *
     * @param word a header word.
     * @return {@code true} when {@link #FREE_BIT} is set.
     */
    public static boolean isFree(final long word)
    {
        return (word & FREE_BIT) != 0;
    }

    /**
     * Whether a word says the physically previous block is free.
     *
     * @param word a header word.
     * @return {@code true} when {@link #PREV_FREE_BIT} is set.
     */
    public static boolean isPrevFree(final long word)
    {
        return (word & PREV_FREE_BIT) != 0;
    }

    /**
     * Whether a word carries the header tag.
     *
     * @param word a header word (or arbitrary bytes).
     * @return {@code true} when its top byte is {@link #TAG}.
     */
    public static boolean hasTag(final long word)
    {
        return (word & TAG_MASK) == TAG_BITS;
    }

    /**
     * The alignment log2 in a used block's word.
     *
     * @param word a header word.
     * @return log2 of the alignment the block was allocated with.
     */
    public static int alignmentShift(final long word)
    {
        return (int)(word >>> ALIGNMENT_SHIFT_POSITION) & ALIGNMENT_SHIFT_MASK;
    }

    /**
     * Reads the previous physical block's address.
     *
     * @param block a block address.
     * @return the previous block, or 0 for the first block.
     */
    public static long prevPhys(final long block)
    {
        return memGetLong(block + PREV_PHYS_OFFSET);
    }

    /**
     * Writes the previous physical block's address.
     *
     * @param block    a block address.
     * @param prevPhys the previous block, or 0.
     */
    public static void prevPhys(final long block, final long prevPhys)
    {
        memPutLong(block + PREV_PHYS_OFFSET, prevPhys);
    }

    /**
     * Reads a free block's next-in-list link.
     *
     * @param block a free block.
     * @return the next free block of the same list, or 0.
     */
    public static long nextFree(final long block)
    {
        return memGetLong(block + NEXT_FREE_OFFSET);
    }

    /**
     * Writes a free block's next-in-list link.
     *
     * @param block a free block.
     * @param next  the next free block, or 0.
     */
    public static void nextFree(final long block, final long next)
    {
        memPutLong(block + NEXT_FREE_OFFSET, next);
    }

    /**
     * Reads a free block's previous-in-list link.
     *
     * @param block a free block.
     * @return the previous free block of the same list, or 0 for the head.
     */
    public static long prevFree(final long block)
    {
        return memGetLong(block + PREV_FREE_OFFSET);
    }

    /**
     * Writes a free block's previous-in-list link.
     *
     * @param block a free block.
     * @param prev  the previous free block, or 0.
     */
    public static void prevFree(final long block, final long prev)
    {
        memPutLong(block + PREV_FREE_OFFSET, prev);
    }

    /**
     * The mark a block carries while its free is pending: the user address mixed with
     * {@link #PENDING_MAGIC}, so bytes copied from another pending block do not match.
     *
     * @param block a block address.
     * @return the mark value for this block.
     */
    public static long pendingMark(final long block)
    {
        return userOf(block) ^ PENDING_MAGIC;
    }

    /**
     * Whether a used block carries its pending mark (its free was deferred and not yet done).
     *
     * @param block a used block.
     * @return {@code true} when the mark is present.
     */
    public static boolean isPending(final long block)
    {
        return memGetLong(block + PENDING_MARK_OFFSET) == pendingMark(block);
    }

    /**
     * Marks a used block as pending and links it to the next pending block.
     *
     * @param block       a used block the caller gave up.
     * @param nextPending the next pending block, or 0.
     */
    public static void markPending(final long block, final long nextPending)
    {
        memPutLong(block + NEXT_PENDING_OFFSET, nextPending);
        memPutLong(block + PENDING_MARK_OFFSET, pendingMark(block));
    }

    /**
     * Removes a block's pending mark and link (before its free is performed).
     *
     * @param block a pending block.
     */
    public static void clearPending(final long block)
    {
        memPutLong(block + NEXT_PENDING_OFFSET, 0L);
        memPutLong(block + PENDING_MARK_OFFSET, 0L);
    }

    /**
     * Reads a pending block's link.
     *
     * @param block a pending block.
     * @return the next pending block, or 0.
     */
    public static long nextPending(final long block)
    {
        return memGetLong(block + NEXT_PENDING_OFFSET);
    }

    /**
     * Rewrites a pending block's link (the mark stays).
     *
     * @param block       a pending block.
     * @param nextPending the next pending block, or 0.
     */
    public static void nextPending(final long block, final long nextPending)
    {
        memPutLong(block + NEXT_PENDING_OFFSET, nextPending);
    }
}
