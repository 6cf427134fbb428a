package dev.hostalloc.accounting;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import static dev.hostalloc.accounting.BlockEntryDescriptor.ADDRESS;
import static dev.hostalloc.accounting.BlockEntryDescriptor.ENTRY_LONGS;
import static dev.hostalloc.accounting.BlockEntryDescriptor.FREE;
import static dev.hostalloc.accounting.BlockEntryDescriptor.META;
import static dev.hostalloc.accounting.BlockEntryDescriptor.SITE;
import static dev.hostalloc.accounting.BlockEntryDescriptor.SIZE;

/**
 * The live blocks allocated by one thread slot of one accounting allocator: entries laid out by
 * {@link BlockEntryDescriptor} in chunks that are never moved, so an entry's index stays valid for the
 * block's life and a free from any thread reaches it through the block header (which also holds what
 * the free needs, so the entry is only checked and released).
 *
 * <p>Only the slot's owner claims entries (single writer, no atomic instruction): it scans forward from
 * the entry it claimed last (which the common allocate-then-free pattern has just released, so it stays
 * in cache) for a free entry, and adds a chunk only when half the table in a row is in use, so the
 * table stays within twice the slot's highest number of live blocks plus a chunk (heap allocation only
 * while that number grows). A long run of long-lived blocks (a driver's instance and device objects)
 * costs one long scan per lap of the cursor, not a new chunk. Any thread frees
 * or updates an entry of a block it owns (the caller's hand-over of the pointer orders it after the
 * claim); freeing publishes the entry back with a release store. Readers that list live blocks (leak reports) see every entry published before they start.
 */
final class BlockTable
{
    /** log2 of the entries per chunk. */
    static final int CHUNK_SHIFT = 10;
    /** Entries per chunk. */
    static final int CHUNK_ENTRIES = 1 << CHUNK_SHIFT;
    /** Entries scanned for a free one before a chunk is added, at least (else half the table). */
    static final int SCAN_LIMIT = 16;

    private static final int OFFSET_MASK = CHUNK_ENTRIES - 1;
    private static final int CHUNK_LONGS = CHUNK_ENTRIES * ENTRY_LONGS;
    private static final int MAX_CHUNKS = BlockHeaderDescriptor.MAX_ENTRIES >> CHUNK_SHIFT;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] firstChunk = new long[CHUNK_LONGS]; // most blocks: one hop less on free
    private final boolean keepsSites;
    private volatile long[][] chunks = { firstChunk };
    private int cursor; // owner only

    /**
     * An empty table.
     *
     * @param keepsSites whether allocation sites are captured: without, SITE fields are never written
     *                   and keep {@link BlockEntryDescriptor#NO_SITE}, one store less per block.
     */
    BlockTable(final boolean keepsSites)
    {
        this.keepsSites = keepsSites;
    }

    /** Reads a block's entry; a visitor of {@link #forEachLive}. */
    @FunctionalInterface
    interface EntryVisitor
    {
        /**
         * Visits one live entry.
         *
         * @param address the block's address.
         * @param size    its size.
         * @param meta    its META word.
         * @param site    its site id.
         */
        void visit(long address, long size, long meta, long site);
    }

    /**
     * Claims a free entry for a new block. Owner thread only.
     *
     * @param address the block's address, not 0.
     * @param size    its size.
     * @param meta    its META word.
     * @param site    its site id.
     * @return the entry's index.
     * @throws IllegalStateException when the table cannot grow any more ({@link BlockHeaderDescriptor#MAX_ENTRIES}).
     */
    int claim(final long address, final long size, final long meta, final long site)
    {
        int index = cursor;
        if (index < CHUNK_ENTRIES)
        {
            // The common case: the entry claimed last (in the first chunk) was freed since. A plain read
            // suffices: nobody reads an entry's other fields after freeing it.
            final int base = index * ENTRY_LONGS;
            if (firstChunk[base + ADDRESS] == FREE)
            {
                fill(firstChunk, base, address, size, meta, site);
                return index;
            }
        }
        long[][] chunks = this.chunks;
        final int capacity = chunks.length << CHUNK_SHIFT;
        // Growing after a short scan would add a chunk per lap of the cursor past long-lived blocks,
        // without bound; half the table bounds growth by the live count and keeps scans amortised.
        final int scanLimit = Math.max(SCAN_LIMIT, capacity >>> 1);
        for (int scanned = 0; scanned < scanLimit; scanned++)
        {
            if (index >= capacity)
            {
                index = 0;
            }
            final long[] chunk = chunks[index >>> CHUNK_SHIFT];
            final int base = (index & OFFSET_MASK) * ENTRY_LONGS;
            if ((long)LONGS.getAcquire(chunk, base + ADDRESS) == FREE)
            {
                fill(chunk, base, address, size, meta, site);
                cursor = index; // tried first next time: a block freed soon after keeps its entry hot in cache
                return index;
            }
            index++;
        }
        if (chunks.length >= MAX_CHUNKS)
        {
            throw new IllegalStateException("accounting block table full: " + capacity + " live blocks in one thread slot");
        }
        chunks = Arrays.copyOf(chunks, chunks.length + 1);
        chunks[chunks.length - 1] = new long[CHUNK_LONGS];
        this.chunks = chunks;
        index = capacity;
        fill(chunks[index >>> CHUNK_SHIFT], 0, address, size, meta, site);
        cursor = index;
        return index;
    }

    private void fill(
        final long[] chunk, final int base, final long address, final long size, final long meta, final long site)
    {
        chunk[base + SIZE] = size;
        chunk[base + META] = meta;
        if (keepsSites)
        {
            chunk[base + SITE] = site;
        }
        LONGS.setRelease(chunk, base + ADDRESS, address); // readers of live blocks see a whole entry
    }

    /**
     * Chunks the table has now; for tests of its growth.
     *
     * @return at least 1.
     */
    int chunkCount()
    {
        return chunks.length;
    }

    /**
     * Finds the chunk of an entry that holds {@code address}.
     *
     * @param index   an index read from a block header (possibly garbage).
     * @param address the address the caller passed in.
     * @return the chunk, or {@code null} when the index is out of range or the entry does not hold
     *         {@code address} (a foreign or already freed pointer).
     */
    long[] chunkHolding(final int index, final long address)
    {
        final long[] chunk;
        if (index >= 0 && index < CHUNK_ENTRIES)
        {
            chunk = firstChunk;
        }
        else
        {
            final long[][] chunks = this.chunks;
            if (index < 0 || (index >>> CHUNK_SHIFT) >= chunks.length)
            {
                return null;
            }
            chunk = chunks[index >>> CHUNK_SHIFT];
        }
        // Plain read: the block's claim happened before the caller got its address, or the pointer is foreign.
        return chunk[entryBase(index) + ADDRESS] == address ? chunk : null;
    }

    /**
     * The long index of an entry within its chunk.
     *
     * @param index an entry index.
     * @return where its ADDRESS field is.
     */
    static int entryBase(final int index)
    {
        return (index & OFFSET_MASK) * ENTRY_LONGS;
    }

    /**
     * The size held by a live entry.
     *
     * @param chunk the entry's chunk, from {@link #chunkHolding}.
     * @param index the entry's index.
     * @return the block's size.
     */
    static long size(final long[] chunk, final int index)
    {
        return chunk[entryBase(index) + SIZE];
    }

    /**
     * Updates a live entry after its block was reallocated. Called by the thread that owns the block.
     *
     * @param chunk   the entry's chunk.
     * @param index   the entry's index.
     * @param address the block's new address.
     * @param size    its new size.
     * @param meta    its new META word.
     */
    static void update(final long[] chunk, final int index, final long address, final long size, final long meta)
    {
        final int base = entryBase(index);
        chunk[base + SIZE] = size;
        chunk[base + META] = meta;
        LONGS.setRelease(chunk, base + ADDRESS, address);
    }

    /**
     * Frees an entry; the owner may claim it again. Called once the entry's fields are no longer needed.
     *
     * @param chunk the entry's chunk.
     * @param index the entry's index.
     */
    static void release(final long[] chunk, final int index)
    {
        LONGS.setRelease(chunk, entryBase(index) + ADDRESS, FREE);
    }

    /**
     * Visits every live entry. Entries that change while being read are skipped or read again as the
     * block they hold at that moment; at quiescence the visit is exact.
     *
     * @param visitor told about each live entry.
     */
    void forEachLive(final EntryVisitor visitor)
    {
        for (final long[] chunk : chunks)
        {
            for (int base = 0; base < CHUNK_LONGS; base += ENTRY_LONGS)
            {
                final long address = (long)LONGS.getAcquire(chunk, base + ADDRESS);
                if (address == FREE)
                {
                    continue;
                }
                final long size = (long)LONGS.getOpaque(chunk, base + SIZE);
                final long meta = (long)LONGS.getOpaque(chunk, base + META);
                final long site = (long)LONGS.getOpaque(chunk, base + SITE);
                if ((long)LONGS.getAcquire(chunk, base + ADDRESS) == address)
                {
                    visitor.visit(address, size, meta, site);
                }
            }
        }
    }
}
