package dev.hostalloc.accounting;

import dev.hostalloc.api.SystemAllocationScope;

/**
 * Layout of one live-block entry in a {@link BlockTable} chunk ({@code long[]}), and of its
 * {@code META} word.
 *
 * <pre>
 *   entry i of a chunk starts at long index i * ENTRY_LONGS
 *   +0 ADDRESS  the address handed out; FREE (0) when the entry is unused
 *   +1 SIZE     the size the caller asked for
 *   +2 META     bits  0..23 account id | 24..26 scope | 27..32 log2(alignment)
 *   +3 SITE     allocation site id, NO_SITE when not captured
 * </pre>
 */
final class BlockEntryDescriptor
{
    /** Longs per entry. */
    static final int ENTRY_LONGS = 4;
    /** Offset of the block's address. */
    static final int ADDRESS = 0;
    /** Offset of the block's size. */
    static final int SIZE = 1;
    /** Offset of the packed account id, scope and alignment. */
    static final int META = 2;
    /** Offset of the allocation site id. */
    static final int SITE = 3;

    /** The address of an unused entry: no block is ever at address 0. */
    static final long FREE = 0L;
    /** The site id of a block whose site was not captured. */
    static final long NO_SITE = 0L;

    private static final int ACCOUNT_MASK = (1 << 24) - 1;
    private static final int SCOPE_SHIFT = 24;
    private static final int SCOPE_MASK = 0x7;
    private static final int ALIGNMENT_SHIFT = 27;
    private static final int ALIGNMENT_MASK = 0x3F;

    private static final SystemAllocationScope[] SCOPES = SystemAllocationScope.values();

    private BlockEntryDescriptor()
    {
    }

    /**
     * Packs a META word.
     *
     * @param accountId the owning account's id, below {@link BlockHeaderDescriptor#MAX_ACCOUNTS}.
     * @param scope     the block's scope.
     * @param alignment the block's alignment, a power of two.
     * @return the META word.
     */
    static long meta(final int accountId, final SystemAllocationScope scope, final long alignment)
    {
        return accountId |
            ((long)scope.ordinal() << SCOPE_SHIFT) |
            ((long)Long.numberOfTrailingZeros(alignment) << ALIGNMENT_SHIFT);
    }

    /**
     * The account id in a META word.
     *
     * @param meta a META word.
     * @return the id.
     */
    static int accountId(final long meta)
    {
        return (int)(meta & ACCOUNT_MASK);
    }

    /**
     * The scope in a META word.
     *
     * @param meta a META word.
     * @return the scope.
     */
    static SystemAllocationScope scope(final long meta)
    {
        return SCOPES[(int)((meta >>> SCOPE_SHIFT) & SCOPE_MASK)];
    }

    /**
     * The alignment in a META word.
     *
     * @param meta a META word.
     * @return the alignment, a power of two.
     */
    static long alignment(final long meta)
    {
        return 1L << ((meta >>> ALIGNMENT_SHIFT) & ALIGNMENT_MASK);
    }
}
