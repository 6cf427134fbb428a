package dev.hostalloc.guard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Hands out page ranges of inaccessible address space, carved front to back from large
 * {@code PROT_NONE} reservations ("chunks"), so that a guard block costs one {@code mprotect} to make its
 * data pages accessible instead of an {@code mmap} plus an {@code mprotect} of its guard page: the guard
 * page is simply left as reserved.
 *
 * <pre>
 *   chunk (CHUNK_BYTES, aligned to CHUNK_BYTES, PROT_NONE, MAP_NORESERVE)
 *   +---------+---------+---------+---------+---------------------------------------+
 *   | range 1 | range 2 | range 3 | ...     | not yet carved                        |
 *   +---------+---------+---------+---------+---------------------------------------+
 *                                           ^ cursor
 * </pre>
 *
 * <p>A range is never handed out twice: the cursor only moves forward, and when a range does not fit in
 * the rest of the chunk a new chunk is reserved and the old chunk's uncarved tail is unmapped at once. Every
 * byte of a chunk is therefore either a range someone owns (and unmaps when done with it) or unmapped,
 * so the address space held is the ranges not yet unmapped, as if each had been its own {@code mmap},
 * plus the current chunk's uncarved tail ({@link #releaseTail()} gives that back). Carved pages are fresh: zero-filled when first made accessible.
 *
 * <p>The cursor is one {@code long}: a chunk is aligned to its size, so the cursor names its chunk, and a
 * cursor on a chunk boundary (0 at first) means "no room". Lock-free (one compare-and-set per carve),
 * allocation-free; two threads may both reserve a new chunk, the loser unmaps its own.
 */
final class AddressSpaceCarver
{
    /** Bytes per reservation: 64 MiB of address space, no memory. */
    static final long CHUNK_BYTES = 1L << 26;

    /** The longest range carved; longer ones are better mapped on their own (less tail wasted). */
    static final long MAX_CARVED_BYTES = CHUNK_BYTES >>> 3;

    /** What {@link #carve(long)} returns when the kernel refuses a new chunk. */
    static final long NONE = 0L;

    private static final long CHUNK_MASK = CHUNK_BYTES - 1;
    private static final VarHandle CURSOR;

    static
    {
        try
        {
            CURSOR = MethodHandles.lookup().findVarHandle(AddressSpaceCarver.class, "cursor", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // accessed through CURSOR
    private volatile long cursor;

    /**
     * Takes the next range.
     *
     * @param length bytes, a positive multiple of the page size, at most {@link #MAX_CARVED_BYTES}.
     * @return the page-aligned start of {@code length} bytes of {@code PROT_NONE} address space the caller
     *         now owns (and must unmap when done), or {@link #NONE} when no chunk can be reserved.
     */
    long carve(final long length)
    {
        while (true)
        {
            final long at = (long)CURSOR.getVolatile(this);
            final long chunkEnd = (at & ~CHUNK_MASK) + CHUNK_BYTES;
            final boolean inChunk = (at & CHUNK_MASK) != 0;
            if (inChunk && length <= chunkEnd - at)
            {
                if (CURSOR.compareAndSet(this, at, at + length))
                {
                    return at;
                }
                continue;
            }
            final long chunk = reserveChunk();
            if (chunk == NONE)
            {
                return NONE;
            }
            if (CURSOR.compareAndSet(this, at, chunk + length))
            {
                if (inChunk)
                {
                    Pages.unmap(at, chunkEnd - at); // the old chunk's tail: nobody can carve it any more
                }
                return chunk;
            }
            Pages.unmap(chunk, CHUNK_BYTES); // another thread moved the cursor first
        }
    }

    /**
     * Unmaps the current chunk's uncarved tail, e.g. when the owner goes idle: an instance otherwise keeps
     * up to one chunk of address space (no memory) reserved. Ranges carved later come from a new chunk.
     */
    void releaseTail()
    {
        while (true)
        {
            final long at = (long)CURSOR.getVolatile(this);
            if ((at & CHUNK_MASK) == 0)
            {
                return;
            }
            final long chunkEnd = (at & ~CHUNK_MASK) + CHUNK_BYTES;
            if (CURSOR.compareAndSet(this, at, chunkEnd))
            {
                Pages.unmap(at, chunkEnd - at);
                return;
            }
        }
    }

    /** Reserves twice a chunk and trims it to one chunk aligned to its size (three system calls per chunk). */
    private static long reserveChunk()
    {
        final long reserved = CHUNK_BYTES << 1;
        final long raw = Pages.reserve(reserved);
        if (raw == 0L)
        {
            return NONE;
        }
        final long chunk = (raw + CHUNK_MASK) & ~CHUNK_MASK;
        if (chunk > raw)
        {
            Pages.unmap(raw, chunk - raw);
        }
        final long end = chunk + CHUNK_BYTES;
        if (raw + reserved > end)
        {
            Pages.unmap(end, raw + reserved - end);
        }
        return chunk;
    }
}
