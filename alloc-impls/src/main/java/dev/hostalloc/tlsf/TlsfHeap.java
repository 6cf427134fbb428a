package dev.hostalloc.tlsf;

import dev.hostalloc.api.Alignment;

import static dev.hostalloc.tlsf.TlsfBlockDescriptor.FREE_BIT;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.GRANULE;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.HEADER_LENGTH;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.MIN_BLOCK_SIZE;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.MIN_PAYLOAD;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.PREV_FREE_BIT;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.alignmentShift;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.hasTag;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.isFree;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.isPrevFree;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.nextFree;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.prevFree;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.prevPhys;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.size;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.word;
import static dev.hostalloc.tlsf.TlsfMapping.LIST_COUNT;
import static dev.hostalloc.tlsf.TlsfMapping.NO_INDEX;
import static dev.hostalloc.tlsf.TlsfMapping.SL_COUNT;
import static dev.hostalloc.tlsf.TlsfMapping.SL_SHIFT;
import static org.lwjgl.system.MemoryUtil.memCopy;

/**
 * The TLSF algorithm over one fixed arena, single-threaded and trusting: {@link TlsfAllocator}
 * validates arguments and pointers and provides the threading; this class only manages blocks.
 * Layout: {@link TlsfBlockDescriptor}; size classes: {@link TlsfMapping}.
 *
 * <p>Invariants (checked by {@link #check()}): blocks tile the arena exactly, each free block is in
 * the list of its class and nowhere else, a list is non-empty exactly when its bits are set in the
 * two bitmaps, no two free blocks are neighbours (coalescing is immediate), and every block's
 * {@code prevPhys} and previous-free flag agree with its neighbour.
 *
 * <p>Every operation is O(1) in the number of blocks: two bitmap scans, at most two merges and
 * one split (reallocate copies the payload when it moves). No Java heap is allocated.
 */
final class TlsfHeap
{
    static final long NULL = 0L;

    /**
     * Bytes at the end of the arena for the sentinel: its header, which ends the physical walk, and
     * the two free-list links of a block, because the sentinel is also the lists' null block (as in
     * Conte's TLSF): a link to the sentinel ends a list, and an empty list's head is the sentinel, so
     * inserting and removing never test a link for null before writing through it (fewer
     * data-dependent branches, which mispredict with random sizes). Writes through such a link land in
     * the sentinel's link fields, which nothing reads.
     */
    static final long SENTINEL_LENGTH = MIN_BLOCK_SIZE;

    private final long arenaStart;
    private final long sentinel;
    private final long nil; // the sentinel, as the null free block
    private final long[] heads = new long[LIST_COUNT];
    private final int[] secondLevelBitmaps = new int[TlsfMapping.FL_COUNT];
    private long firstLevelBitmap;
    private long usedBytes;
    private long usedBlocks;

    /**
     * Lays out one free block over {@code [start, start + length)}.
     *
     * @param start  the arena address, a multiple of 16.
     * @param length the arena length, a multiple of 16, at least {@link #MIN_ARENA_LENGTH}.
     */
    TlsfHeap(final long start, final long length)
    {
        this.arenaStart = start;
        this.sentinel = start + length - SENTINEL_LENGTH;
        this.nil = sentinel;
        java.util.Arrays.fill(heads, nil);
        final long firstSize = length - SENTINEL_LENGTH;
        prevPhys(start, NULL);
        word(start, TlsfBlockDescriptor.word(firstSize, FREE_BIT, 0));
        prevPhys(sentinel, start);
        word(sentinel, TlsfBlockDescriptor.word(0, PREV_FREE_BIT, 0));
        insertFree(start, firstSize);
    }

    /** The least arena: one minimal block and the sentinel. */
    static final long MIN_ARENA_LENGTH = MIN_BLOCK_SIZE + SENTINEL_LENGTH;

    long arenaStart()
    {
        return arenaStart;
    }

    long sentinel()
    {
        return sentinel;
    }

    long usedBytes()
    {
        return usedBytes;
    }

    long usedBlocks()
    {
        return usedBlocks;
    }

    /** Bytes of blocks, used and free: the arena less the sentinel. */
    long blockBytes()
    {
        return sentinel - arenaStart;
    }

    /**
     * The block size serving a request of {@code size} payload bytes.
     *
     * @param size bytes wanted, at most {@link #maxPayload()}.
     * @return the payload rounded up to 16 (at least {@link TlsfBlockDescriptor#MIN_PAYLOAD}) plus the header.
     */
    static long blockSizeFor(final long size)
    {
        final long payload = size <= MIN_PAYLOAD ? MIN_PAYLOAD : Alignment.alignUp(size, GRANULE);
        return payload + HEADER_LENGTH;
    }

    /** The largest payload a single block of this arena can have. */
    long maxPayload()
    {
        return blockBytes() - HEADER_LENGTH;
    }

    /**
     * Allocates a block.
     *
     * @param size           payload bytes, at most {@link #maxPayload()}.
     * @param alignment      a power of two.
     * @param alignmentShift log2 of {@code alignment}.
     * @return the user address, or 0 when no free block is large enough.
     */
    long allocate(final long size, final long alignment, final int alignmentShift)
    {
        final long need = blockSizeFor(size);
        if (alignment <= GRANULE)
        {
            final int index = findFreeList(need);
            if (index == NO_INDEX)
            {
                return NULL;
            }
            final long block = heads[index];
            final long blockSize = size(word(block));
            removeFreeHead(block, index);
            // A free block's predecessor is never free (coalescing is immediate): no previous-free flag.
            return TlsfBlockDescriptor.userOf(useBlock(block, blockSize, 0L, need, alignmentShift));
        }
        return allocateAligned(need, alignment, alignmentShift);
    }

    /**
     * Room for an aligned user address with either no gap before it or a gap that can be a free
     * block of its own (at least 32 bytes): the gap is at most {@code alignment + 16}.
     */
    private long allocateAligned(final long need, final long alignment, final int alignmentShift)
    {
        final long searchSize = need + alignment + GRANULE;
        if (searchSize > blockBytes())
        {
            return NULL;
        }
        final int index = findFreeList(searchSize);
        if (index == NO_INDEX)
        {
            return NULL;
        }
        long block = heads[index];
        long blockSize = size(word(block));
        removeFreeHead(block, index);

        final long user = TlsfBlockDescriptor.userOf(block);
        long aligned = Alignment.alignUp(user, alignment);
        if (aligned != user && aligned - user < MIN_BLOCK_SIZE)
        {
            aligned += alignment;
        }
        final long gap = aligned - user;
        long prevFlag = 0L;
        if (gap != 0)
        {
            // The leading gap becomes a free block; its physical predecessor is used (the block we
            // took was free, and free blocks have no free neighbours), so it needs no merge.
            final long leading = block;
            block = leading + gap;
            blockSize -= gap;
            word(leading, TlsfBlockDescriptor.word(gap, FREE_BIT, 0) | (word(leading) & PREV_FREE_BIT));
            prevPhys(block, leading);
            word(block, TlsfBlockDescriptor.word(blockSize, FREE_BIT | PREV_FREE_BIT, 0));
            prevPhys(block + blockSize, block);
            insertFree(leading, gap);
            prevFlag = PREV_FREE_BIT;
        }
        return TlsfBlockDescriptor.userOf(useBlock(block, blockSize, prevFlag, need, alignmentShift));
    }

    /**
     * Marks a block (already out of its list) used, splitting off and freeing its tail beyond
     * {@code need} when that tail can be a block.
     */
    private long useBlock(
        final long block, final long blockSize, final long prevFlag, final long need, final int alignmentShift)
    {
        final long remainder = blockSize - need;
        final long size;
        if (remainder >= MIN_BLOCK_SIZE)
        {
            // The tail's successor is used (our block was free), so no merge is needed.
            size = need;
            final long tail = block + need;
            prevPhys(tail, block);
            word(tail, TlsfBlockDescriptor.word(remainder, FREE_BIT, 0));
            final long after = tail + remainder;
            prevPhys(after, tail);
            insertFree(tail, remainder);
        }
        else
        {
            size = blockSize;
            final long after = block + blockSize;
            word(after, word(after) & ~PREV_FREE_BIT);
        }
        word(block, TlsfBlockDescriptor.word(size, prevFlag, alignmentShift));
        usedBytes += size;
        usedBlocks++;
        return block;
    }

    /**
     * Frees a used block, merging it with free neighbours.
     *
     * @param user the user address of a used block.
     */
    void free(final long user)
    {
        long block = TlsfBlockDescriptor.blockOf(user);
        final long w = word(block);
        long size = size(w);
        usedBytes -= size;
        usedBlocks--;

        final long next = block + size;
        final long nextWord = word(next);
        if (isFree(nextWord))
        {
            final long nextSize = size(nextWord);
            removeFree(next, nextSize);
            size += nextSize;
        }
        if (isPrevFree(w))
        {
            // This header is merged away but keeps its free flag, so a second free is recognized.
            word(block, w | FREE_BIT);
            final long prev = prevPhys(block);
            final long prevSize = size(word(prev));
            removeFree(prev, prevSize);
            block = prev;
            size += prevSize;
        }
        // After merging, the physical predecessor is used (or absent): no previous-free flag.
        word(block, TlsfBlockDescriptor.word(size, FREE_BIT, 0));
        final long after = block + size;
        prevPhys(after, block);
        word(after, word(after) | PREV_FREE_BIT);
        insertFree(block, size);
    }

    /**
     * Resizes a used block in place when it can: shrinking always can, growing can when the next
     * block is free and large enough. Otherwise allocates a new block, copies and frees the old.
     *
     * @param user           the user address of a used block.
     * @param size           the new payload size, positive, at most {@link #maxPayload()}.
     * @param alignment      the block's alignment.
     * @param alignmentShift log2 of {@code alignment}.
     * @return the (possibly same) user address, or 0 when there is no room; the block is then untouched.
     */
    long reallocate(final long user, final long size, final long alignment, final int alignmentShift)
    {
        final long block = TlsfBlockDescriptor.blockOf(user);
        final long w = word(block);
        final long current = size(w);
        final long need = blockSizeFor(size);
        if (need <= current)
        {
            shrink(block, w, current, need);
            return user;
        }
        final long next = block + current;
        final long nextWord = word(next);
        if (isFree(nextWord))
        {
            final long nextSize = size(nextWord);
            final long combined = current + nextSize;
            if (combined >= need)
            {
                removeFree(next, nextSize);
                word(block, TlsfBlockDescriptor.word(combined, w & PREV_FREE_BIT, alignmentShift(w)));
                usedBytes += nextSize;
                final long after = block + combined;
                prevPhys(after, block);
                word(after, word(after) & ~PREV_FREE_BIT);
                shrink(block, word(block), combined, need);
                return user;
            }
        }
        final long moved = allocate(size, alignment, alignmentShift);
        if (moved == NULL)
        {
            return NULL;
        }
        memCopy(user, moved, Math.min(current - HEADER_LENGTH, size));
        free(user);
        return moved;
    }

    /** Splits the tail beyond {@code need} off a used block, merging it with a free successor. */
    private void shrink(final long block, final long w, final long current, final long need)
    {
        long remainder = current - need;
        if (remainder < MIN_BLOCK_SIZE)
        {
            return;
        }
        word(block, TlsfBlockDescriptor.word(need, w & PREV_FREE_BIT, alignmentShift(w)));
        usedBytes -= remainder;
        final long tail = block + need;
        final long next = block + current;
        final long nextWord = word(next);
        if (isFree(nextWord))
        {
            final long nextSize = size(nextWord);
            removeFree(next, nextSize);
            remainder += nextSize;
        }
        prevPhys(tail, block);
        word(tail, TlsfBlockDescriptor.word(remainder, FREE_BIT, 0));
        final long after = tail + remainder;
        prevPhys(after, tail);
        word(after, word(after) | PREV_FREE_BIT);
        insertFree(tail, remainder);
    }

    /** The payload capacity of a used block (at least what was asked for). */
    static long payloadOf(final long user)
    {
        return size(word(TlsfBlockDescriptor.blockOf(user))) - HEADER_LENGTH;
    }

    /**
     * A list whose head block holds at least {@code size} bytes: the first non-empty list of a class
     * whose every block is large enough (good fit), else, when there is none, the list of
     * {@code size}'s own class if its head happens to be large enough. The second look costs one
     * load and lets the last large block of an almost full arena be used.
     *
     * @param size the block size needed.
     * @return a list index, or {@link TlsfMapping#NO_INDEX}.
     */
    private int findFreeList(final long size)
    {
        final int index = findNonEmptyList(TlsfMapping.searchIndex(size));
        if (index != NO_INDEX)
        {
            return index;
        }
        final int own = TlsfMapping.insertIndex(size);
        final long head = heads[own];
        return head != nil && size(word(head)) >= size ? own : NO_INDEX;
    }

    /**
     * The first non-empty list at or above {@code index}.
     *
     * @return a list index, or {@link TlsfMapping#NO_INDEX}.
     */
    private int findNonEmptyList(final int index)
    {
        if (index == NO_INDEX || index >= LIST_COUNT)
        {
            return NO_INDEX;
        }
        int fl = index >>> SL_SHIFT;
        int slMap = secondLevelBitmaps[fl] & (-1 << (index & (SL_COUNT - 1)));
        if (slMap == 0)
        {
            final long flMap = fl + 1 >= Long.SIZE ? 0 : firstLevelBitmap & (-1L << (fl + 1));
            if (flMap == 0)
            {
                return NO_INDEX;
            }
            fl = Long.numberOfTrailingZeros(flMap);
            slMap = secondLevelBitmaps[fl];
        }
        return (fl << SL_SHIFT) | Integer.numberOfTrailingZeros(slMap);
    }

    private void insertFree(final long block, final long size)
    {
        final int index = TlsfMapping.insertIndex(size);
        final long head = heads[index];
        nextFree(block, head);
        prevFree(block, nil);
        prevFree(head, block); // the sentinel's unused link when the list was empty
        heads[index] = block;
        final int fl = index >>> SL_SHIFT;
        firstLevelBitmap |= 1L << fl;
        secondLevelBitmaps[fl] |= 1 << (index & (SL_COUNT - 1));
    }

    private void removeFreeHead(final long block, final int index)
    {
        final long next = nextFree(block);
        heads[index] = next;
        prevFree(next, nil);
        if (next == nil)
        {
            clearListBit(index);
        }
    }

    private void removeFree(final long block, final long size)
    {
        final long prev = prevFree(block);
        final long next = nextFree(block);
        prevFree(next, prev); // either may be the sentinel: its unused links absorb the write
        nextFree(prev, next);
        if (prev == nil)
        {
            final int index = TlsfMapping.insertIndex(size);
            heads[index] = next;
            if (next == nil)
            {
                clearListBit(index);
            }
        }
    }

    private void clearListBit(final int index)
    {
        final int fl = index >>> SL_SHIFT;
        final int slMap = secondLevelBitmaps[fl] & ~(1 << (index & (SL_COUNT - 1)));
        secondLevelBitmaps[fl] = slMap;
        if (slMap == 0)
        {
            firstLevelBitmap &= ~(1L << fl);
        }
    }

    /** {@link #blockStatus}: a used block of this arena. */
    static final int LIVE = 0;
    /** {@link #blockStatus}: not a block header of this arena. */
    static final int FOREIGN = 1;
    /** {@link #blockStatus}: a block that is free already. */
    static final int FREED = 2;

    /**
     * Whether {@code block} looks like a used block of this arena: tagged, not free, and its
     * successor points back at it. One header and one successor load: cheap enough for every free.
     *
     * @param block a block address inside the arena, a multiple of 16.
     * @return {@link #LIVE}, {@link #FOREIGN} or {@link #FREED}.
     */
    int blockStatus(final long block)
    {
        final long w = word(block);
        if (!hasTag(w))
        {
            return FOREIGN;
        }
        if (isFree(w))
        {
            return FREED;
        }
        final long size = size(w);
        return size >= MIN_BLOCK_SIZE && size <= sentinel - block && prevPhys(block + size) == block ? LIVE : FOREIGN;
    }

    /**
     * Whether {@code block} is a used block of this arena.
     *
     * @param block a block address inside the arena, a multiple of 16.
     * @return {@code blockStatus(block) == LIVE}.
     */
    boolean isUsedBlock(final long block)
    {
        return blockStatus(block) == LIVE;
    }

    /** Empties the free lists so nothing more can be allocated (after the arena is released). */
    void retire()
    {
        java.util.Arrays.fill(heads, nil);
        java.util.Arrays.fill(secondLevelBitmaps, 0);
        firstLevelBitmap = 0;
    }

    /**
     * Verifies every invariant, in the spirit of Conte's {@code tlsf_check} and
     * {@code tlsf_check_pool}.
     *
     * @throws IllegalStateException naming the first inconsistency found.
     */
    void check()
    {
        long[] freeAddresses = new long[64]; // ascending: the walk goes up the arena
        long block = arenaStart;
        long prev = NULL;
        boolean prevWasFree = false;
        int freeBlocks = 0;
        long freeBytesWalked = 0;
        long usedBlocksWalked = 0;
        long usedBytesWalked = 0;
        while (block != sentinel)
        {
            if (block < arenaStart || block > sentinel || (block & (GRANULE - 1)) != 0)
            {
                throw corrupt("block address outside the arena or misaligned", block);
            }
            final long w = word(block);
            if (!hasTag(w))
            {
                throw corrupt("header tag missing (word 0x" + Long.toHexString(w) + ")", block);
            }
            final long size = size(w);
            if (size < MIN_BLOCK_SIZE || size > sentinel - block)
            {
                throw corrupt("block size " + size + " outside [" + MIN_BLOCK_SIZE + ", " + (sentinel - block) + "]", block);
            }
            if (prevPhys(block) != prev)
            {
                throw corrupt("prevPhys 0x" + Long.toHexString(prevPhys(block)) + " but the previous block is 0x" +
                    Long.toHexString(prev), block);
            }
            if (isPrevFree(w) != prevWasFree)
            {
                throw corrupt("previous-free flag " + isPrevFree(w) + " but the previous block is " +
                    (prevWasFree ? "free" : "used"), block);
            }
            final boolean free = isFree(w);
            if (free)
            {
                if (prevWasFree)
                {
                    throw corrupt("two free blocks are neighbours (not coalesced)", block);
                }
                if (freeBlocks == freeAddresses.length)
                {
                    freeAddresses = java.util.Arrays.copyOf(freeAddresses, freeBlocks * 2);
                }
                freeAddresses[freeBlocks++] = block;
                freeBytesWalked += size;
            }
            else
            {
                usedBlocksWalked++;
                usedBytesWalked += size;
            }
            prev = block;
            prevWasFree = free;
            block += size;
        }
        if (prevPhys(sentinel) != prev)
        {
            throw corrupt("the sentinel's prevPhys is not the last block", sentinel);
        }
        if (isPrevFree(word(sentinel)) != prevWasFree || size(word(sentinel)) != 0 || isFree(word(sentinel)))
        {
            throw corrupt("sentinel header damaged (word 0x" + Long.toHexString(word(sentinel)) + ")", sentinel);
        }
        if (freeBytesWalked + usedBytesWalked != blockBytes())
        {
            throw corrupt("block sizes add up to " + (freeBytesWalked + usedBytesWalked) + ", not " + blockBytes(),
                arenaStart);
        }
        checkLists(freeAddresses, freeBlocks);
        if (usedBytesWalked != usedBytes || usedBlocksWalked != usedBlocks)
        {
            throw corrupt("counters say " + usedBlocks + " used blocks / " + usedBytes + " bytes, the walk found " +
                usedBlocksWalked + " / " + usedBytesWalked, arenaStart);
        }
    }

    /**
     * Every list holds only free blocks of its class that the walk found, none twice, and together
     * they hold every free block: O(free blocks x log) with the walk's sorted addresses.
     */
    private void checkLists(final long[] freeAddresses, final int freeBlocksWalked)
    {
        final boolean[] seen = new boolean[freeBlocksWalked];
        long listed = 0;
        for (int fl = 0; fl < TlsfMapping.FL_COUNT; fl++)
        {
            final boolean flBit = (firstLevelBitmap & (1L << fl)) != 0;
            if (flBit != (secondLevelBitmaps[fl] != 0))
            {
                throw corrupt("first-level bit " + fl + " is " + flBit + " but its second-level bitmap is 0x" +
                    Integer.toHexString(secondLevelBitmaps[fl]), NULL);
            }
            for (int sl = 0; sl < SL_COUNT; sl++)
            {
                final int index = (fl << SL_SHIFT) | sl;
                final boolean slBit = (secondLevelBitmaps[fl] & (1 << sl)) != 0;
                if (slBit != (heads[index] != nil))
                {
                    throw corrupt("second-level bit " + fl + "/" + sl + " is " + slBit + " but the list is " +
                        (heads[index] == nil ? "empty" : "not empty"), heads[index]);
                }
                long previous = nil;
                for (long b = heads[index]; b != nil; b = nextFree(b))
                {
                    if (b < arenaStart || b >= sentinel || (b & (GRANULE - 1)) != 0)
                    {
                        throw corrupt("list " + index + " links outside the arena", b);
                    }
                    final long w = word(b);
                    if (!hasTag(w) || !isFree(w))
                    {
                        throw corrupt("list " + index + " holds a block that is not free", b);
                    }
                    if (TlsfMapping.insertIndex(size(w)) != index)
                    {
                        throw corrupt("list " + index + " holds a block of " + size(w) + " bytes, class " +
                            TlsfMapping.insertIndex(size(w)), b);
                    }
                    if (prevFree(b) != previous)
                    {
                        throw corrupt("list " + index + ": previous link does not match", b);
                    }
                    final int found = java.util.Arrays.binarySearch(freeAddresses, 0, freeBlocksWalked, b);
                    if (found < 0)
                    {
                        throw corrupt("list " + index + " holds a block the arena walk did not find free there", b);
                    }
                    if (seen[found])
                    {
                        throw corrupt("list " + index + " reaches a block already listed (a cycle or a block in two lists)", b);
                    }
                    seen[found] = true;
                    previous = b;
                    listed++;
                }
            }
        }
        if (listed != freeBlocksWalked)
        {
            for (int i = 0; i < freeBlocksWalked; i++)
            {
                if (!seen[i])
                {
                    throw corrupt("free block of " + size(word(freeAddresses[i])) + " bytes is not in the list of its class " +
                        TlsfMapping.insertIndex(size(word(freeAddresses[i]))), freeAddresses[i]);
                }
            }
        }
    }

    private IllegalStateException corrupt(final String what, final long block)
    {
        return new IllegalStateException("TLSF arena 0x" + Long.toHexString(arenaStart) + " inconsistent at block 0x" +
            Long.toHexString(block) + ": " + what);
    }

    /**
     * Walks the arena for the statistics.
     *
     * @param capacity the arena capacity reported.
     * @return a snapshot.
     */
    TlsfStatistics statistics(final long capacity)
    {
        long freeBlocks = 0;
        long freeBytes = 0;
        long largest = 0;
        for (long block = arenaStart; block != sentinel; )
        {
            final long w = word(block);
            final long size = size(w);
            if (isFree(w))
            {
                freeBlocks++;
                freeBytes += size;
                largest = Math.max(largest, size);
            }
            block += size;
        }
        return new TlsfStatistics(capacity, usedBytes, usedBlocks, freeBytes, freeBlocks, largest);
    }
}
