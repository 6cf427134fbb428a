package dev.hostalloc.system;

import static org.lwjgl.system.MemoryUtil.memGetInt;
import static org.lwjgl.system.MemoryUtil.memGetLong;
import static org.lwjgl.system.MemoryUtil.memPutInt;
import static org.lwjgl.system.MemoryUtil.memPutLong;

/**
 * Layout of a {@link SystemAllocator} block: a 16-byte header right before the address handed out.
 *
 * <pre>
 *   raw (from malloc)                                user (returned, a multiple of the alignment)
 *   |                                                |
 *   v                                                v
 *   +----------------------+----------------------+----------------------------------+
 *   | padding: 0 bytes for |        header        | user bytes ...                   |
 *   | alignment &lt;= 16,     | 0         8    12  16 |                                  |
 *   | else up to alignment | +---------+----+----+ |                                  |
 *   | - 1 bytes            | | size    |off |log2| |                                  |
 *   |                      | +---------+----+----+ |                                  |
 *   +----------------------+----------------------+----------------------------------+
 *
 *   size : long, the user size in bytes (for reallocate's copy of min(old, new) bytes)
 *   off  : int,  user - raw, the offset back to the pointer malloc returned (for free)
 *   log2 : int,  log2 of the alignment the block was allocated with (checked by reallocate)
 * </pre>
 *
 * <p>The header is always 8-byte aligned: {@code user} is 16-byte aligned for alignments up to 16
 * (malloc's guarantee plus a 16-byte header) and a multiple of the alignment above that.
 *
 * <p>Offsets are relative to the header start, {@link #headerAddress(long)}. The accessors read and
 * write the header of a block that the caller knows is live; they check nothing.
 */
public final class SystemBlockDescriptor
{
    /** Offset of the user size (a {@code long}) from the header start. */
    public static final int SIZE_OFFSET = 0;

    /** Offset of the distance back to the raw malloc pointer (an {@code int}) from the header start. */
    public static final int RAW_OFFSET_OFFSET = SIZE_OFFSET + Long.BYTES;

    /** Offset of log2 of the alignment (an {@code int}) from the header start. */
    public static final int ALIGNMENT_SHIFT_OFFSET = RAW_OFFSET_OFFSET + Integer.BYTES;

    /** Bytes of header before every user address. */
    public static final int HEADER_LENGTH = ALIGNMENT_SHIFT_OFFSET + Integer.BYTES;

    private SystemBlockDescriptor()
    {
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
     * Address of the size field.
     *
     * @param user the address handed out.
     * @return the field's address.
     */
    public static long sizeAddress(final long user)
    {
        return headerAddress(user) + SIZE_OFFSET;
    }

    /**
     * Address of the raw-offset field.
     *
     * @param user the address handed out.
     * @return the field's address.
     */
    public static long rawOffsetAddress(final long user)
    {
        return headerAddress(user) + RAW_OFFSET_OFFSET;
    }

    /**
     * Address of the alignment-shift field.
     *
     * @param user the address handed out.
     * @return the field's address.
     */
    public static long alignmentShiftAddress(final long user)
    {
        return headerAddress(user) + ALIGNMENT_SHIFT_OFFSET;
    }

    /**
     * Writes a whole header.
     *
     * @param user           the address handed out.
     * @param size           the user size in bytes.
     * @param rawOffset      {@code user - raw}, at least {@link #HEADER_LENGTH}.
     * @param alignmentShift log2 of the alignment.
     */
    public static void writeHeader(final long user, final long size, final int rawOffset, final int alignmentShift)
    {
        memPutLong(sizeAddress(user), size);
        memPutInt(rawOffsetAddress(user), rawOffset);
        memPutInt(alignmentShiftAddress(user), alignmentShift);
    }

    /**
     * Reads the user size.
     *
     * @param user the address handed out.
     * @return the size in bytes.
     */
    public static long size(final long user)
    {
        return memGetLong(sizeAddress(user));
    }

    /**
     * Updates the user size (after an in-place or libc realloc).
     *
     * @param user the address handed out.
     * @param size the new size in bytes.
     */
    public static void size(final long user, final long size)
    {
        memPutLong(sizeAddress(user), size);
    }

    /**
     * Reads the distance back to the raw malloc pointer.
     *
     * @param user the address handed out.
     * @return {@code user - raw}.
     */
    public static int rawOffset(final long user)
    {
        return memGetInt(rawOffsetAddress(user));
    }

    /**
     * The pointer malloc returned for a block, the one to pass to free.
     *
     * @param user the address handed out.
     * @return {@code user - rawOffset(user)}.
     */
    public static long rawAddress(final long user)
    {
        return user - rawOffset(user);
    }

    /**
     * Reads log2 of the block's alignment.
     *
     * @param user the address handed out.
     * @return the shift; the alignment is {@code 1L << shift}.
     */
    public static int alignmentShift(final long user)
    {
        return memGetInt(alignmentShiftAddress(user));
    }
}
