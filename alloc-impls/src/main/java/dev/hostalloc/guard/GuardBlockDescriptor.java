package dev.hostalloc.guard;

import dev.hostalloc.api.Alignment;

import static org.lwjgl.system.MemoryUtil.memGetByte;
import static org.lwjgl.system.MemoryUtil.memGetLong;
import static org.lwjgl.system.MemoryUtil.memSet;

/**
 * Layout of a {@link GuardPageAllocator} block, each in its own anonymous mapping, and of its entry in
 * the allocator's registry. Nothing is stored in the mapping but the user's bytes and fill: all metadata
 * lives in the registry, so no pointer is ever read to be identified.
 *
 * <pre>
 * OVERFLOW mode (spec "guard"): the block ends flush against the guard page when size is a multiple of
 * the alignment; otherwise the alignment slack (DUMA's conflict) sits in between, filled and checked.
 *
 *   mapping start                          user                     user+size  user+span = guard page
 *   |                                      |                        |          |
 *   v                                      v                        v          v
 *   +--------------------------------------+------------------------+----------+=================+
 *   | head fill: dataLength - span bytes    | user bytes: size       | slack    | PROT_NONE       |
 *   | (SLACK_FILL, checked on free:         |                        | fill,    | one page        |
 *   |  BUFFER_UNDERFLOW)                    |                        | < align  |                 |
 *   +--------------------------------------+------------------------+----------+=================+
 *   <-------------- dataLength = alignUp(span, page), read-write -------------->
 *   span = alignUp(size, alignment); slack damage is BUFFER_OVERFLOW
 *
 * UNDERFLOW mode (spec "guard:below"): the block starts flush after the guard page.
 *
 *   mapping start      user                        user+size
 *   |                  |                           |
 *   v                  v                           v
 *   +==================+---------------------------+------------------------------+
 *   | PROT_NONE        | user bytes: size          | tail fill (SLACK_FILL,        |
 *   | one page         |                           | checked: BUFFER_OVERFLOW)     |
 *   +==================+---------------------------+------------------------------+
 *                      <------ dataLength = alignUp(size, page), read-write ------>
 *
 * Size 0: no accessible byte. OVERFLOW: one PROT_NONE page, user = its start. UNDERFLOW: two PROT_NONE
 * pages, user = the second's start.
 * Alignments above the page size: the mapping is over-reserved by (alignment - page) and trimmed so
 * the user address (OVERFLOW: the guard page) lands on a multiple of the alignment.
 *
 * Registry entry, value 0 (value 1 is the allocation site id):
 *
 *    63     59 58 57 56  54 53     48 47                                       0
 *   +---------+-----+------+---------+------------------------------------------+
 *   |    0    |state|scope |log2 alig|                  size                    |
 *   +---------+-----+------+---------+------------------------------------------+
 *   state: LIVE, QUARANTINED (freed, mapped PROT_NONE), BUSY (a reallocate is moving it)
 * </pre>
 */
public final class GuardBlockDescriptor
{
    /** The byte alignment slack, head and tail fill are set to (DUMA's {@code DUMA_SLACKFILL}). */
    public static final byte SLACK_FILL = (byte)0xAA;

    /** The largest size an entry can hold: 2^48 - 1 (more than any 64-bit address space maps). */
    public static final long MAX_ENTRY_SIZE = (1L << 48) - 1;

    /** Entry state: allocated. */
    public static final int LIVE = 0;
    /** Entry state: freed, mapped {@code PROT_NONE} in the quarantine. */
    public static final int QUARANTINED = 1;
    /** Entry state: a reallocate owns it while it copies to a new mapping. */
    public static final int BUSY = 2;

    private static final int SHIFT_POSITION = 48;
    private static final int SCOPE_POSITION = 54;
    private static final int STATE_POSITION = 57;
    private static final long SIX_BITS = 0x3F;
    private static final long THREE_BITS = 0x7;
    private static final long TWO_BITS = 0x3;
    private static final long FILL_WORD = 0xAAAA_AAAA_AAAA_AAAAL;

    private GuardBlockDescriptor()
    {
    }

    /**
     * Bytes from the user address to the end of the alignment slack.
     *
     * @param size      the user size.
     * @param alignment a power of two.
     * @return {@code alignUp(size, alignment)}.
     */
    public static long span(final long size, final long alignment)
    {
        return Alignment.alignUp(size, alignment);
    }

    /**
     * Bytes of data pages (read-write, except the second page of a size-0 UNDERFLOW block).
     *
     * @param mode      the placement.
     * @param size      the user size.
     * @param alignment a power of two.
     * @param pageSize  the page size.
     * @return a multiple of the page size.
     */
    public static long dataLength(final GuardMode mode, final long size, final long alignment, final long pageSize)
    {
        if (mode == GuardMode.OVERFLOW)
        {
            return Alignment.alignUp(span(size, alignment), pageSize);
        }
        return size == 0 ? pageSize : Alignment.alignUp(size, pageSize);
    }

    /**
     * Bytes of the whole mapping: data pages plus the guard page.
     *
     * @param mode      the placement.
     * @param size      the user size.
     * @param alignment a power of two.
     * @param pageSize  the page size.
     * @return a multiple of the page size.
     */
    public static long mappingLength(final GuardMode mode, final long size, final long alignment, final long pageSize)
    {
        return dataLength(mode, size, alignment, pageSize) + pageSize;
    }

    /**
     * Where a block's mapping starts.
     *
     * @param mode      the placement.
     * @param user      the address handed out.
     * @param size      the user size.
     * @param alignment a power of two.
     * @param pageSize  the page size.
     * @return a page-aligned address.
     */
    public static long mappingStart(
        final GuardMode mode, final long user, final long size, final long alignment, final long pageSize)
    {
        if (mode == GuardMode.OVERFLOW)
        {
            return user + span(size, alignment) - dataLength(mode, size, alignment, pageSize);
        }
        return user - pageSize;
    }

    /**
     * Where a block's guard page starts.
     *
     * @param mode      the placement.
     * @param user      the address handed out.
     * @param size      the user size.
     * @param alignment a power of two.
     * @param pageSize  the page size.
     * @return a page-aligned address.
     */
    public static long guardPageStart(
        final GuardMode mode, final long user, final long size, final long alignment, final long pageSize)
    {
        return mode == GuardMode.OVERFLOW ? user + span(size, alignment) : user - pageSize;
    }

    /**
     * Packs an entry's first value.
     *
     * @param size           the user size, at most {@link #MAX_ENTRY_SIZE}.
     * @param alignmentShift log2 of the alignment.
     * @param scopeValue     the scope's Vulkan value.
     * @param state          {@link #LIVE}, {@link #QUARANTINED} or {@link #BUSY}.
     * @return the packed value.
     */
    public static long entry(final long size, final int alignmentShift, final int scopeValue, final int state)
    {
        return size | ((long)alignmentShift << SHIFT_POSITION) | ((long)scopeValue << SCOPE_POSITION) |
            ((long)state << STATE_POSITION);
    }

    /**
     * The same entry in another state.
     *
     * @param entry a packed value.
     * @param state the new state.
     * @return the packed value.
     */
    public static long withState(final long entry, final int state)
    {
        return (entry & ~(TWO_BITS << STATE_POSITION)) | ((long)state << STATE_POSITION);
    }

    /**
     * The size in an entry.
     *
     * @param entry a packed value.
     * @return the user size.
     */
    public static long size(final long entry)
    {
        return entry & MAX_ENTRY_SIZE;
    }

    /**
     * The alignment shift in an entry.
     *
     * @param entry a packed value.
     * @return log2 of the alignment.
     */
    public static int alignmentShift(final long entry)
    {
        return (int)((entry >>> SHIFT_POSITION) & SIX_BITS);
    }

    /**
     * The scope value in an entry.
     *
     * @param entry a packed value.
     * @return the scope's Vulkan value.
     */
    public static int scopeValue(final long entry)
    {
        return (int)((entry >>> SCOPE_POSITION) & THREE_BITS);
    }

    /**
     * The state in an entry.
     *
     * @param entry a packed value.
     * @return {@link #LIVE}, {@link #QUARANTINED} or {@link #BUSY}.
     */
    public static int state(final long entry)
    {
        return (int)((entry >>> STATE_POSITION) & TWO_BITS);
    }

    /**
     * Fills a range with {@link #SLACK_FILL}.
     *
     * @param address the first byte.
     * @param length  bytes, possibly 0.
     */
    public static void fill(final long address, final long length)
    {
        if (length > 0)
        {
            memSet(address, SLACK_FILL, length);
        }
    }

    /**
     * Whether a filled range is intact, a word at a time.
     *
     * @param address the first byte.
     * @param length  bytes, possibly 0.
     * @return {@code true} when every byte is still {@link #SLACK_FILL}.
     */
    public static boolean intactFill(final long address, final long length)
    {
        final long end = address + length;
        long at = address;
        for (; at + Long.BYTES <= end; at += Long.BYTES)
        {
            if (memGetLong(at) != FILL_WORD)
            {
                return false;
            }
        }
        for (; at < end; at++)
        {
            if (memGetByte(at) != SLACK_FILL)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The damaged byte of a fill range nearest its start (for a range after a block: nearest the block).
     *
     * @param address the first byte.
     * @param length  bytes.
     * @return the offset from {@code address}, or -1 when intact.
     */
    public static long firstDamaged(final long address, final long length)
    {
        for (long i = 0; i < length; i++)
        {
            if (memGetByte(address + i) != SLACK_FILL)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * The damaged byte of a fill range nearest its end (for a range before a block: nearest the block).
     *
     * @param address the first byte.
     * @param length  bytes.
     * @return the offset from {@code address}, or -1 when intact.
     */
    public static long lastDamaged(final long address, final long length)
    {
        for (long i = length - 1; i >= 0; i--)
        {
            if (memGetByte(address + i) != SLACK_FILL)
            {
                return i;
            }
        }
        return -1;
    }
}
