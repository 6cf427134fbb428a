package dev.hostalloc.accounting;

/**
 * Layout of the header the accounting decorator puts in front of every block, so that a free from
 * any thread finds the block's record in O(1) without a shared hash table (and so without an atomic
 * instruction). The pool is asked for {@code size + headerLength(alignment)} bytes at the caller's
 * alignment; the caller gets the address just past the header, which keeps that alignment because the
 * header length is a multiple of it.
 *
 * <pre>
 *   base (from the pool, aligned)                                  address handed out
 *   |                                                              |
 *   v                                                              v
 *   +--------------------------------------+-----------+-----------+------------------------
 *   | unused: headerLength(alignment) - 8  | slot (32) | index (32)|  the caller's bytes ...
 *   +--------------------------------------+-----------+-----------+------------------------
 *                                          ^ address - HEADER_LENGTH (one little-endian long:
 *                                            slot in the high half, index in the low half)
 * </pre>
 *
 * <p>{@code slot} is the {@link ThreadSlots} slot of the thread that allocated the block and
 * {@code index} the block's entry in that slot's {@link BlockTable}; the entry holds the block's
 * address, which is checked before the header is trusted. A reallocation keeps the header (the pool
 * keeps the leading bytes).
 */
final class BlockHeaderDescriptor
{
    /** Bytes of the header proper, just before the address handed out. */
    static final int HEADER_LENGTH = Long.BYTES;

    /** Offset of the header from the address handed out. */
    static final int HEADER_OFFSET = -HEADER_LENGTH;

    private static final int SLOT_SHIFT = Integer.SIZE;
    private static final long INDEX_MASK = 0xFFFF_FFFFL;

    private BlockHeaderDescriptor()
    {
    }

    /**
     * Bytes the pool allocates in front of the caller's block.
     *
     * @param alignment the caller's alignment, a power of two.
     * @return {@code max(HEADER_LENGTH, alignment)}: a multiple of {@code alignment} with room for the header.
     */
    static long headerLength(final long alignment)
    {
        return Math.max(HEADER_LENGTH, alignment);
    }

    /**
     * The header value for a block.
     *
     * @param slot  the allocating thread's slot.
     * @param index the block's entry in that slot's table.
     * @return the long stored at {@code address + HEADER_OFFSET}.
     */
    static long header(final int slot, final int index)
    {
        return ((long)slot << SLOT_SHIFT) | (index & INDEX_MASK);
    }

    /**
     * The slot recorded in a header.
     *
     * @param header a header value (possibly garbage: callers range-check).
     * @return the slot.
     */
    static int slot(final long header)
    {
        return (int)(header >>> SLOT_SHIFT);
    }

    /**
     * The table index recorded in a header.
     *
     * @param header a header value (possibly garbage: callers range-check).
     * @return the index.
     */
    static int index(final long header)
    {
        return (int)header;
    }
}
