package dev.hostalloc.system;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import org.lwjgl.system.Pointer;

import java.util.Objects;

import static dev.hostalloc.system.SystemBlockDescriptor.HEADER_LENGTH;
import static org.lwjgl.system.MemoryUtil.memCopy;
import static org.lwjgl.system.libc.LibCStdlib.nfree;
import static org.lwjgl.system.libc.LibCStdlib.nmalloc;
import static org.lwjgl.system.libc.LibCStdlib.nrealloc;

/**
 * The production base allocator: the C library's {@code malloc}/{@code realloc}/{@code free}
 * (LWJGL's direct {@code LibCStdlib} bindings, not {@code MemoryUtil}'s configurable allocator),
 * with Vulkan's exact semantics for every power-of-two alignment from 1 to {@link #MAX_ALIGNMENT}.
 *
 * <p>Each block carries a {@link SystemBlockDescriptor} header (size, offset back to the malloc
 * pointer, log2 of the alignment) right before the address handed out:
 * <ul>
 *   <li>alignment &lt;= {@link #MALLOC_GUARANTEED_ALIGNMENT}: {@code malloc(size + 16)}, the block
 *       starts right after the header; {@link #reallocate} uses libc {@code realloc}, which keeps
 *       the header and contents (and may grow in place).</li>
 *   <li>larger alignments: {@code malloc(size + 16 + alignment - 1)} and the block is aligned up;
 *       {@link #reallocate} allocates a new block, copies {@code min(old, new)} bytes and frees the
 *       old one, since libc {@code realloc} does not keep the alignment.</li>
 * </ul>
 *
 * <p>hostalloc rules (see {@link AllocationCallbacks}):
 * <ul>
 *   <li>{@code allocate(0, ...)} with valid arguments returns a unique, aligned, freeable block of
 *       size 0 (only its header is allocated), as {@code malloc(0)} does; real drivers ask for 0 bytes
 *       and take NULL as out of memory. {@code reallocate(0, 0, ...)} returns 0: a reallocate to size 0
 *       never returns a block.</li>
 *   <li>Invalid arguments do nothing, return 0 and are then reported: a {@code null} scope is
 *       {@link Violation#INVALID_ALLOCATION_SCOPE}; an alignment that is 0, not a power of two or
 *       above {@link #MAX_ALIGNMENT} (read as unsigned) is {@link Violation#INVALID_ALIGNMENT}; a size
 *       above {@link #MAX_SIZE} (which includes every negative {@code long}) is
 *       {@link Violation#INVALID_SIZE}. Checked in that order; only the first is reported. This holds
 *       for {@link #reallocate} too, even with size 0: a block given with invalid arguments is left
 *       live (a leak rather than a guess).</li>
 *   <li>{@link #reallocate} with a valid alignment other than the block's own (size &gt; 0) fails:
 *       it returns 0, leaves the block untouched and reports
 *       {@link Violation#REALLOC_DIFFERENT_ALIGNMENT}. With size 0 it frees the block, as the CTS
 *       validator only checks the alignment for sizes above 0.</li>
 *   <li>Reports happen after the call was made harmless, so a throwing handler leaves every block as
 *       it was.</li>
 *   <li>Foreign, freed or double-freed pointers are NOT detected: the header is trusted, as libc
 *       trusts its own. That is the cookie decorator's job; stack it on top when in doubt.</li>
 * </ul>
 *
 * <p>Thread-safe (libc is) without Java locks; allocates no Java heap on any successful or failing
 * call (only a reported violation builds its detail text). Not real-time safe: malloc may take locks
 * and make system calls.
 */
@DirectAllocation(reason = "the base allocator: every hostalloc stack ends in libc malloc/realloc/free")
public final class SystemAllocator implements AllocationCallbacks
{
    /**
     * The alignment libc's {@code malloc}/{@code realloc} guarantee for requests of at least 16 bytes
     * (every request made here is larger than the 16-byte header): glibc's {@code MALLOC_ALIGNMENT},
     * {@code 2 * sizeof(size_t)}, which is C's {@code alignof(max_align_t)} = 16 on 64-bit platforms.
     * Alignments up to it cost no padding.
     */
    public static final long MALLOC_GUARANTEED_ALIGNMENT = 2L * Pointer.POINTER_SIZE;

    /** The largest alignment honoured, 1 GiB; {@link #traits()} reports it. */
    public static final long MAX_ALIGNMENT = 1L << 30;

    /**
     * The largest size accepted: {@code Long.MAX_VALUE} less the worst-case overhead (header plus
     * alignment padding), so {@code size + overhead} never overflows. Larger sizes, negative ones
     * included, are {@link Violation#INVALID_SIZE}; sizes up to it that libc cannot satisfy simply
     * return 0.
     */
    public static final long MAX_SIZE = Long.MAX_VALUE - HEADER_LENGTH - (MAX_ALIGNMENT - 1);

    private static final long NULL = 0L;

    private static final AllocatorTraits TRAITS =
        new AllocatorTraits(true, false, MAX_ALIGNMENT, AllocatorTraits.UNBOUNDED_CAPACITY);

    private final ViolationHandler violationHandler;

    /** Creates an allocator reporting to its own new {@link dev.hostalloc.api.RecordingViolationHandler}. */
    public SystemAllocator()
    {
        this(ViolationHandler.recordAndCount());
    }

    /**
     * Creates an allocator reporting to {@code violationHandler}.
     *
     * @param violationHandler where misuse is reported; must be thread-safe.
     * @throws NullPointerException when {@code violationHandler} is {@code null}.
     */
    public SystemAllocator(final ViolationHandler violationHandler)
    {
        this.violationHandler = Objects.requireNonNull(violationHandler, "violationHandler");
    }

    /**
     * Where misuse is reported.
     *
     * @return the handler given at construction (or the allocator's own recording one).
     */
    public ViolationHandler violationHandler()
    {
        return violationHandler;
    }

    /**
     * {@inheritDoc}
     *
     * @return a block aligned to {@code alignment} with a {@link SystemBlockDescriptor} header (for
     *         size 0 a unique block not to be accessed), or 0 for libc failure or for invalid
     *         arguments (then reported to the
     *         {@link #violationHandler()}). Throws only if that handler throws.
     */
    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (!validArguments(NULL, size, alignment, scope))
        {
            return NULL;
        }
        return allocateBlock(size, alignment);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also: invalid arguments leave {@code original} live and untouched (even for size 0), return
     * 0 and are reported; a valid alignment other than the block's own, with size above 0, returns 0,
     * leaves the block untouched and reports {@link Violation#REALLOC_DIFFERENT_ALIGNMENT}.
     *
     * @return the resized block, possibly {@code original}, or 0 (see above). Throws only if the
     *         {@link #violationHandler()} throws, after leaving {@code original} untouched.
     */
    @Override
    public long reallocate(
        final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (!validArguments(original, size, alignment, scope))
        {
            return NULL;
        }
        if (original == NULL)
        {
            return size == 0 ? NULL : allocateBlock(size, alignment);
        }
        if (size == 0)
        {
            nfree(SystemBlockDescriptor.rawAddress(original));
            return NULL;
        }

        final int shift = Long.numberOfTrailingZeros(alignment);
        final int originalShift = SystemBlockDescriptor.alignmentShift(original);
        if (shift != originalShift)
        {
            return reportDifferentAlignment(original, size, alignment, scope, originalShift);
        }

        if (alignment <= MALLOC_GUARANTEED_ALIGNMENT)
        {
            // Small alignments were allocated with the block right after the header at the malloc
            // pointer; libc realloc keeps header and contents and may grow in place.
            final long raw = nrealloc(original - HEADER_LENGTH, size + HEADER_LENGTH);
            if (raw == NULL)
            {
                return NULL; // realloc left the original untouched
            }
            final long user = raw + HEADER_LENGTH;
            SystemBlockDescriptor.size(user, size);
            return user;
        }

        final long moved = allocateAligned(size, alignment, shift);
        if (moved == NULL)
        {
            return NULL;
        }
        memCopy(original, moved, Math.min(SystemBlockDescriptor.size(original), size));
        nfree(SystemBlockDescriptor.rawAddress(original));
        return moved;
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code memory} must come from this class (any instance: they share libc). Foreign and
     * already-freed pointers are not detected: libc's behaviour for them is undefined.
     */
    @Override
    public void free(final long memory)
    {
        if (memory != NULL)
        {
            nfree(SystemBlockDescriptor.rawAddress(memory));
        }
    }

    /**
     * What this allocator promises.
     *
     * @return thread-safe, not real-time safe (malloc may lock and make system calls), maximum
     *         alignment {@link #MAX_ALIGNMENT}, unbounded capacity.
     */
    @Override
    public AllocatorTraits traits()
    {
        return TRAITS;
    }

    @Override
    public String toString()
    {
        return "SystemAllocator[libc, maxAlignment=" + MAX_ALIGNMENT + ", " + violationHandler + "]";
    }

    private long allocateBlock(final long size, final long alignment)
    {
        final int shift = Long.numberOfTrailingZeros(alignment);
        if (alignment <= MALLOC_GUARANTEED_ALIGNMENT)
        {
            final long raw = nmalloc(size + HEADER_LENGTH);
            if (raw == NULL)
            {
                return NULL;
            }
            assert Alignment.isAligned(raw, MALLOC_GUARANTEED_ALIGNMENT) : "malloc broke its alignment guarantee";
            final long user = raw + HEADER_LENGTH;
            SystemBlockDescriptor.writeHeader(user, size, HEADER_LENGTH, shift);
            return user;
        }
        return allocateAligned(size, alignment, shift);
    }

    private static long allocateAligned(final long size, final long alignment, final int shift)
    {
        final long raw = nmalloc(size + HEADER_LENGTH + (alignment - 1));
        if (raw == NULL)
        {
            return NULL;
        }
        final long user = Alignment.alignUp(raw + HEADER_LENGTH, alignment);
        // user - raw <= HEADER_LENGTH + MAX_ALIGNMENT - 1 < 2^31: fits the header's int
        SystemBlockDescriptor.writeHeader(user, size, (int)(user - raw), shift);
        return user;
    }

    private boolean validArguments(
        final long address, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (null == scope)
        {
            violationHandler.onViolation(
                Violation.INVALID_ALLOCATION_SCOPE, address, size, null, "scope is null; nothing was done");
            return false;
        }
        if (!Alignment.isPowerOfTwo(alignment) || Long.compareUnsigned(alignment, MAX_ALIGNMENT) > 0)
        {
            reportInvalidAlignment(address, size, alignment, scope);
            return false;
        }
        if (Long.compareUnsigned(size, MAX_SIZE) > 0)
        {
            violationHandler.onViolation(
                Violation.INVALID_SIZE, address, size, scope,
                "size " + Long.toUnsignedString(size) + " exceeds SystemAllocator.MAX_SIZE " + MAX_SIZE +
                "; nothing was done");
            return false;
        }
        return true;
    }

    private void reportInvalidAlignment(
        final long address, final long size, final long alignment, final SystemAllocationScope scope)
    {
        final String detail = Alignment.isPowerOfTwo(alignment) ?
            "alignment " + Long.toUnsignedString(alignment) + " exceeds SystemAllocator.MAX_ALIGNMENT " +
            MAX_ALIGNMENT + "; nothing was done" :
            "alignment " + Long.toUnsignedString(alignment) + " is not a power of two; nothing was done";
        violationHandler.onViolation(Violation.INVALID_ALIGNMENT, address, size, scope, detail);
    }

    private long reportDifferentAlignment(
        final long original,
        final long size,
        final long alignment,
        final SystemAllocationScope scope,
        final int originalShift)
    {
        violationHandler.onViolation(
            Violation.REALLOC_DIFFERENT_ALIGNMENT, original, size, scope,
            "block allocated with alignment " + (1L << originalShift) + ", reallocate passed " + alignment +
            "; the block was left untouched and 0 returned");
        return NULL;
    }
}
