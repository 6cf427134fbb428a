package dev.hostalloc.conformance;

import dev.hostalloc.api.AllocationViolationException;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;

import static dev.hostalloc.conformance.CheckContext.expectPattern;
import static dev.hostalloc.conformance.CheckContext.fill;
import static dev.hostalloc.conformance.CheckContext.hex;
import static dev.hostalloc.conformance.CheckContext.reallocateCall;
import static dev.hostalloc.conformance.CheckContext.scope;

/**
 * The checks of {@code pfnReallocation}.
 */
final class ReallocationChecks
{
    private static final long[] GROW_SIZES = { 1, 16, 100, 4096, 100_000, ConformanceSuite.LARGEST_BLOCK_BYTES };
    private static final long[] SHRINK_SIZES = { ConformanceSuite.LARGEST_BLOCK_BYTES, 100_000, 4096, 100, 16, 1 };
    private static final long[] RESIZE_ALIGNMENTS = { 1, 8, 64, 4096 };
    private static final long[] NULL_ORIGINAL_SIZES = { 1, 100, 5000 };
    private static final long[] NULL_ORIGINAL_ALIGNMENTS = { 1, 16, 4096 };
    private static final long[] ZERO_SIZE_ALIGNMENTS = { 1, 16, 4096, 65536 };
    private static final long[] KEEP_ALIGNMENT_ALIGNMENTS = { 256, 4096, 65536 };
    private static final long[] KEEP_ALIGNMENT_SIZES = { 24, 200_000, 48, ConformanceSuite.LARGEST_BLOCK_BYTES, 70_000, 8 };
    private static final long BLOCKER_SIZE = 32;
    private static final long ORIGINAL_SIZE = 256;
    private static final long ORIGINAL_ALIGNMENT = 16;
    private static final long RESIZED_AFTER_FAILURE = 512;

    private ReallocationChecks()
    {
    }

    /** reallocate(0, size) behaves exactly like allocate(size). */
    static void nullOriginalIsAllocate(final CheckContext c)
    {
        int call = 0;
        for (final long alignment : NULL_ORIGINAL_ALIGNMENTS)
        {
            for (final long size : NULL_ORIGINAL_SIZES)
            {
                final SystemAllocationScope scope = scope(call++);
                final long block = c.reallocate(0, size, alignment, scope);
                fill(block, size, call);
                expectPattern("the block from " + reallocateCall(0, size, alignment, scope) + " must be writable " +
                    "over [0, size) (the spec: a NULL original behaves exactly like pfnAllocation)", block, size, call);
                c.free(block);
            }
        }
    }

    /** reallocate(p, 0) frees p and returns 0. */
    static void zeroSizeIsFree(final CheckContext c)
    {
        int call = 0;
        for (final long alignment : ZERO_SIZE_ALIGNMENTS)
        {
            final SystemAllocationScope scope = scope(call++);
            final long block = c.allocate(ORIGINAL_SIZE, alignment, scope);
            fill(block, ORIGINAL_SIZE, call);
            final long result = c.tryReallocate(block, 0, alignment, scope);
            if (0 != result)
            {
                throw new ConformanceFailure(reallocateCall(block, 0, alignment, scope) + " returned " + hex(result) +
                    "; the spec wants size 0 to behave exactly like pfnFree(original) and return NULL");
            }
        }
        // The replay at the end of the check proves each block is no longer live.
    }

    /** Growing keeps bytes [0, old size). */
    static void grow(final CheckContext c)
    {
        resizeThrough(c, GROW_SIZES, "grew");
    }

    /** Shrinking keeps bytes [0, new size). */
    static void shrink(final CheckContext c)
    {
        resizeThrough(c, SHRINK_SIZES, "shrank");
    }

    /** A failed reallocate returns 0 and leaves the original valid, intact and still owned by the caller. */
    static void failureKeepsOriginal(final CheckContext c)
    {
        final SystemAllocationScope scope = SystemAllocationScope.OBJECT;
        final long original = c.allocate(ORIGINAL_SIZE, ORIGINAL_ALIGNMENT, scope);
        fill(original, ORIGINAL_SIZE, 1);
        final long huge = ConformanceSuite.UNSATISFIABLE_SIZE;
        final String call = reallocateCall(original, huge, ORIGINAL_ALIGNMENT, scope);
        final long result;
        try
        {
            result = c.callbacks().reallocate(original, huge, ORIGINAL_ALIGNMENT, scope);
        }
        catch (final AllocationViolationException ex)
        {
            // A throwing violation handler turns a refused size into an exception; the original must
            // be as valid as after a 0 return.
            if (ex.violation() != Violation.INVALID_SIZE)
            {
                throw new ConformanceFailure(call + " reported " + ex.violation() + " (" + ex.getMessage() +
                    "); the only violation a too-large size may report is INVALID_SIZE", ex);
            }
            expectOriginalIntact(c, original, call + " was refused with INVALID_SIZE");
            return;
        }
        catch (final RuntimeException | Error ex)
        {
            throw new ConformanceFailure(call + " threw " + ex + "; the spec wants 0 when the memory cannot be " +
                "had, never an exception", ex);
        }
        if (0 != result)
        {
            // 2^62 bytes cannot exist; treat the block as moved so the record stays balanced.
            c.free(result);
            throw new ConformanceSkipped(call + " unexpectedly returned " + hex(result) + " for 2^62 bytes, so a " +
                "reallocate failure could not be provoked");
        }
        expectOriginalIntact(c, original, call + " returned 0");
    }

    /** The result of reallocate keeps the original alignment, also when the block moves. */
    static void keepsAlignment(final CheckContext c)
    {
        int call = 0;
        for (final long alignment : KEEP_ALIGNMENT_ALIGNMENTS)
        {
            final SystemAllocationScope scope = scope(call++);
            long block = c.allocate(KEEP_ALIGNMENT_SIZES[0], alignment, scope);
            long size = KEEP_ALIGNMENT_SIZES[0];
            fill(block, size, alignment);
            final long[] blockers = new long[KEEP_ALIGNMENT_SIZES.length];
            for (int i = 1; i < KEEP_ALIGNMENT_SIZES.length; i++)
            {
                // A small live block right after ours makes in-place growth unlikely: the block moves.
                blockers[i] = c.allocate(BLOCKER_SIZE, 1, scope);
                final long newSize = KEEP_ALIGNMENT_SIZES[i];
                final long moved = c.reallocate(block, newSize, alignment, scope);
                expectPattern("after " + reallocateCall(block, newSize, alignment, scope) + " returned " + hex(moved) +
                    ", the first " + Math.min(size, newSize) + " bytes must be kept", moved, Math.min(size, newSize),
                    alignment + i - 1);
                block = moved;
                size = newSize;
                fill(block, size, alignment + i);
            }
            c.free(block);
            for (final long blocker : blockers)
            {
                c.free(blocker);
            }
        }
    }

    private static void resizeThrough(final CheckContext c, final long[] sizes, final String verb)
    {
        int call = 0;
        for (final long alignment : RESIZE_ALIGNMENTS)
        {
            final SystemAllocationScope scope = scope(call++);
            final long[] blockers = new long[sizes.length];
            long seed = alignment << Integer.SIZE;
            long size = sizes[0];
            long block = c.allocate(size, alignment, scope);
            fill(block, size, seed);
            for (int i = 1; i < sizes.length; i++)
            {
                blockers[i] = c.allocate(BLOCKER_SIZE, 1, scope);
                final long newSize = sizes[i];
                final long resized = c.reallocate(block, newSize, alignment, scope);
                final long kept = Math.min(size, newSize);
                expectPattern(reallocateCall(block, newSize, alignment, scope) + " " + verb + " the block from " +
                    size + " to " + newSize + " bytes (result " + hex(resized) + "); the spec keeps bytes [0, " +
                    kept + ")", resized, kept, seed);
                block = resized;
                size = newSize;
                fill(block, size, ++seed);
            }
            c.free(block);
            for (final long blocker : blockers)
            {
                c.free(blocker);
            }
        }
    }

    private static void expectOriginalIntact(final CheckContext c, final long original, final String what)
    {
        final SystemAllocationScope scope = SystemAllocationScope.OBJECT;
        expectPattern(what + ", so the original block must be untouched (the spec: on failure the original " +
            "stays valid and is not freed)", original, ORIGINAL_SIZE, 1);
        final long resized = c.reallocate(original, RESIZED_AFTER_FAILURE, ORIGINAL_ALIGNMENT, scope);
        expectPattern(what + "; the original must still be a live block a later " +
            reallocateCall(original, RESIZED_AFTER_FAILURE, ORIGINAL_ALIGNMENT, scope) + " resizes keeping its " +
            "bytes", resized, ORIGINAL_SIZE, 1);
        c.free(resized);
    }
}
