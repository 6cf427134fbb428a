package dev.hostalloc.accounting;

import dev.hostalloc.api.SystemAllocationScope;

/**
 * Layout of the header the accounting decorator puts in front of every block. It holds what a free
 * needs (size, account, scope, alignment) so the counters can be updated at once, and where the block's
 * entry is in its thread slot's {@link BlockTable}, which is checked before the header is trusted: a
 * free from any thread finds everything in O(1), with no shared hash table and no atomic instruction.
 * The pool is asked for {@code size + headerLength(alignment)} bytes at the caller's alignment; the
 * caller gets the address just past the header, which keeps that alignment because the header length
 * is a multiple of it.
 *
 * <pre>
 *   base (from the pool, aligned)                                      address handed out
 *   |                                                                  |
 *   v                                                                  v
 *   +-----------------------------------------+------------+-----------+--------------------
 *   | unused: headerLength(alignment) - 16    | SIZE (8) * | LOCATOR(8)| the caller's bytes
 *   +-----------------------------------------+------------+-----------+--------------------
 *                                              address - 16  address - 8
 *
 *   LOCATOR (a little-endian long):
 *    63            43 42      37 36   34 33        23 22                  0
 *   +----------------+----------+-------+------------+---------------------+
 *   |  account id    | log2     | scope | slot       | entry index         |
 *   |  (21 bits)     | align (6)| (3)   | (11 bits)  | (23 bits)           |
 *   +----------------+----------+-------+------------+---------------------+
 * </pre>
 *
 * <p>* SIZE is written only without block tracking: a tracked block's size is in its table entry,
 * which the free reads anyway (one store less per allocation).
 *
 * <p>{@code slot} is the {@link ThreadSlots} slot of the thread that allocated the block and
 * {@code entry index} the block's entry in that slot's table; the entry holds the block's address. A
 * reallocation keeps the header (the pool keeps the leading bytes) and rewrites it.
 *
 * <p>Without block tracking ({@link AccountingAllocator.Builder#trackBlocks(boolean)}) there is no table:
 * bits 0..33 hold {@link #check(long)} of the block's address instead of slot and index, and a free
 * clears them, so a foreign pointer or a second free is caught (unless the memory was reused since).
 */
final class BlockHeaderDescriptor
{
    /** Bytes of the header proper, just before the address handed out; also the least header length. */
    static final int HEADER_LENGTH = 2 * Long.BYTES;

    /** Offset of the size from the address handed out. */
    static final int SIZE_OFFSET = -2 * Long.BYTES;

    /** Offset of the locator from the address handed out. */
    static final int LOCATOR_OFFSET = -Long.BYTES;

    /** Entries a thread slot's table can hold: indexes are 0 .. MAX_ENTRIES - 1. */
    static final int MAX_ENTRIES = 1 << 23;

    /** Accounts one allocator can hold: ids are 0 .. MAX_ACCOUNTS - 1. */
    static final int MAX_ACCOUNTS = 1 << 21;

    private static final int INDEX_MASK = MAX_ENTRIES - 1;
    private static final int SLOT_SHIFT = 23;
    private static final int SLOT_MASK = (1 << 11) - 1;
    private static final int SCOPE_SHIFT = 34;
    private static final int SCOPE_MASK = 0x7;
    private static final int ALIGNMENT_SHIFT = 37;
    private static final int ALIGNMENT_MASK = 0x3F;
    private static final int ACCOUNT_SHIFT = 43;
    private static final int ACCOUNT_SHIFT_LOW = SCOPE_SHIFT; // bits below the scope: slot and index, or the check

    private static final long CHECK_MASK = (1L << ACCOUNT_SHIFT_LOW) - 1;
    private static final long CHECK_SALT = 0x2_A5A5_A5A5L;

    private static final SystemAllocationScope[] SCOPES = SystemAllocationScope.values();

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
     * Packs a locator.
     *
     * @param slot      the allocating thread's slot.
     * @param index     the block's entry in that slot's table.
     * @param accountId the owning account.
     * @param scope     the block's scope.
     * @param alignment the block's alignment, a power of two.
     * @return the long stored at {@code address + LOCATOR_OFFSET}.
     */
    static long locator(final int slot, final int index, final int accountId, final int scope, final long alignment)
    {
        return index | ((long)slot << SLOT_SHIFT) | ((long)scope << SCOPE_SHIFT) |
            ((long)Long.numberOfTrailingZeros(alignment) << ALIGNMENT_SHIFT) | ((long)accountId << ACCOUNT_SHIFT);
    }

    /**
     * Packs the locator of an untracked block: a check of its address in place of slot and index.
     *
     * @param address   the address handed out.
     * @param accountId the owning account.
     * @param scope     the block's scope.
     * @param alignment the block's alignment, a power of two.
     * @return the long stored at {@code address + LOCATOR_OFFSET}.
     */
    static long untrackedLocator(final long address, final int accountId, final int scope, final long alignment)
    {
        return check(address) | ((long)scope << SCOPE_SHIFT) |
            ((long)Long.numberOfTrailingZeros(alignment) << ALIGNMENT_SHIFT) | ((long)accountId << ACCOUNT_SHIFT);
    }

    /**
     * The check an untracked block's locator holds in its low 34 bits: never 0, so a cleared header
     * (after a free) or zeroed memory does not pass.
     *
     * @param address the address handed out.
     * @return bits 4.. of the address mixed with a salt, 34 bits, never 0.
     */
    static long check(final long address)
    {
        final long check = ((address >>> 4) ^ CHECK_SALT) & CHECK_MASK;
        return 0 == check ? 1 : check;
    }

    /**
     * Whether an untracked block's locator matches its address.
     *
     * @param locator the locator read from the header.
     * @param address the address passed in.
     * @return {@code true} when the check bits match.
     */
    static boolean checks(final long locator, final long address)
    {
        return (locator & CHECK_MASK) == check(address);
    }

    /**
     * The locator left in the header of a freed untracked block: the check cleared.
     *
     * @param locator the block's locator.
     * @return the locator without its check.
     */
    static long cleared(final long locator)
    {
        return locator & ~CHECK_MASK;
    }

    /**
     * The slot in a locator.
     *
     * @param locator a locator (possibly garbage: callers check it against the table).
     * @return the slot.
     */
    static int slot(final long locator)
    {
        return (int)(locator >>> SLOT_SHIFT) & SLOT_MASK;
    }

    /**
     * The table index in a locator.
     *
     * @param locator a locator.
     * @return the index.
     */
    static int index(final long locator)
    {
        return (int)locator & INDEX_MASK;
    }

    /**
     * The scope value in a locator.
     *
     * @param locator a locator.
     * @return 0 .. 7 (valid locators hold 0 .. 4).
     */
    static int scopeValue(final long locator)
    {
        return (int)(locator >>> SCOPE_SHIFT) & SCOPE_MASK;
    }

    /**
     * The scope in a locator.
     *
     * @param locator a valid locator.
     * @return the scope.
     */
    static SystemAllocationScope scope(final long locator)
    {
        return SCOPES[scopeValue(locator)];
    }

    /**
     * The alignment in a locator.
     *
     * @param locator a locator.
     * @return the alignment, a power of two.
     */
    static long alignment(final long locator)
    {
        return 1L << ((locator >>> ALIGNMENT_SHIFT) & ALIGNMENT_MASK);
    }

    /**
     * The account id in a locator.
     *
     * @param locator a locator.
     * @return the id.
     */
    static int accountId(final long locator)
    {
        return (int)(locator >>> ACCOUNT_SHIFT);
    }
}
