package dev.hostalloc.cookie;

import static org.lwjgl.system.MemoryUtil.memGetInt;
import static org.lwjgl.system.MemoryUtil.memGetLong;
import static org.lwjgl.system.MemoryUtil.memPutInt;
import static org.lwjgl.system.MemoryUtil.memPutLong;

/**
 * Layout of a {@link CookieAllocator} block: a 32-byte header right before the address handed out and
 * an optional canary right after its last byte, inside one block of the delegate.
 *
 * <pre>
 *   delegate's pointer p                       user u = p + headerSpace            u + size
 *   |                                          |                                   |
 *   v                                          v                                   v
 *   +----------------+-------------------------+-----------------------------------+----------+
 *   | padding        | header (32 bytes)       | user bytes                        | canary   |
 *   | headerSpace-32 |                         | size                              | 0..64    |
 *   +----------------+-------------------------+-----------------------------------+----------+
 *
 *   header, offsets from u - 32:
 *   0        8        16   20   24 25 26   28   32
 *   +--------+--------+----+----+--+--+----+----+
 *   | tag    | size   |off |site|sh|sc| 0  |chk |
 *   +--------+--------+----+----+--+--+----+----+
 *
 *   headerSpace = max(32, alignment): 0 bytes of padding for alignments up to 32
 *   tag  : long  the cookie: LIVE_MAGIC ^ instance salt ^ u ^ rotl(u, 32); FREED_MAGIC once freed.
 *                Farthest from the block, so an underflow damages the fields after it first.
 *   size : long  the user size in bytes; once freed, the site id of the free
 *   off  : int   u - p, the offset back to the delegate's pointer (= headerSpace)
 *   site : int   allocation site id (AllocationSites), 0 when not captured
 *   sh   : byte  log2 of the alignment
 *   sc   : byte  the scope's Vulkan value
 *   0    : 2 bytes reserved, 0
 *   chk  : int   a hash of bytes 0..28 (tag included); once freed, the low half of the freed tag
 *   canary: canaryLength bytes, each 8 a copy of canaryWord(tag); the delegate is asked for
 *           headerSpace + size + canaryLength bytes at the user's alignment
 * </pre>
 *
 * <p>Because the tag mixes in the block's own address and the allocator's salt, bytes copied from
 * another block, left over from an earlier block at another address, or written by another allocator
 * instance never pass. Fields are accessed unaligned when the alignment is below 8 (the delegate is
 * asked for exactly the user's alignment, so over a guard-page allocator the block's end can sit flush
 * against the guard page); that is fine on x86-64 and AArch64.
 *
 * <p>Offsets are relative to the header start, {@link #headerAddress(long)}. The accessors check
 * nothing: the caller decides whether the bytes may be read.
 */
public final class CookieBlockDescriptor
{
    /** Offset of the tag (the cookie). */
    public static final int TAG_OFFSET = 0;
    /** Offset of the user size. */
    public static final int SIZE_OFFSET = TAG_OFFSET + Long.BYTES;
    /** Offset of the distance back to the delegate's pointer. */
    public static final int DELEGATE_OFFSET_OFFSET = SIZE_OFFSET + Long.BYTES;
    /** Offset of the allocation site id. */
    public static final int SITE_OFFSET = DELEGATE_OFFSET_OFFSET + Integer.BYTES;
    /** Offset of log2 of the alignment (1 byte), followed by the scope (1 byte) and 2 reserved bytes. */
    public static final int SHIFT_SCOPE_OFFSET = SITE_OFFSET + Integer.BYTES;
    /** Offset of the check word. */
    public static final int CHECK_OFFSET = SHIFT_SCOPE_OFFSET + Integer.BYTES;
    /** Bytes of header right before every user address. */
    public static final int HEADER_LENGTH = CHECK_OFFSET + Integer.BYTES;

    /** The largest canary, in bytes. */
    public static final int MAX_CANARY_LENGTH = 64;

    /** The magic of a live block's tag (Gallium's u_debug_memory uses 0x6e34090a; this is ours). */
    public static final long LIVE_MAGIC = 0x6B6F6F43_6E34090AL;
    /** The magic of a freed block's tag. */
    public static final long FREED_MAGIC = 0x44656164_33333333L;
    /** Mixed into the canary so it differs from the tag. */
    public static final long CANARY_MAGIC = 0xCA9A_27CA_9A27_CA9AL;

    private static final long CHECK_MIX = 0x9E37_79B9_7F4A_7C15L;
    private static final int SCOPE_SHIFT = 8;
    private static final int BYTE_MASK = 0xFF;

    private CookieBlockDescriptor()
    {
    }

    /**
     * Bytes between the delegate's pointer and the user address for an alignment: the header rounded up
     * to the alignment, so the user address keeps it.
     *
     * @param alignment a power of two.
     * @return {@code max(HEADER_LENGTH, alignment)}.
     */
    public static long headerSpace(final long alignment)
    {
        return Math.max(HEADER_LENGTH, alignment);
    }

    /**
     * Where a block's header starts.
     *
     * @param user the address handed out.
     * @return {@code user - HEADER_LENGTH}.
     */
    public static long headerAddress(final long user)
    {
        return user - HEADER_LENGTH;
    }

    /**
     * The live tag of a block: the cookie.
     *
     * @param salt this allocator instance's salt.
     * @param user the block's address.
     * @return {@code LIVE_MAGIC ^ salt ^ user ^ rotateLeft(user, 32)}.
     */
    public static long liveTag(final long salt, final long user)
    {
        return LIVE_MAGIC ^ salt ^ spread(user);
    }

    /**
     * The tag a block carries once freed.
     *
     * @param salt this allocator instance's salt.
     * @param user the block's address.
     * @return {@code FREED_MAGIC ^ salt ^ user ^ rotateLeft(user, 32)}.
     */
    public static long freedTag(final long salt, final long user)
    {
        return FREED_MAGIC ^ salt ^ spread(user);
    }

    /**
     * The address folded so that each half of a tag depends on every address bit: two nearby addresses
     * (same high half) still differ in both halves, which the damage classification relies on.
     */
    private static long spread(final long user)
    {
        return user ^ Long.rotateLeft(user, Integer.SIZE);
    }

    /**
     * The check word over a header's fields.
     *
     * @param tag        the tag.
     * @param size       the size.
     * @param offsetSite the long at {@link #DELEGATE_OFFSET_OFFSET} (offset low, site high).
     * @param shiftScope the int at {@link #SHIFT_SCOPE_OFFSET}.
     * @return the 32-bit check.
     */
    public static int check(final long tag, final long size, final long offsetSite, final int shiftScope)
    {
        // One multiply: cheap on every free's path, and not linear in the tag, so a header copied to another
        // address (whose tag differs) cannot keep a matching check word.
        final long h = (tag ^ Long.rotateLeft(size, 24) ^ Long.rotateLeft(offsetSite, 8) ^ shiftScope) * CHECK_MIX;
        return (int)(h >>> Integer.SIZE);
    }

    /**
     * The canary word of a block.
     *
     * @param tag the block's live tag.
     * @return the 8 bytes repeated after the block's end.
     */
    public static long canaryWord(final long tag)
    {
        return tag ^ CANARY_MAGIC;
    }

    /**
     * Packs the delegate offset and the site id as stored.
     *
     * @param delegateOffset {@code user - delegate pointer}.
     * @param site           the site id.
     * @return the long at {@link #DELEGATE_OFFSET_OFFSET}.
     */
    public static long offsetSite(final int delegateOffset, final int site)
    {
        return (delegateOffset & 0xFFFF_FFFFL) | ((long)site << Integer.SIZE);
    }

    /**
     * Packs the alignment shift and the scope value as stored (reserved bytes 0).
     *
     * @param alignmentShift log2 of the alignment.
     * @param scopeValue     the scope's Vulkan value.
     * @return the int at {@link #SHIFT_SCOPE_OFFSET}.
     */
    public static int shiftScope(final int alignmentShift, final int scopeValue)
    {
        return (alignmentShift & BYTE_MASK) | ((scopeValue & BYTE_MASK) << SCOPE_SHIFT);
    }

    /**
     * The alignment shift in a packed shift-scope int.
     *
     * @param shiftScope the int at {@link #SHIFT_SCOPE_OFFSET}.
     * @return log2 of the alignment.
     */
    public static int alignmentShiftOf(final int shiftScope)
    {
        return shiftScope & BYTE_MASK;
    }

    /**
     * The scope value in a packed shift-scope int.
     *
     * @param shiftScope the int at {@link #SHIFT_SCOPE_OFFSET}.
     * @return the scope's Vulkan value.
     */
    public static int scopeValueOf(final int shiftScope)
    {
        return (shiftScope >>> SCOPE_SHIFT) & BYTE_MASK;
    }

    /**
     * The delegate offset in a packed offset-site long.
     *
     * @param offsetSite the long at {@link #DELEGATE_OFFSET_OFFSET}.
     * @return {@code user - delegate pointer}.
     */
    public static int delegateOffsetOf(final long offsetSite)
    {
        return (int)offsetSite;
    }

    /**
     * The site id in a packed offset-site long.
     *
     * @param offsetSite the long at {@link #DELEGATE_OFFSET_OFFSET}.
     * @return the site id.
     */
    public static int siteOf(final long offsetSite)
    {
        return (int)(offsetSite >>> Integer.SIZE);
    }

    /**
     * Writes a whole live header.
     *
     * @param user       the address handed out.
     * @param tag        the live tag.
     * @param size       the user size.
     * @param offsetSite from {@link #offsetSite}.
     * @param shiftScope from {@link #shiftScope}.
     */
    public static void writeHeader(
        final long user, final long tag, final long size, final long offsetSite, final int shiftScope)
    {
        final long header = headerAddress(user);
        memPutLong(header + TAG_OFFSET, tag);
        memPutLong(header + SIZE_OFFSET, size);
        memPutLong(header + DELEGATE_OFFSET_OFFSET, offsetSite);
        memPutInt(header + SHIFT_SCOPE_OFFSET, shiftScope);
        memPutInt(header + CHECK_OFFSET, check(tag, size, offsetSite, shiftScope));
    }

    /**
     * Marks a header freed: the freed tag, and its low half in the check word (nearest the block, where
     * allocators such as glibc do not write free-list pointers), so a second free is recognised even if
     * the delegate reused the first bytes of the header; the size field, no longer needed, then holds the
     * site of the free.
     *
     * @param user      the address handed out.
     * @param freedTag  from {@link #freedTag}.
     * @param freeSite  the site id of the free, or 0.
     */
    public static void writeFreed(final long user, final long freedTag, final int freeSite)
    {
        final long header = headerAddress(user);
        memPutLong(header + TAG_OFFSET, freedTag);
        memPutLong(header + SIZE_OFFSET, freeSite);
        memPutInt(header + CHECK_OFFSET, (int)freedTag);
    }

    /**
     * Reads the tag.
     *
     * @param user the address handed out.
     * @return the tag.
     */
    public static long tag(final long user)
    {
        return memGetLong(headerAddress(user) + TAG_OFFSET);
    }

    /**
     * Reads the size.
     *
     * @param user the address handed out.
     * @return the size field.
     */
    public static long size(final long user)
    {
        return memGetLong(headerAddress(user) + SIZE_OFFSET);
    }

    /**
     * Reads the packed delegate offset and site id.
     *
     * @param user the address handed out.
     * @return the long at {@link #DELEGATE_OFFSET_OFFSET}.
     */
    public static long offsetSite(final long user)
    {
        return memGetLong(headerAddress(user) + DELEGATE_OFFSET_OFFSET);
    }

    /**
     * Reads the packed alignment shift and scope.
     *
     * @param user the address handed out.
     * @return the int at {@link #SHIFT_SCOPE_OFFSET}.
     */
    public static int shiftScope(final long user)
    {
        return memGetInt(headerAddress(user) + SHIFT_SCOPE_OFFSET);
    }

    /**
     * Reads the check word.
     *
     * @param user the address handed out.
     * @return the int at {@link #CHECK_OFFSET}.
     */
    public static int checkWord(final long user)
    {
        return memGetInt(headerAddress(user) + CHECK_OFFSET);
    }

    /**
     * Writes the canary after a block's end.
     *
     * @param user         the address handed out.
     * @param size         the user size.
     * @param canaryLength bytes of canary, a multiple of 8.
     * @param word         from {@link #canaryWord}.
     */
    public static void writeCanary(final long user, final long size, final int canaryLength, final long word)
    {
        final long end = user + size;
        if (canaryLength == Long.BYTES)
        {
            memPutLong(end, word); // the default: no loop on every allocation
            return;
        }
        for (int i = 0; i < canaryLength; i += Long.BYTES)
        {
            memPutLong(end + i, word);
        }
    }

    /**
     * Checks the canary after a block's end.
     *
     * @param user         the address handed out.
     * @param size         the user size.
     * @param canaryLength bytes of canary, a multiple of 8.
     * @param word         from {@link #canaryWord}.
     * @return the offset from the block's end of the first damaged canary word, or -1 when intact.
     */
    public static int damagedCanaryOffset(final long user, final long size, final int canaryLength, final long word)
    {
        final long end = user + size;
        if (canaryLength == Long.BYTES)
        {
            return memGetLong(end) == word ? -1 : 0; // the default: no loop on every free
        }
        for (int i = 0; i < canaryLength; i += Long.BYTES)
        {
            if (memGetLong(end + i) != word)
            {
                return i;
            }
        }
        return -1;
    }
}
