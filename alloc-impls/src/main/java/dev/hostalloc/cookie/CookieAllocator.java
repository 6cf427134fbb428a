package dev.hostalloc.cookie;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static dev.hostalloc.cookie.CookieBlockDescriptor.HEADER_LENGTH;
import static org.lwjgl.system.MemoryUtil.memSet;

/**
 * A decorator that catches mixed, foreign and double frees, buffer underflows and overflows, in the
 * manner of Gallium's {@code u_debug_memory}: each block carries a header with a cookie right before the
 * address handed out and a canary right after its end ({@link CookieBlockDescriptor}). Spec element
 * {@code cookies}.
 *
 * <p>On {@link #free} and {@link #reallocate} it tells apart, and reports to its {@link ViolationHandler}:
 * <ul>
 *   <li>a pointer this instance never returned (from libc, LWJGL's {@code memAlloc}, another
 *       {@code CookieAllocator}, an interior pointer): {@link Violation#FOREIGN_FREE};</li>
 *   <li>a block already freed: {@link Violation#DOUBLE_FREE} / {@link Violation#REALLOC_FREED_PTR};</li>
 *   <li>a damaged header (an underflow or a wild write): {@link Violation#HEADER_CORRUPTED};</li>
 *   <li>a damaged canary: {@link Violation#BUFFER_OVERFLOW}.</li>
 * </ul>
 * A block that fails a check is never passed to the delegate: it is leaked and counted
 * ({@link #leakedBlocks()}, {@link #leakedBytes()}), since freeing it with damaged metadata would corrupt
 * the delegate's heap. A {@link #free} that fails a check retires the block (a later free of it is a
 * double free); a {@link #reallocate} that fails a check returns 0 and leaves the block as it was.
 * Reports name the address, the size and scope when the header can be trusted, the calling Java frame,
 * and, with {@link CookieOptions#captureSites()}, the allocating frame.
 *
 * <p>Two modes ({@link CookieOptions#strict()}):
 * <ul>
 *   <li><b>Header mode</b> (default): the header is read to decide. <em>Risk</em>: the 32 bytes before a
 *       foreign pointer, or before a block already freed, are read; if they are not mapped (a pointer
 *       at the very start of a mapping, or a freed block of a delegate that unmaps or protects freed
 *       memory, such as {@code guard}) the read faults and the JVM dies with SIGSEGV; only pointers that
 *       cannot be user-space addresses (below 64 KiB, or above 2^56) are refused without a read. A
 *       double free is recognised while the delegate has not reused the freed memory. It also cannot
 *       catch two threads freeing one block at the same moment. Adds a few nanoseconds per call, takes no
 *       lock and allocates nothing.</li>
 *   <li><b>Strict mode</b>: a {@link BlockRegistry} of live blocks decides whether a pointer is this
 *       instance's before any byte near it is read, and a {@link RecentlyFreed} memory names foreign
 *       versus freed pointers. Lock-free and allocation-free; a few compare-and-sets per call; at most
 *       {@link CookieOptions#registryCapacity()} live blocks.</li>
 * </ul>
 *
 * <p>hostalloc semantics are kept through the header: every power-of-two alignment up to
 * {@link #maxAlignment()} (the delegate is asked for the same alignment; the header space is rounded up
 * to it), size 0 gives a unique freeable block, a reallocate to size 0 frees and returns 0, a failed
 * reallocate leaves the original intact, a reallocate with a different alignment is
 * {@link Violation#REALLOC_DIFFERENT_ALIGNMENT}. Invalid arguments return 0 and are reported
 * ({@link Violation#INVALID_ALLOCATION_SCOPE}, {@link Violation#INVALID_ALIGNMENT},
 * {@link Violation#INVALID_SIZE}, checked in that order) without reaching the delegate. Every report
 * happens after the call was made harmless, so nothing is thrown into native code unless the handler
 * itself throws ({@code ViolationPolicy.THROW}).
 *
 * <p>Thread-safe if the delegate is. Allocates no Java heap on any call that reports nothing, unless
 * sites are captured.
 */
public final class CookieAllocator implements AllocationCallbacks
{
    /**
     * The largest size accepted: leaves 4 GiB of headroom, so neither this layer's overhead nor any
     * delegate's (header plus alignment padding, at most 1 GiB + a few pages) can overflow a
     * {@code long}. Larger sizes, negative ones included, are {@link Violation#INVALID_SIZE}.
     */
    public static final long MAX_SIZE = Long.MAX_VALUE - (1L << 32);

    /** The largest alignment this layer supports; {@link #maxAlignment()} is also bounded by the delegate's. */
    public static final long MAX_ALIGNMENT = 1L << 30;

    /** What freed blocks are filled with when poisoning is on. */
    public static final byte POISON_BYTE = (byte)0xDD;

    private static final long NULL = 0L;
    private static final int NO_DAMAGE = -1;
    /** Linux never maps below {@code vm.mmap_min_addr} (64 KiB by default), so no block starts there. */
    private static final long MIN_USER_ADDRESS = 64 * 1024;
    /** The end of user space with 5-level paging (x86-64 LA57; AArch64 uses at most 52 bits). */
    private static final long MAX_USER_ADDRESS = 1L << 56;
    private static final AtomicLong INSTANCES = new AtomicLong(ThreadLocalRandom.current().nextLong());

    private final AllocationCallbacks delegate;
    private final ViolationHandler violationHandler;
    private final CookieOptions options;
    private final long salt;
    private final long maxAlignment;
    private final int canaryLength;
    private final boolean strict;
    private final boolean poison;
    private final BlockRegistry registry;
    private final RecentlyFreed recentlyFreed;
    private final AllocationSites sites;
    private final AllocatorTraits traits;
    private final AtomicLong leakedBlocks = new AtomicLong();
    private final AtomicLong leakedBytes = new AtomicLong();
    private final AtomicLong registryFullFailures = new AtomicLong();

    /**
     * Wraps {@code delegate} with {@link CookieOptions#DEFAULT}, reporting to a new
     * {@link dev.hostalloc.api.RecordingViolationHandler}.
     *
     * @param delegate the allocator the blocks come from.
     * @throws NullPointerException when {@code delegate} is {@code null}.
     */
    public CookieAllocator(final AllocationCallbacks delegate)
    {
        this(delegate, ViolationHandler.recordAndCount(), CookieOptions.DEFAULT);
    }

    /**
     * Wraps {@code delegate}.
     *
     * @param delegate         the allocator the blocks come from.
     * @param violationHandler where misuse is reported; must be thread-safe.
     * @param options          the checks to make.
     * @throws NullPointerException when any argument is {@code null}.
     */
    public CookieAllocator(
        final AllocationCallbacks delegate, final ViolationHandler violationHandler, final CookieOptions options)
    {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.violationHandler = Objects.requireNonNull(violationHandler, "violationHandler");
        this.options = Objects.requireNonNull(options, "options");
        this.salt = mix(INSTANCES.incrementAndGet());
        this.canaryLength = options.canaryLength();
        this.strict = options.strict();
        this.poison = options.poison();
        this.registry = strict ? new BlockRegistry(options.registryCapacity(), 0) : null;
        this.recentlyFreed = strict ? new RecentlyFreed(RecentlyFreed.DEFAULT_SLOTS, options.captureSites()) : null;
        this.sites = options.captureSites() ? new AllocationSites() : null;
        final AllocatorTraits delegateTraits = delegate.traits();
        this.maxAlignment = Math.min(MAX_ALIGNMENT, delegateTraits.maxAlignment());
        this.traits = delegateTraits
            .withMaxAlignment(maxAlignment)
            .withRealtimeSafe(delegateTraits.realtimeSafe() && !options.captureSites());
    }

    /**
     * The allocator wrapped.
     *
     * @return the delegate.
     */
    public AllocationCallbacks delegate()
    {
        return delegate;
    }

    /**
     * Where misuse is reported.
     *
     * @return the handler.
     */
    public ViolationHandler violationHandler()
    {
        return violationHandler;
    }

    /**
     * The checks this instance makes.
     *
     * @return the options given at construction.
     */
    public CookieOptions options()
    {
        return options;
    }

    /**
     * The largest alignment honoured.
     *
     * @return {@code min(MAX_ALIGNMENT, delegate's maxAlignment)}.
     */
    public long maxAlignment()
    {
        return maxAlignment;
    }

    /**
     * Blocks that failed a check and were therefore never given back to the delegate.
     *
     * @return the count.
     */
    public long leakedBlocks()
    {
        return leakedBlocks.get();
    }

    /**
     * Bytes of delegate memory held by {@link #leakedBlocks()} (as far as their headers could be trusted).
     *
     * @return the total.
     */
    public long leakedBytes()
    {
        return leakedBytes.get();
    }

    /**
     * Allocations refused because strict mode's registry was full.
     *
     * @return the count; always 0 in header mode.
     */
    public long registryFullFailures()
    {
        return registryFullFailures.get();
    }

    /**
     * The allocation sites captured, when {@link CookieOptions#captureSites()} is on.
     *
     * @return the table, or {@code null} when sites are not captured.
     */
    public AllocationSites sites()
    {
        return sites;
    }

    /**
     * {@inheritDoc}
     *
     * @return a block with a cookie header and canary, aligned to {@code alignment}; 0 when the delegate
     *         fails, strict mode's registry is full, or the arguments are invalid (then reported).
     */
    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (!validArguments(NULL, size, alignment, scope))
        {
            return NULL;
        }
        return allocateValid(size, alignment, scope);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also: a pointer that is foreign, freed or damaged is reported and 0 returned, with the block (if
     * any) left as it was; a valid alignment other than the block's own (size above 0) is
     * {@link Violation#REALLOC_DIFFERENT_ALIGNMENT}; invalid arguments are reported before the pointer is
     * looked at.
     *
     * @return the resized block, or 0.
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
            return size == 0 ? NULL : allocateValid(size, alignment, scope);
        }
        final boolean strict = this.strict;
        if (strict ? !claim(original, Call.REALLOCATE) : !plausible(original, Call.REALLOCATE))
        {
            return NULL;
        }
        final long salt = this.salt;
        final long tag = CookieBlockDescriptor.tag(original);
        if (tag != CookieBlockDescriptor.liveTag(salt, original))
        {
            return rejectUntagged(original, tag, Call.REALLOCATE);
        }
        final long oldSize = CookieBlockDescriptor.size(original);
        final long offsetSite = CookieBlockDescriptor.offsetSite(original);
        final int shiftScope = CookieBlockDescriptor.shiftScope(original);
        if (!intactHeader(original, tag, oldSize, offsetSite, shiftScope))
        {
            return rejectDamagedHeader(original, Call.REALLOCATE);
        }
        final int canaryLength = this.canaryLength;
        final int damage = CookieBlockDescriptor.damagedCanaryOffset(
            original, oldSize, canaryLength, CookieBlockDescriptor.canaryWord(tag));
        if (damage != NO_DAMAGE)
        {
            return rejectOverflow(original, oldSize, offsetSite, shiftScope, damage, Call.REALLOCATE);
        }
        if (size == 0)
        {
            release(original, oldSize, offsetSite);
            return NULL;
        }
        final int shift = Long.numberOfTrailingZeros(alignment);
        if (shift != CookieBlockDescriptor.alignmentShiftOf(shiftScope))
        {
            return rejectDifferentAlignment(original, size, alignment, scope, shiftScope);
        }

        final int space = CookieBlockDescriptor.delegateOffsetOf(offsetSite);
        final int site = null == sites ? AllocationSites.NO_SITE : sites.capture();
        // Mark the old block freed first: if the delegate moves it, the old address is then stale.
        CookieBlockDescriptor.writeFreed(original, CookieBlockDescriptor.freedTag(salt, original), site);
        final long moved;
        try
        {
            moved = delegate.reallocate(original - space, space + size + canaryLength, alignment, scope);
        }
        catch (final RuntimeException | Error ex)
        {
            // A delegate whose handler throws (ViolationPolicy.THROW) left the original intact, as on failure.
            unmark(original, tag, oldSize, offsetSite, shiftScope);
            throw ex;
        }
        if (moved == NULL)
        {
            unmark(original, tag, oldSize, offsetSite, shiftScope);
            return NULL;
        }
        final long user = moved + space;
        stamp(user, size, space, shift, scope.value(), site);
        if (strict)
        {
            if (user != original)
            {
                recentlyFreed.add(original, AllocationSites.pair(CookieBlockDescriptor.siteOf(offsetSite), site));
            }
            registry.insert(user, 0, 0);
        }
        return user;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A foreign, freed or damaged pointer is reported and nothing is given to the delegate.
     */
    @Override
    public void free(final long memory)
    {
        if (memory == NULL)
        {
            return;
        }
        if (strict ? !claim(memory, Call.FREE) : !plausible(memory, Call.FREE))
        {
            return;
        }
        final long tag = CookieBlockDescriptor.tag(memory);
        if (tag != CookieBlockDescriptor.liveTag(salt, memory))
        {
            rejectUntagged(memory, tag, Call.FREE);
            return;
        }
        final long size = CookieBlockDescriptor.size(memory);
        final long offsetSite = CookieBlockDescriptor.offsetSite(memory);
        final int shiftScope = CookieBlockDescriptor.shiftScope(memory);
        if (!intactHeader(memory, tag, size, offsetSite, shiftScope))
        {
            rejectDamagedHeader(memory, Call.FREE);
            return;
        }
        final int damage = CookieBlockDescriptor.damagedCanaryOffset(
            memory, size, canaryLength, CookieBlockDescriptor.canaryWord(tag));
        if (damage != NO_DAMAGE)
        {
            rejectOverflow(memory, size, offsetSite, shiftScope, damage, Call.FREE);
            return;
        }
        release(memory, size, offsetSite);
    }

    /**
     * Forwards the notification to the delegate; the cookies check nothing here.
     *
     * @param size  bytes the implementation allocated itself.
     * @param type  the kind of memory.
     * @param scope how long it lives.
     */
    @Override
    public void internalAllocationNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        delegate.internalAllocationNotification(size, type, scope);
    }

    /**
     * Forwards the notification to the delegate.
     *
     * @param size  bytes the implementation freed.
     * @param type  the kind of memory.
     * @param scope how long it lived.
     */
    @Override
    public void internalFreeNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        delegate.internalFreeNotification(size, type, scope);
    }

    /**
     * What this decorator promises.
     *
     * @return the delegate's traits, with the maximum alignment bounded by {@link #MAX_ALIGNMENT} and not
     *         real-time safe when sites are captured.
     */
    @Override
    public AllocatorTraits traits()
    {
        return traits;
    }

    /**
     * A bounded view of a live block, for Java code: reading or writing past its end throws
     * {@link IndexOutOfBoundsException} instead of damaging the canary.
     *
     * <p>In header mode the header is read to find the size (see the class comment for the risk).
     *
     * @param memory a live block of this allocator.
     * @return a segment of exactly the block's size, not tied to any arena; it must not be used after the
     *         block is freed.
     * @throws IllegalArgumentException when {@code memory} is not a live, intact block of this instance.
     */
    public MemorySegment view(final long memory)
    {
        if (!isUserAddress(memory) || (strict && !registry.contains(memory)))
        {
            throw new IllegalArgumentException("0x" + Long.toHexString(memory) + " is not a live block of " + this);
        }
        final long tag = CookieBlockDescriptor.tag(memory);
        final long size = CookieBlockDescriptor.size(memory);
        if (tag != CookieBlockDescriptor.liveTag(salt, memory) || !intactHeader(memory, tag, size,
            CookieBlockDescriptor.offsetSite(memory), CookieBlockDescriptor.shiftScope(memory)))
        {
            throw new IllegalArgumentException("0x" + Long.toHexString(memory) + " is not a live, intact block of " + this);
        }
        return MemorySegment.ofAddress(memory).reinterpret(size);
    }

    @Override
    public String toString()
    {
        return "CookieAllocator[" + (strict ? "strict" : "header") + " mode, canary " + canaryLength +
            (poison ? ", poison" : "") + (null != sites ? ", sites" : "") + ", over " + delegate + "]";
    }

    private long allocateValid(final long size, final long alignment, final SystemAllocationScope scope)
    {
        final boolean strict = this.strict;
        if (strict && !registry.tryReserve())
        {
            registryFullFailures.incrementAndGet();
            return NULL;
        }
        final int space = (int)CookieBlockDescriptor.headerSpace(alignment);
        final long block;
        try
        {
            block = delegate.allocate(space + size + canaryLength, alignment, scope);
        }
        catch (final RuntimeException | Error ex)
        {
            if (strict)
            {
                registry.unreserve();
            }
            throw ex;
        }
        if (block == NULL)
        {
            if (strict)
            {
                registry.unreserve();
            }
            return NULL;
        }
        final long user = block + space;
        final int site = null == sites ? AllocationSites.NO_SITE : sites.capture();
        stamp(user, size, space, Long.numberOfTrailingZeros(alignment), scope.value(), site);
        if (strict)
        {
            registry.insert(user, 0, 0);
        }
        return user;
    }

    /** Undoes the freed mark of a block whose reallocate failed in the delegate: it is live again. */
    private void unmark(
        final long user, final long tag, final long size, final long offsetSite, final int shiftScope)
    {
        CookieBlockDescriptor.writeHeader(user, tag, size, offsetSite, shiftScope);
        if (strict)
        {
            registry.insert(user, 0, 0);
        }
    }

    private void stamp(final long user, final long size, final int space, final int shift, final int scope, final int site)
    {
        final long tag = CookieBlockDescriptor.liveTag(salt, user);
        CookieBlockDescriptor.writeHeader(
            user, tag, size, CookieBlockDescriptor.offsetSite(space, site), CookieBlockDescriptor.shiftScope(shift, scope));
        CookieBlockDescriptor.writeCanary(user, size, canaryLength, CookieBlockDescriptor.canaryWord(tag));
    }

    /** Gives an intact, claimed block back to the delegate. */
    private void release(final long user, final long size, final long offsetSite)
    {
        if (poison)
        {
            memSet(user, POISON_BYTE, size);
        }
        final int freeSite = null == sites ? AllocationSites.NO_SITE : sites.capture();
        CookieBlockDescriptor.writeFreed(user, CookieBlockDescriptor.freedTag(salt, user), freeSite);
        if (strict)
        {
            recentlyFreed.add(user, AllocationSites.pair(CookieBlockDescriptor.siteOf(offsetSite), freeSite));
            registry.unreserve();
        }
        delegate.free(user - CookieBlockDescriptor.delegateOffsetOf(offsetSite));
    }

    private boolean intactHeader(
        final long user, final long tag, final long size, final long offsetSite, final int shiftScope)
    {
        // The check word covers every field; the range check keeps a (2^-32) collision from freeing at a
        // wild offset.
        return CookieBlockDescriptor.checkWord(user) == CookieBlockDescriptor.check(tag, size, offsetSite, shiftScope) &&
            Integer.compareUnsigned(CookieBlockDescriptor.delegateOffsetOf(offsetSite) - HEADER_LENGTH,
                (int)MAX_ALIGNMENT) <= 0;
    }

    /**
     * Strict mode: takes a block out of the registry before anything is read, or reports why it cannot.
     *
     * @return {@code true} when this call now owns the block.
     */
    private boolean claim(final long user, final Call call)
    {
        final BlockRegistry registry = this.registry;
        final int index = registry.indexOf(user);
        if (index == BlockRegistry.NOT_FOUND)
        {
            final boolean freed = recentlyFreed.contains(user);
            final long pair = recentlyFreed.sites(user);
            report(freed ? call.freedKind : Violation.FOREIGN_FREE, user, 0, null, call.verb + " of 0x" +
                Long.toHexString(user) + (freed ?
                ": a block this allocator already freed (or, if it was reused since, by another allocator)" :
                ": not a live block of this allocator (from libc, another allocator or instance, or an " +
                    "interior pointer)") + "; strict mode: no byte near it was read; nothing was " +
                call.pastParticiple + (null == sites || !freed ? "" :
                sites.detail(AllocationSites.allocationSiteOf(pair), AllocationSites.freeSiteOf(pair))));
            return false;
        }
        if (!registry.remove(index, user))
        {
            report(call.freedKind, user, 0, null, call.verb + " of 0x" + Long.toHexString(user) +
                ": another thread freed it at the same moment; nothing was " + call.pastParticiple);
            return false;
        }
        return true;
    }

    /**
     * Header mode: refuses, without reading anything, a pointer whose header could not be in user space
     * (a small integer, a kernel or non-canonical address), where the read would surely fault.
     *
     * @return {@code true} when the header may be read.
     */
    private boolean plausible(final long user, final Call call)
    {
        if (isUserAddress(user))
        {
            return true;
        }
        report(Violation.FOREIGN_FREE, user, 0, null, call.verb + " of 0x" + Long.toHexString(user) +
            ": not a user-space address, so no allocator returned it; nothing was read and nothing " +
            call.pastParticiple);
        return false;
    }

    private static boolean isUserAddress(final long user)
    {
        return user >= MIN_USER_ADDRESS && user < MAX_USER_ADDRESS;
    }

    /** Gives a block claimed in strict mode back to the registry (a failed check on reallocate). */
    private void unclaim(final long user, final Call call)
    {
        if (strict && call == Call.REALLOCATE)
        {
            registry.insert(user, 0, 0);
        }
    }

    private long rejectUntagged(final long user, final long tag, final Call call)
    {
        final long salt = this.salt;
        final long live = CookieBlockDescriptor.liveTag(salt, user);
        final long freed = CookieBlockDescriptor.freedTag(salt, user);
        if (strict)
        {
            // The registry says it is live, so the tag was overwritten.
            return rejectDamagedHeader(user, call);
        }
        if (tag == freed || CookieBlockDescriptor.checkWord(user) == (int)freed)
        {
            report(call.freedKind, user, 0, null, call.verb + " of 0x" + Long.toHexString(user) +
                ": its header says this allocator already freed it; nothing was " + call.pastParticiple +
                (null == sites ? "" : sites.detail(CookieBlockDescriptor.siteOf(CookieBlockDescriptor.offsetSite(user)),
                    (int)CookieBlockDescriptor.size(user))));
            return NULL;
        }
        final boolean partlyOurs = (int)tag == (int)live || (tag >>> Integer.SIZE) == (live >>> Integer.SIZE) ||
            CookieBlockDescriptor.checkWord(user) == CookieBlockDescriptor.check(live,
                CookieBlockDescriptor.size(user), CookieBlockDescriptor.offsetSite(user),
                CookieBlockDescriptor.shiftScope(user));
        if (partlyOurs)
        {
            return rejectDamagedHeader(user, call);
        }
        report(Violation.FOREIGN_FREE, user, 0, null, call.verb + " of 0x" + Long.toHexString(user) +
            ": the " + HEADER_LENGTH + " bytes before it carry no cookie of this allocator (a pointer from libc, " +
            "another allocator or instance, or an interior pointer); nothing was " + call.pastParticiple);
        return NULL;
    }

    private long rejectDamagedHeader(final long user, final Call call)
    {
        final long size = CookieBlockDescriptor.size(user);
        final long offsetSite = CookieBlockDescriptor.offsetSite(user);
        final int shiftScope = CookieBlockDescriptor.shiftScope(user);
        final String fields = "header fields now read: tag 0x" + Long.toHexString(CookieBlockDescriptor.tag(user)) +
            ", size " + Long.toUnsignedString(size) + ", offset " + CookieBlockDescriptor.delegateOffsetOf(offsetSite) +
            ", alignment shift " + CookieBlockDescriptor.alignmentShiftOf(shiftScope) +
            ", scope " + CookieBlockDescriptor.scopeValueOf(shiftScope) +
            ", check 0x" + Integer.toHexString(CookieBlockDescriptor.checkWord(user));
        final String fate = retire(user, Long.compareUnsigned(size, MAX_SIZE) <= 0 ? size : 0, call);
        report(Violation.HEADER_CORRUPTED, user, 0, null, call.verb + " of 0x" + Long.toHexString(user) +
            ": the " + HEADER_LENGTH + " bytes before the block were overwritten (an underflow or a wild write); " +
            fields + "; " + fate);
        return NULL;
    }

    private long rejectOverflow(
        final long user, final long size, final long offsetSite, final int shiftScope, final int damage, final Call call)
    {
        final String fate = retire(user, size, call);
        report(Violation.BUFFER_OVERFLOW, user, size,
            SystemAllocationScope.fromValueOrNull(CookieBlockDescriptor.scopeValueOf(shiftScope)),
            call.verb + " of 0x" + Long.toHexString(user) + ": the canary " + damage + ".." + (damage + Long.BYTES - 1) +
                " bytes past the block's end was overwritten; " + fate +
                siteDetail(CookieBlockDescriptor.siteOf(offsetSite)));
        return NULL;
    }

    /**
     * After a failed check: a free retires the block (leaked, counted, a later free is a double free);
     * a reallocate leaves it as it was.
     *
     * @return what happened, for the report.
     */
    private String retire(final long user, final long size, final Call call)
    {
        if (call == Call.REALLOCATE)
        {
            unclaim(user, call);
            return "reallocate returned 0 and left the block as it was";
        }
        final int freeSite = null == sites ? AllocationSites.NO_SITE : sites.capture();
        CookieBlockDescriptor.writeFreed(user, CookieBlockDescriptor.freedTag(salt, user), freeSite);
        if (strict)
        {
            recentlyFreed.add(user, AllocationSites.pair(AllocationSites.NO_SITE, freeSite));
            registry.unreserve();
        }
        leakedBlocks.incrementAndGet();
        leakedBytes.addAndGet(size);
        return "the block was leaked, not given back to the delegate";
    }

    private long rejectDifferentAlignment(
        final long user, final long size, final long alignment, final SystemAllocationScope scope, final int shiftScope)
    {
        unclaim(user, Call.REALLOCATE);
        report(Violation.REALLOC_DIFFERENT_ALIGNMENT, user, size, scope,
            "block allocated with alignment " + (1L << CookieBlockDescriptor.alignmentShiftOf(shiftScope)) +
            ", reallocate passed " + alignment + "; the block was left untouched and 0 returned");
        return NULL;
    }

    private boolean validArguments(
        final long address, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (null == scope)
        {
            report(Violation.INVALID_ALLOCATION_SCOPE, address, size, null, "scope is null; nothing was done");
            return false;
        }
        if (!Alignment.isPowerOfTwo(alignment) || Long.compareUnsigned(alignment, maxAlignment) > 0)
        {
            report(Violation.INVALID_ALIGNMENT, address, size, scope, "alignment " + Long.toUnsignedString(alignment) +
                (Alignment.isPowerOfTwo(alignment) ? " exceeds this allocator's maximum " + maxAlignment :
                    " is not a power of two") + "; nothing was done");
            return false;
        }
        if (Long.compareUnsigned(size, MAX_SIZE) > 0)
        {
            report(Violation.INVALID_SIZE, address, size, scope, "size " + Long.toUnsignedString(size) +
                " exceeds CookieAllocator.MAX_SIZE " + MAX_SIZE + "; nothing was done");
            return false;
        }
        return true;
    }

    private String siteDetail(final int site)
    {
        return null == sites ? "" : sites.detail(site, AllocationSites.NO_SITE);
    }

    private void report(
        final Violation violation, final long address, final long size, final SystemAllocationScope scope,
        final String detail)
    {
        final String caller = AllocationSites.callerFrame();
        violationHandler.onViolation(violation, address, size, scope,
            null == caller ? detail : detail + "; called from " + caller);
    }

    private static long mix(final long seed)
    {
        // SplitMix64's finaliser: instance ids that differ in one bit give salts that differ in about half.
        long z = seed * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Which call found the problem: decides the violation kinds and the words of the report. */
    private enum Call
    {
        FREE(Violation.DOUBLE_FREE, "free", "freed"),
        REALLOCATE(Violation.REALLOC_FREED_PTR, "reallocate", "freed or moved");

        final Violation freedKind;
        final String verb;
        final String pastParticiple;

        Call(final Violation freedKind, final String verb, final String pastParticiple)
        {
            this.freedKind = freedKind;
            this.verb = verb;
            this.pastParticiple = pastParticiple;
        }
    }
}
