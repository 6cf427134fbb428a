package dev.hostalloc.conformance;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.AllocationViolationException;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.hostalloc.conformance.CheckContext.allocateCall;
import static dev.hostalloc.conformance.CheckContext.expectAligned;
import static dev.hostalloc.conformance.CheckContext.expectPattern;
import static dev.hostalloc.conformance.CheckContext.fill;
import static dev.hostalloc.conformance.CheckContext.hex;
import static dev.hostalloc.conformance.CheckContext.reallocateCall;
import static dev.hostalloc.conformance.CheckContext.scope;

/**
 * The checks of {@code pfnAllocation}, {@code pfnFree}, the internal notifications and the traits.
 */
final class BlockChecks
{
    /** Sizes the writable-block check allocates: around word, cache-line and page boundaries. */
    private static final long[] WRITABLE_SIZES =
    {
        1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255, 256, 257,
        4095, 4096, 4097, 65535, 65536, 65537, ConformanceSuite.LARGEST_BLOCK_BYTES
    };
    private static final long[] WRITABLE_ALIGNMENTS = { 1, 8, 16, 64, 4096 };
    private static final long[] SIZE_ZERO_ALIGNMENTS = { 1, 16, 4096 };
    private static final int OVERLAP_BLOCKS = 256;
    private static final long OVERLAP_RANDOM_SEED = 0x5EED_0F_B10C5L;
    private static final int LARGE_BLOCK_PERCENT = 3;
    private static final long SMALL_BLOCK_MAX = 8192;
    private static final int PERCENT = 100;
    private static final int MAX_ALIGNMENT_SHIFT_SMALL = 12;
    private static final long INTERNAL_NOTIFICATION_SIZE = 4096;
    private static final long MAX_POWER_OF_TWO_CHECKED = 1L << 62;
    private static final long PROBE_SIZE = 64;

    private BlockChecks()
    {
    }

    /** Every power-of-two alignment from 1 to 64 KiB, several sizes each, all scopes. */
    static void alignment(final CheckContext c)
    {
        int call = 0;
        for (long alignment = 1; alignment <= ConformanceSuite.MAX_ALIGNMENT_CHECKED; alignment <<= 1)
        {
            final long[] sizes = { 1, 17, alignment, 2 * alignment + 3 };
            final long[] blocks = new long[sizes.length];
            for (int i = 0; i < sizes.length; i++)
            {
                blocks[i] = c.allocate(sizes[i], alignment, scope(call++));
                fill(blocks[i], sizes[i], seed(alignment, i));
            }
            for (int i = 0; i < sizes.length; i++)
            {
                expectPattern("a block from " + allocateCall(sizes[i], alignment, scope(call - sizes.length + i)) +
                    " must hold what was written to it while other blocks live", blocks[i], sizes[i], seed(alignment, i));
            }
            for (final long block : blocks)
            {
                c.free(block);
            }
        }
    }

    /** Alignments above traits().maxAlignment() give 0 (or a correctly aligned block), never a misaligned one. */
    static void alignmentAboveMaximum(final CheckContext c)
    {
        final long max = c.traits().maxAlignment();
        if (max >= MAX_POWER_OF_TWO_CHECKED)
        {
            throw new ConformanceSkipped("traits().maxAlignment() is " + max + " (2^62 or more): there is no larger " +
                "alignment the kit can ask for");
        }
        final long[] tooLarge = max << 1 == MAX_POWER_OF_TWO_CHECKED ?
            new long[] { MAX_POWER_OF_TWO_CHECKED } : new long[] { max << 1, MAX_POWER_OF_TWO_CHECKED };
        int call = 0;
        for (final long alignment : tooLarge)
        {
            final SystemAllocationScope allocScope = scope(call++);
            final String allocate = allocateCall(PROBE_SIZE, alignment, allocScope);
            expectRefusedOrAligned(c, allocate, max, alignment, refusedOrResult(allocate, () ->
                c.callbacks().allocate(PROBE_SIZE, alignment, allocScope)));
            final SystemAllocationScope reallocScope = scope(call++);
            final String reallocate = reallocateCall(0, PROBE_SIZE, alignment, reallocScope);
            expectRefusedOrAligned(c, reallocate, max, alignment, refusedOrResult(reallocate, () ->
                c.callbacks().reallocate(0, PROBE_SIZE, alignment, reallocScope)));
        }
    }

    /** Blocks of many sizes and alignments are writable and readable over [0, size). */
    static void writableBlock(final CheckContext c)
    {
        int call = 0;
        for (final long alignment : WRITABLE_ALIGNMENTS)
        {
            for (int i = 0; i < WRITABLE_SIZES.length; i++)
            {
                final long size = WRITABLE_SIZES[i];
                final SystemAllocationScope scope = scope(call++);
                final long block = c.allocate(size, alignment, scope);
                fill(block, size, seed(alignment, i));
                expectPattern("every byte of [0, " + size + ") of the block from " + allocateCall(size, alignment, scope) +
                    " must keep what was written (the spec: the block covers at least size bytes)",
                    block, size, seed(alignment, i));
                c.free(block);
            }
        }
    }

    /** Distinct live blocks never share a byte, also after some are freed and others allocated. */
    static void noOverlap(final CheckContext c)
    {
        final SplittableRandom random = new SplittableRandom(OVERLAP_RANDOM_SEED);
        final long[] addresses = new long[OVERLAP_BLOCKS];
        final long[] sizes = new long[OVERLAP_BLOCKS];
        final long[] seeds = new long[OVERLAP_BLOCKS];
        long nextSeed = OVERLAP_RANDOM_SEED;
        for (int i = 0; i < OVERLAP_BLOCKS; i++)
        {
            allocateRandomBlock(c, random, addresses, sizes, seeds, i, nextSeed++);
        }
        expectDisjoint(addresses, sizes, "after " + OVERLAP_BLOCKS + " allocations");
        expectPatterns(addresses, sizes, seeds, "after " + OVERLAP_BLOCKS + " allocations");

        // Free every other block and allocate into the holes: reused memory must not overlap survivors.
        for (int i = 0; i < OVERLAP_BLOCKS; i += 2)
        {
            c.free(addresses[i]);
            addresses[i] = 0;
        }
        for (int i = 0; i < OVERLAP_BLOCKS; i += 2)
        {
            allocateRandomBlock(c, random, addresses, sizes, seeds, i, nextSeed++);
        }
        expectDisjoint(addresses, sizes, "after freeing every other block and allocating again");
        expectPatterns(addresses, sizes, seeds, "after freeing every other block and allocating again");
        for (final long address : addresses)
        {
            c.free(address);
        }
    }

    /**
     * allocate(0): 0, or a pointer (hostalloc's choice: a unique block, as malloc(0)) that is aligned,
     * distinct from every other live block and taken back by free().
     */
    static void sizeZero(final CheckContext c)
    {
        final long[] blocks = new long[SIZE_ZERO_ALIGNMENTS.length * SystemAllocationScope.COUNT];
        final String[] calls = new String[blocks.length];
        int call = 0;
        for (final long alignment : SIZE_ZERO_ALIGNMENTS)
        {
            for (int i = 0; i < SystemAllocationScope.COUNT; i++)
            {
                final SystemAllocationScope scope = scope(call);
                calls[call] = allocateCall(0, alignment, scope);
                blocks[call] = c.tryAllocate(0, alignment, scope);
                if (0 != blocks[call])
                {
                    // The spec is silent on size 0; a pointer is accepted, but it must be a valid block:
                    // aligned, not shared with another live block (each is freed on its own), and freed by
                    // free() (the record replay proves none is still live).
                    expectAligned(calls[call], blocks[call], alignment);
                    for (int earlier = 0; earlier < call; earlier++)
                    {
                        if (blocks[earlier] == blocks[call])
                        {
                            throw new ConformanceFailure(calls[call] + " returned " + hex(blocks[call]) + ", which " +
                                "is still live from " + calls[earlier] + "; every pointer returned is freed on its " +
                                "own, so live blocks, even of size 0, must be distinct");
                        }
                    }
                }
                call++;
            }
        }
        for (final long block : blocks)
        {
            c.free(block);
        }
    }

    /** free(0) does nothing. */
    static void freeNull(final CheckContext c)
    {
        for (int i = 0; i < SystemAllocationScope.COUNT; i++)
        {
            c.free(0);
        }
        final long block = c.allocate(PROBE_SIZE, Long.BYTES, SystemAllocationScope.OBJECT);
        fill(block, PROBE_SIZE, 1);
        c.free(0);
        expectPattern("a live block must be untouched by free(0)", block, PROBE_SIZE, 1);
        c.free(block);
    }

    /** Internal allocation and free notifications, for every scope, are accepted and change nothing. */
    static void internalNotifications(final CheckContext c)
    {
        final long block = c.allocate(PROBE_SIZE, Long.BYTES, SystemAllocationScope.DEVICE);
        fill(block, PROBE_SIZE, 2);
        for (int i = 0; i < SystemAllocationScope.COUNT; i++)
        {
            c.internalAllocation(INTERNAL_NOTIFICATION_SIZE, InternalAllocationType.EXECUTABLE, scope(i));
        }
        for (int i = SystemAllocationScope.COUNT - 1; i >= 0; i--)
        {
            c.internalFree(INTERNAL_NOTIFICATION_SIZE, InternalAllocationType.EXECUTABLE, scope(i));
        }
        expectPattern("a live block must be untouched by internal notifications", block, PROBE_SIZE, 2);
        c.free(block);
        final long after = c.allocate(PROBE_SIZE, Long.BYTES, SystemAllocationScope.COMMAND);
        c.free(after);
    }

    /** traits() is stable and promises at least what the kit verifies. */
    static void traits(final CheckContext c)
    {
        final AllocatorTraits first = c.traits();
        final AllocatorTraits second = c.traits();
        if (!first.equals(second))
        {
            throw new ConformanceFailure("traits() returned " + first + ", then " + second +
                "; the API wants one fixed declaration per allocator");
        }
        if (first.maxAlignment() < ConformanceSuite.MAX_ALIGNMENT_CHECKED)
        {
            throw new ConformanceFailure("traits() returned maxAlignment " + first.maxAlignment() + "; the kit " +
                "verifies every alignment up to " + ConformanceSuite.MAX_ALIGNMENT_CHECKED + " (64 KiB, " +
                "Alignment.CONFORMANCE_MAX_ALIGNMENT), so maxAlignment must be at least that");
        }
        if (first.capacityBytes() < ConformanceSuite.REQUIRED_CAPACITY_BYTES)
        {
            throw new ConformanceFailure("traits() returned capacityBytes " + first.capacityBytes() + "; the kit's " +
                "checks keep up to " + ConformanceSuite.REQUIRED_CAPACITY_BYTES + " bytes live, so a bounded " +
                "allocator under test needs at least that capacity");
        }
    }

    private static void allocateRandomBlock(
        final CheckContext c,
        final SplittableRandom random,
        final long[] addresses,
        final long[] sizes,
        final long[] seeds,
        final int i,
        final long seed)
    {
        final long size = random.nextInt(PERCENT) < LARGE_BLOCK_PERCENT ?
            random.nextLong(SMALL_BLOCK_MAX, Alignment.CONFORMANCE_MAX_ALIGNMENT + 1) :
            random.nextLong(1, SMALL_BLOCK_MAX + 1);
        final long alignment = 1L << random.nextInt(MAX_ALIGNMENT_SHIFT_SMALL + 1);
        addresses[i] = c.allocate(size, alignment, scope(i));
        sizes[i] = size;
        seeds[i] = seed;
        fill(addresses[i], size, seed);
    }

    private static void expectDisjoint(final long[] addresses, final long[] sizes, final String when)
    {
        final Integer[] order = new Integer[addresses.length];
        for (int i = 0; i < order.length; i++)
        {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compareUnsigned(addresses[a], addresses[b]));
        for (int k = 1; k < order.length; k++)
        {
            final int lower = order[k - 1];
            final int upper = order[k];
            if (Long.compareUnsigned(addresses[lower] + sizes[lower], addresses[upper]) > 0)
            {
                throw new ConformanceFailure(when + ": live block #" + lower + " at " + hex(addresses[lower]) +
                    " (" + sizes[lower] + " bytes) overlaps live block #" + upper + " at " + hex(addresses[upper]) +
                    " (" + sizes[upper] + " bytes); the spec wants every allocation to be distinct memory");
            }
        }
    }

    private static void expectPatterns(final long[] addresses, final long[] sizes, final long[] seeds, final String when)
    {
        for (int i = 0; i < addresses.length; i++)
        {
            expectPattern(when + ", live block #" + i + " must still hold its own bytes (another block shares its " +
                "memory)", addresses[i], sizes[i], seeds[i]);
        }
    }

    /** The outcome of a call the allocator may refuse by reporting a violation to a throwing handler. */
    private record Outcome(long address, AllocationViolationException refusal)
    {
    }

    @FunctionalInterface
    private interface Call
    {
        long invoke();
    }

    private static Outcome refusedOrResult(final String call, final Call invocation)
    {
        try
        {
            return new Outcome(invocation.invoke(), null);
        }
        catch (final AllocationViolationException ex)
        {
            if (ex.violation() != Violation.INVALID_ALIGNMENT)
            {
                throw new ConformanceFailure(call + " reported " + ex.violation() + " (" + ex.getMessage() +
                    "); the only violation an unsupported alignment may report is INVALID_ALIGNMENT", ex);
            }
            return new Outcome(0, ex);
        }
        catch (final RuntimeException | Error ex)
        {
            throw new ConformanceFailure(call + " threw " + ex + "; the spec wants 0 for an alignment the " +
                "allocator cannot honour, never an exception", ex);
        }
    }

    private static void expectRefusedOrAligned(
        final CheckContext c, final String call, final long max, final long alignment, final Outcome outcome)
    {
        final long address = outcome.address();
        if (0 == address)
        {
            return;
        }
        if (!Alignment.isAligned(address, alignment))
        {
            throw new ConformanceFailure(call + " returned " + hex(address) + ", not a multiple of " + alignment +
                "; traits().maxAlignment() is " + max + ", so the allocator must return 0 for this alignment " +
                "(the spec never allows a misaligned block)");
        }
        c.free(address);
    }

    private static long seed(final long alignment, final int index)
    {
        return ((long)Long.numberOfTrailingZeros(alignment) << Integer.SIZE) | index;
    }
}
