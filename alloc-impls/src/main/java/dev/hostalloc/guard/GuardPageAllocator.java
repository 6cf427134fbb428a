package dev.hostalloc.guard;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.cookie.AllocationSites;
import dev.hostalloc.cookie.BlockRegistry;
import dev.hostalloc.cookie.PageGuarded;
import dev.hostalloc.cookie.RecentlyFreed;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.hostalloc.guard.GuardBlockDescriptor.BUSY;
import static dev.hostalloc.guard.GuardBlockDescriptor.LIVE;
import static dev.hostalloc.guard.GuardBlockDescriptor.QUARANTINED;
import static org.lwjgl.system.MemoryUtil.memCopy;
import static org.lwjgl.system.MemoryUtil.memGetByte;

/**
 * A base allocator that puts every block in its own anonymous mapping against an inaccessible
 * ({@code PROT_NONE}) page, as Electric Fence, DUMA and Windows PageHeap do: an overflow (or, in
 * {@link GuardMode#UNDERFLOW} mode, an underflow) faults at its first byte, and the JVM dies with
 * SIGSEGV and an {@code hs_err} file whose fault address is in the guard page. Spec elements
 * {@code guard}, {@code guard:below}, {@code guard:quarantine=64m}. Layout: {@link GuardBlockDescriptor}.
 *
 * <ul>
 *   <li><b>Slack.</b> When the size is not a multiple of the alignment the block cannot end flush
 *       against the page (DUMA's conflict); the gap, and the unused part of the data pages on the other
 *       side of the block, are filled with {@link GuardBlockDescriptor#SLACK_FILL} and checked when the
 *       block is freed or reallocated: damage after the block is {@link Violation#BUFFER_OVERFLOW},
 *       before it {@link Violation#BUFFER_UNDERFLOW}. On free the block is still freed (its metadata is
 *       not in the mapping, so nothing else can be hurt); on reallocate 0 is returned and the block left
 *       as it was.</li>
 *   <li><b>Carved address space.</b> Blocks whose mapping is at most
 *       {@link AddressSpaceCarver#MAX_CARVED_BYTES} and whose alignment is at most a page are carved one
 *       after another from 64 MiB {@code PROT_NONE} reservations ({@link AddressSpaceCarver}): the guard
 *       page is already inaccessible, so an allocation is one {@code mprotect} of its data pages. A range
 *       is never carved twice and a reservation's unused tail is unmapped when the next one starts, so the
 *       address space held is the same as with one {@code mmap} per block, plus at most one reservation's
 *       uncarved rest (address space only; {@link #drainQuarantine()} gives it back). Larger or more
 *       aligned blocks get their own {@code mmap}.</li>
 *   <li><b>Quarantine.</b> A freed block's data pages are made {@code PROT_NONE} in place (one
 *       {@code mprotect}; the guard page already is, so neighbouring quarantined ranges merge into one
 *       kernel mapping) and the block joins a FIFO quarantine with a byte budget
 *       ({@link GuardOptions#quarantineBytes()}), so a use after free faults. The pages stay mapped: the
 *       memory of a quarantined block is held until it is evicted, at most the budget in all (guard pages
 *       and untouched pages included, so in practice less). Past the budget, or past
 *       {@link #MAX_QUARANTINED_BLOCKS} blocks, the oldest are unmapped. From a budget of
 *       {@link #BATCHED_EVICTION_BUDGET} on (the default 64 MiB included) eviction works in batches: the
 *       quarantine is brought down to 15/16 of its budget at once and neighbouring ranges go in one
 *       {@code munmap}, so the quarantine holds between 15/16 of its budget and its budget, and the
 *       eviction's system call is shared by many blocks.</li>
 *   <li><b>Identification without reading.</b> Live and quarantined blocks are kept in a lock-free
 *       {@link BlockRegistry}, so a foreign pointer is {@link Violation#FOREIGN_FREE} and a freed one
 *       {@link Violation#DOUBLE_FREE} / {@link Violation#REALLOC_FREED_PTR} without touching memory near
 *       it (a block unmapped from the quarantine is still named freed while {@link RecentlyFreed}
 *       remembers it).</li>
 *   <li><b>Vulkan semantics.</b> Every power-of-two alignment up to {@link #MAX_ALIGNMENT}; size 0 gives a
 *       unique freeable block with no accessible byte; reallocate maps a new block, copies
 *       {@code min(old, new)} bytes and quarantines the old one; a failure returns 0 and leaves the
 *       original intact; invalid arguments return 0 and are reported
 *       ({@link Violation#INVALID_ALLOCATION_SCOPE}, {@link Violation#INVALID_ALIGNMENT},
 *       {@link Violation#INVALID_SIZE}, in that order); reports come after the call was made harmless.</li>
 * </ul>
 *
 * <p>Costs: one system call per carved allocation ({@code mprotect}; two for the others: {@code mmap},
 * {@code mprotect}), one per free without a quarantine ({@code munmap}) and one with one ({@code mprotect}
 * into the quarantine) plus a share of a batched eviction's {@code munmap}, at least two pages of
 * address space per block, one page of memory per touched live block and, with a quarantine, the touched
 * pages of quarantined blocks until they are evicted (bounded by the budget). Every live block needs two
 * kernel mappings (VMAs); Linux's {@code vm.max_map_count} (65,530 by default) therefore caps live blocks
 * at roughly 32,000, beyond which allocations return 0. Linux only ({@link Pages}).
 *
 * <p>Thread-safe without locks; allocates no Java heap on any call that reports nothing, unless sites
 * are captured. Not real-time safe (system calls).
 */
public final class GuardPageAllocator implements PageGuarded
{
    /** The largest alignment honoured: 1 GiB (larger alignments over-reserve address space). */
    public static final long MAX_ALIGNMENT = 1L << 30;

    /**
     * The largest size accepted: {@code Long.MAX_VALUE} less 2 GiB, so size plus alignment, padding and the
     * guard page never overflows. Larger sizes, negative ones included, are {@link Violation#INVALID_SIZE};
     * sizes up to it that cannot be mapped return 0.
     */
    public static final long MAX_SIZE = Long.MAX_VALUE - (1L << 31);

    /** The most blocks (live plus quarantined) one instance tracks; beyond it allocations return 0. */
    public static final int MAX_BLOCKS = 1 << 16;

    /** The most blocks the quarantine holds whatever its byte budget (each is a kernel mapping). */
    public static final int MAX_QUARANTINED_BLOCKS = 1 << 14;

    /**
     * The smallest quarantine budget evicted in batches: from it on, once the quarantine exceeds its budget
     * it is brought down to {@code budget - budget / }{@link #EVICTION_BATCHES} at once (so the budget's
     * last sixteenth is a hysteresis and one {@code munmap} returns many neighbouring blocks); smaller
     * budgets are kept exactly, oldest block first, one at a time.
     */
    public static final long BATCHED_EVICTION_BUDGET = 16L << 20;

    /** How many batches a budget of at least {@link #BATCHED_EVICTION_BUDGET} is evicted in. */
    public static final int EVICTION_BATCHES = 16;

    private static final long NULL = 0L;
    private static final int ENTRY_VALUES = 2;
    private static final AllocatorTraits TRAITS =
        new AllocatorTraits(true, false, MAX_ALIGNMENT, AllocatorTraits.UNBOUNDED_CAPACITY);

    private final ViolationHandler violationHandler;
    private final GuardOptions options;
    private final GuardMode mode;
    private final long pageSize;
    private final long quarantineBudget;
    private final BlockRegistry registry = new BlockRegistry(MAX_BLOCKS, ENTRY_VALUES);
    private final RecentlyFreed recentlyFreed;
    private final QuarantineQueue quarantine = new QuarantineQueue(MAX_QUARANTINED_BLOCKS);
    private final AtomicLong quarantinedBytes = new AtomicLong();
    private final AtomicInteger quarantinedBlocks = new AtomicInteger();
    private final AllocationSites sites;
    private final AddressSpaceCarver carver = new AddressSpaceCarver();
    private final long evictionSlack;

    /**
     * Creates an allocator with {@link GuardOptions#DEFAULT}, reporting to a new
     * {@link dev.hostalloc.api.RecordingViolationHandler}.
     *
     * @throws UnsupportedOperationException when guard pages are unavailable ({@link Pages#supported()}).
     */
    public GuardPageAllocator()
    {
        this(ViolationHandler.recordAndCount(), GuardOptions.DEFAULT);
    }

    /**
     * Creates an allocator.
     *
     * @param violationHandler where misuse is reported; must be thread-safe.
     * @param options          placement, quarantine and site capture.
     * @throws NullPointerException          when an argument is {@code null}.
     * @throws UnsupportedOperationException when guard pages are unavailable ({@link Pages#supported()}).
     */
    public GuardPageAllocator(final ViolationHandler violationHandler, final GuardOptions options)
    {
        this.violationHandler = Objects.requireNonNull(violationHandler, "violationHandler");
        this.options = Objects.requireNonNull(options, "options");
        this.pageSize = Pages.pageSize();
        this.mode = options.mode();
        this.quarantineBudget = options.quarantineBytes();
        this.evictionSlack = quarantineBudget >= BATCHED_EVICTION_BUDGET ? quarantineBudget / EVICTION_BATCHES : 0;
        this.sites = options.captureSites() ? new AllocationSites() : null;
        this.recentlyFreed = new RecentlyFreed(RecentlyFreed.DEFAULT_SLOTS, options.captureSites());
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
     * The options given at construction.
     *
     * @return the options.
     */
    public GuardOptions options()
    {
        return options;
    }

    /**
     * The page size used, from the OS.
     *
     * @return e.g. 4096.
     */
    public long pageSize()
    {
        return pageSize;
    }

    /**
     * Blocks allocated and not yet freed (a snapshot: exact when no call is in progress).
     *
     * @return the count.
     */
    public int liveBlocks()
    {
        return registry.reservedCount() - quarantinedBlocks.get();
    }

    /**
     * Freed blocks still mapped {@code PROT_NONE} in the quarantine (a snapshot).
     *
     * @return the count.
     */
    public int quarantinedBlocks()
    {
        return quarantinedBlocks.get();
    }

    /**
     * Bytes of mappings held in the quarantine.
     *
     * @return the total, guard pages included.
     */
    public long quarantinedBytes()
    {
        return quarantinedBytes.get();
    }

    /**
     * {@inheritDoc}
     *
     * @return a block in its own mapping against a guard page, or 0 when the kernel refuses the mapping,
     *         {@link #MAX_BLOCKS} are tracked, or the arguments are invalid (then reported).
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
     * <p>Also: a foreign pointer is {@link Violation#FOREIGN_FREE}, a freed one
     * {@link Violation#REALLOC_FREED_PTR}, damaged fill {@link Violation#BUFFER_OVERFLOW} or
     * {@link Violation#BUFFER_UNDERFLOW}, another alignment {@link Violation#REALLOC_DIFFERENT_ALIGNMENT}:
     * each returns 0 and leaves the block as it was.
     *
     * @return a new block holding the first {@code min(old, size)} bytes, or 0.
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
        final BlockRegistry registry = this.registry;
        final int index = registry.indexOf(original);
        if (index == BlockRegistry.NOT_FOUND)
        {
            return reportUnknown(original, Violation.REALLOC_FREED_PTR, "reallocate");
        }
        final long entry = registry.value0(index);
        if (GuardBlockDescriptor.state(entry) != LIVE)
        {
            return reportFreed(original, entry, Violation.REALLOC_FREED_PTR, "reallocate");
        }
        if (size == 0)
        {
            free(original, index, entry, Violation.REALLOC_FREED_PTR, "reallocate");
            return NULL;
        }
        final int shift = Long.numberOfTrailingZeros(alignment);
        if (shift != GuardBlockDescriptor.alignmentShift(entry))
        {
            violationHandler.onViolation(Violation.REALLOC_DIFFERENT_ALIGNMENT, original, size, scope,
                "block allocated with alignment " + (1L << GuardBlockDescriptor.alignmentShift(entry)) +
                ", reallocate passed " + alignment + "; the block was left untouched and 0 returned" + caller());
            return NULL;
        }
        final long busy = GuardBlockDescriptor.withState(entry, BUSY);
        if (!registry.compareAndSetValue0(index, entry, busy))
        {
            return reportFreed(original, registry.value0(index), Violation.REALLOC_FREED_PTR, "reallocate");
        }
        final long oldSize = GuardBlockDescriptor.size(entry);
        if (!intactFills(original, oldSize, alignment))
        {
            registry.compareAndSetValue0(index, busy, entry);
            reportDamagedFill(original, entry, registry.value1(index), "reallocate",
                "reallocate returned 0 and left the block as it was");
            return NULL;
        }
        final long moved = allocateValid(size, alignment, scope);
        if (moved == NULL)
        {
            registry.compareAndSetValue0(index, busy, entry);
            return NULL;
        }
        memCopy(original, moved, Math.min(oldSize, size));
        retire(original, index, busy);
        return moved;
    }

    /**
     * {@inheritDoc}
     *
     * <p>A foreign or freed pointer is reported and nothing is done. Damaged fill is reported after the
     * block was freed.
     */
    @Override
    public void free(final long memory)
    {
        if (memory == NULL)
        {
            return;
        }
        final int index = registry.indexOf(memory);
        if (index == BlockRegistry.NOT_FOUND)
        {
            reportUnknown(memory, Violation.DOUBLE_FREE, "free");
            return;
        }
        final long entry = registry.value0(index);
        if (GuardBlockDescriptor.state(entry) != LIVE)
        {
            reportFreed(memory, entry, Violation.DOUBLE_FREE, "free");
            return;
        }
        free(memory, index, entry, Violation.DOUBLE_FREE, "free");
    }

    /**
     * Whether block ends sit against the guard page.
     *
     * @return {@code true} in {@link GuardMode#OVERFLOW} mode.
     */
    @Override
    public boolean blockEndsAtGuardPage()
    {
        return mode == GuardMode.OVERFLOW;
    }

    /**
     * What this allocator promises.
     *
     * @return thread-safe, not real-time safe (system calls), maximum alignment {@link #MAX_ALIGNMENT},
     *         unbounded capacity.
     */
    @Override
    public AllocatorTraits traits()
    {
        return TRAITS;
    }

    /**
     * A bounded view of a live block, for Java code: an access past either end throws
     * {@link IndexOutOfBoundsException} instead of faulting or damaging the fill.
     *
     * @param memory a live block of this allocator.
     * @return a segment of exactly the block's size, not tied to any arena; it must not be used after the
     *         block is freed (then the access faults).
     * @throws IllegalArgumentException when {@code memory} is not a live block of this instance.
     */
    public MemorySegment view(final long memory)
    {
        final int index = registry.indexOf(memory);
        final long entry = index == BlockRegistry.NOT_FOUND ? 0 : registry.value0(index);
        if (index == BlockRegistry.NOT_FOUND || GuardBlockDescriptor.state(entry) != LIVE)
        {
            throw new IllegalArgumentException("0x" + Long.toHexString(memory) + " is not a live block of " + this);
        }
        return MemorySegment.ofAddress(memory).reinterpret(GuardBlockDescriptor.size(entry));
    }

    /**
     * Where the guard page of a live or quarantined block starts, e.g. to tell whether a fault address
     * belongs to it.
     *
     * @param memory a block of this allocator.
     * @return the page-aligned address of its guard page, or 0 when {@code memory} is not a block of this
     *         instance.
     */
    public long guardPageAddress(final long memory)
    {
        final int index = registry.indexOf(memory);
        if (index == BlockRegistry.NOT_FOUND)
        {
            return NULL;
        }
        final long entry = registry.value0(index);
        return GuardBlockDescriptor.guardPageStart(mode, memory, GuardBlockDescriptor.size(entry),
            1L << GuardBlockDescriptor.alignmentShift(entry), pageSize);
    }

    /**
     * Unmaps every quarantined block now (e.g. before a long idle phase, or in tests), and the uncarved
     * rest of the current address-space reservation. Live blocks stay.
     *
     * @return how many blocks were unmapped.
     */
    public int drainQuarantine()
    {
        int drained = 0;
        int evicted;
        while ((evicted = evictDownTo(-1)) > 0)
        {
            drained += evicted;
        }
        carver.releaseTail();
        return drained;
    }

    @Override
    public String toString()
    {
        return "GuardPageAllocator[" + mode + ", quarantine " + quarantineBudget + " bytes, page " + pageSize +
            (null != sites ? ", sites" : "") + "]";
    }

    private long allocateValid(final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (size > GuardBlockDescriptor.MAX_ENTRY_SIZE || !reserveEntry())
        {
            return NULL;
        }
        final long user = mode == GuardMode.OVERFLOW ? mapOverflow(size, alignment) : mapUnderflow(size, alignment);
        if (user == NULL)
        {
            registry.unreserve();
            return NULL;
        }
        final int site = null == sites ? AllocationSites.NO_SITE : sites.capture();
        registry.insert(user,
            GuardBlockDescriptor.entry(size, Long.numberOfTrailingZeros(alignment), scope.value(), LIVE), site);
        return user;
    }

    private boolean reserveEntry()
    {
        final BlockRegistry registry = this.registry;
        while (!registry.tryReserve())
        {
            if (!evictOldest())
            {
                return false;
            }
        }
        return true;
    }

    /** Maps [head fill][block][slack][guard page]; returns the user address or 0. */
    private long mapOverflow(final long size, final long alignment)
    {
        final long pageSize = this.pageSize;
        final long span = GuardBlockDescriptor.span(size, alignment);
        final long dataLength = GuardBlockDescriptor.dataLength(GuardMode.OVERFLOW, size, alignment, pageSize);
        final long mappingLength = dataLength + pageSize;
        final long guard;
        if (alignment <= pageSize && mappingLength <= AddressSpaceCarver.MAX_CARVED_BYTES)
        {
            // Carved from reserved PROT_NONE space: the guard page is already there, one mprotect opens the data.
            final long start = carver.carve(mappingLength);
            if (start == NULL)
            {
                return NULL;
            }
            guard = start + dataLength;
            if (dataLength != 0 && !Pages.protect(start, dataLength, Pages.PROT_READ_WRITE))
            {
                Pages.unmap(start, mappingLength);
                return NULL;
            }
        }
        else if (alignment <= pageSize)
        {
            final long start = Pages.map(mappingLength, dataLength == 0 ? Pages.PROT_NONE : Pages.PROT_READ_WRITE);
            if (start == NULL)
            {
                return NULL;
            }
            guard = start + dataLength;
            if (dataLength != 0 && !Pages.protect(guard, pageSize, Pages.PROT_NONE))
            {
                Pages.unmap(start, mappingLength);
                return NULL;
            }
        }
        else
        {
            final long reserved = mappingLength + alignment - pageSize;
            final long raw = Pages.map(reserved, Pages.PROT_NONE);
            if (raw == NULL)
            {
                return NULL;
            }
            guard = Alignment.alignUp(raw + dataLength, alignment);
            final long start = guard - dataLength;
            trim(raw, reserved, start, mappingLength);
            if (dataLength != 0 && !Pages.protect(start, dataLength, Pages.PROT_READ_WRITE))
            {
                Pages.unmap(start, mappingLength);
                return NULL;
            }
        }
        final long user = guard - span;
        GuardBlockDescriptor.fill(guard - dataLength, dataLength - span);
        GuardBlockDescriptor.fill(user + size, span - size);
        return user;
    }

    /** Maps [guard page][block][tail fill]; returns the user address or 0. */
    private long mapUnderflow(final long size, final long alignment)
    {
        final long pageSize = this.pageSize;
        final long dataLength = GuardBlockDescriptor.dataLength(GuardMode.UNDERFLOW, size, alignment, pageSize);
        final long mappingLength = dataLength + pageSize;
        final long user;
        if (alignment <= pageSize && mappingLength <= AddressSpaceCarver.MAX_CARVED_BYTES)
        {
            final long start = carver.carve(mappingLength);
            if (start == NULL)
            {
                return NULL;
            }
            user = start + pageSize;
            if (size != 0 && !Pages.protect(user, dataLength, Pages.PROT_READ_WRITE))
            {
                Pages.unmap(start, mappingLength);
                return NULL;
            }
        }
        else if (alignment <= pageSize)
        {
            final long start = Pages.map(mappingLength, size == 0 ? Pages.PROT_NONE : Pages.PROT_READ_WRITE);
            if (start == NULL)
            {
                return NULL;
            }
            if (size != 0 && !Pages.protect(start, pageSize, Pages.PROT_NONE))
            {
                Pages.unmap(start, mappingLength);
                return NULL;
            }
            user = start + pageSize;
        }
        else
        {
            final long reserved = mappingLength + alignment - pageSize;
            final long raw = Pages.map(reserved, Pages.PROT_NONE);
            if (raw == NULL)
            {
                return NULL;
            }
            user = Alignment.alignUp(raw + pageSize, alignment);
            trim(raw, reserved, user - pageSize, mappingLength);
            if (size != 0 && !Pages.protect(user, dataLength, Pages.PROT_READ_WRITE))
            {
                Pages.unmap(user - pageSize, mappingLength);
                return NULL;
            }
        }
        if (size != 0)
        {
            GuardBlockDescriptor.fill(user + size, dataLength - size);
        }
        return user;
    }

    /** Unmaps the parts of an over-reserved range outside [start, start + length). */
    private static void trim(final long raw, final long reserved, final long start, final long length)
    {
        if (start > raw)
        {
            Pages.unmap(raw, start - raw);
        }
        final long end = start + length;
        if (raw + reserved > end)
        {
            Pages.unmap(end, raw + reserved - end);
        }
    }

    private boolean intactFills(final long user, final long size, final long alignment)
    {
        final long pageSize = this.pageSize;
        if (mode == GuardMode.OVERFLOW)
        {
            final long span = GuardBlockDescriptor.span(size, alignment);
            final long head = GuardBlockDescriptor.dataLength(GuardMode.OVERFLOW, size, alignment, pageSize) - span;
            return GuardBlockDescriptor.intactFill(user + size, span - size) &&
                GuardBlockDescriptor.intactFill(user - head, head);
        }
        return size == 0 || GuardBlockDescriptor.intactFill(user + size,
            GuardBlockDescriptor.dataLength(GuardMode.UNDERFLOW, size, alignment, pageSize) - size);
    }

    /** Frees a live block found at {@code index}: claims it, checks its fill, retires it, then reports. */
    private void free(final long memory, final int index, final long entry, final Violation freedKind, final String verb)
    {
        final long claimed = GuardBlockDescriptor.withState(entry, QUARANTINED);
        if (!registry.compareAndSetValue0(index, entry, claimed))
        {
            reportFreed(memory, registry.value0(index), freedKind, verb);
            return;
        }
        final boolean intact = intactFills(memory, GuardBlockDescriptor.size(entry),
            1L << GuardBlockDescriptor.alignmentShift(entry));
        final long site = registry.value1(index);
        final String damage = intact ? null : describeDamage(memory, entry);
        retire(memory, index, claimed);
        if (!intact)
        {
            report(damage.startsWith("-") ? Violation.BUFFER_UNDERFLOW : Violation.BUFFER_OVERFLOW, memory, entry,
                verb + " of 0x" + Long.toHexString(memory) + ": " + damage.substring(1) +
                "; the block was freed all the same (its metadata is not in the mapping)" + siteDetail(site));
        }
    }

    /** Quarantines (or unmaps) a block this thread owns; its entry's state is not LIVE. */
    private void retire(final long memory, final int index, final long entry)
    {
        final long size = GuardBlockDescriptor.size(entry);
        final long alignment = 1L << GuardBlockDescriptor.alignmentShift(entry);
        final long start = GuardBlockDescriptor.mappingStart(mode, memory, size, alignment, pageSize);
        final long length = GuardBlockDescriptor.mappingLength(mode, size, alignment, pageSize);
        if (null != sites)
        {
            final long pair = AllocationSites.pair((int)registry.value1(index), sites.capture());
            registry.setValue1(index, pair);
            recentlyFreed.add(memory, pair);
        }
        else
        {
            recentlyFreed.add(memory);
        }
        // Into the quarantine: the data pages become PROT_NONE (one mprotect; the guard page already is), so a
        // use after free faults; their memory is held, within the budget, until eviction unmaps them.
        if (quarantineBudget == 0 || length > quarantineBudget || !closeDataPages(memory, size, alignment))
        {
            unmapEntry(memory, index, start, length);
            return;
        }
        registry.compareAndSetValue0(index, entry, GuardBlockDescriptor.withState(entry, QUARANTINED));
        quarantinedBytes.addAndGet(length);
        quarantinedBlocks.incrementAndGet();
        while (!quarantine.offer(memory))
        {
            if (!evictOldest())
            {
                quarantinedBytes.addAndGet(-length);
                quarantinedBlocks.decrementAndGet();
                unmapEntry(memory, index, start, length);
                return;
            }
        }
        if (quarantinedBytes.get() > quarantineBudget)
        {
            evictDownTo(quarantineBudget - evictionSlack);
        }
    }

    /**
     * Makes a block's data pages inaccessible in place; its guard page is inaccessible already, so the
     * whole range merges into one {@code PROT_NONE} kernel mapping with quarantined neighbours.
     *
     * @return {@code false} when the kernel refused (the block is then unmapped instead).
     */
    private boolean closeDataPages(final long memory, final long size, final long alignment)
    {
        final long pageSize = this.pageSize;
        if (mode == GuardMode.OVERFLOW)
        {
            final long dataLength = GuardBlockDescriptor.dataLength(GuardMode.OVERFLOW, size, alignment, pageSize);
            return dataLength == 0 || Pages.protect(
                GuardBlockDescriptor.mappingStart(GuardMode.OVERFLOW, memory, size, alignment, pageSize),
                dataLength, Pages.PROT_NONE);
        }
        // UNDERFLOW: the data pages start at the block; a size-0 block's second page was never opened.
        return size == 0 ||
            Pages.protect(memory, GuardBlockDescriptor.dataLength(GuardMode.UNDERFLOW, size, alignment, pageSize),
                Pages.PROT_NONE);
    }

    /**
     * Unmaps the oldest quarantined blocks until at most {@code targetBytes} stay, in as few system calls
     * as the ranges allow: consecutive blocks that are neighbours in memory (as blocks carved one after
     * another and freed in order are) go in one {@code munmap}.
     *
     * @return how many blocks were unmapped.
     */
    private int evictDownTo(final long targetBytes)
    {
        final BlockRegistry registry = this.registry;
        final long pageSize = this.pageSize;
        long runStart = NULL;
        long runEnd = NULL;
        int evicted = 0;
        while (quarantinedBytes.get() > targetBytes)
        {
            final long memory = quarantine.poll();
            if (memory == QuarantineQueue.NONE)
            {
                break;
            }
            final int index = registry.indexOf(memory);
            if (index == BlockRegistry.NOT_FOUND)
            {
                continue; // cannot happen: only eviction removes quarantined entries
            }
            final long entry = registry.value0(index);
            final long size = GuardBlockDescriptor.size(entry);
            final long alignment = 1L << GuardBlockDescriptor.alignmentShift(entry);
            final long start = GuardBlockDescriptor.mappingStart(mode, memory, size, alignment, pageSize);
            final long length = GuardBlockDescriptor.mappingLength(mode, size, alignment, pageSize);
            quarantinedBytes.addAndGet(-length);
            quarantinedBlocks.decrementAndGet();
            // The entry goes before the range is unmapped: once unmapped the address may be handed out again.
            registry.remove(index, memory);
            registry.unreserve();
            evicted++;
            if (start == runEnd)
            {
                runEnd += length;
                continue;
            }
            if (runStart != NULL)
            {
                Pages.unmap(runStart, runEnd - runStart);
            }
            runStart = start;
            runEnd = start + length;
        }
        if (runStart != NULL)
        {
            Pages.unmap(runStart, runEnd - runStart);
        }
        return evicted;
    }

    /** Unmaps the oldest quarantined block. */
    private boolean evictOldest()
    {
        final long memory = quarantine.poll();
        if (memory == QuarantineQueue.NONE)
        {
            return false;
        }
        final int index = registry.indexOf(memory);
        if (index == BlockRegistry.NOT_FOUND)
        {
            return true; // cannot happen: only eviction removes quarantined entries
        }
        final long entry = registry.value0(index);
        final long size = GuardBlockDescriptor.size(entry);
        final long alignment = 1L << GuardBlockDescriptor.alignmentShift(entry);
        final long length = GuardBlockDescriptor.mappingLength(mode, size, alignment, pageSize);
        quarantinedBytes.addAndGet(-length);
        quarantinedBlocks.decrementAndGet();
        unmapEntry(memory, index, GuardBlockDescriptor.mappingStart(mode, memory, size, alignment, pageSize), length);
        return true;
    }

    /** Removes an entry, then unmaps: once unmapped the address may be handed out again. */
    private void unmapEntry(final long memory, final int index, final long start, final long length)
    {
        registry.remove(index, memory);
        registry.unreserve();
        Pages.unmap(start, length);
    }

    private String describeDamage(final long memory, final long entry)
    {
        final long size = GuardBlockDescriptor.size(entry);
        final long alignment = 1L << GuardBlockDescriptor.alignmentShift(entry);
        final long dataLength = GuardBlockDescriptor.dataLength(mode, size, alignment, pageSize);
        final long tail = (mode == GuardMode.OVERFLOW ? GuardBlockDescriptor.span(size, alignment) : dataLength) - size;
        final long after = GuardBlockDescriptor.firstDamaged(memory + size, tail);
        if (after >= 0)
        {
            return "+byte " + after + " past the block's end (" + tail + " bytes of " +
                (mode == GuardMode.OVERFLOW ? "alignment slack before the guard page" : "fill after the block") +
                ") was overwritten: 0x" + Integer.toHexString(memGetByte(memory + size + after) & 0xFF) +
                " instead of 0xaa";
        }
        final long head = mode == GuardMode.OVERFLOW ? dataLength - GuardBlockDescriptor.span(size, alignment) : 0;
        final long before = GuardBlockDescriptor.lastDamaged(memory - head, head);
        return "-byte " + (head - before) + " before the block's start (in " + head +
            " bytes of fill before it) was overwritten";
    }

    private long reportUnknown(final long memory, final Violation freedKind, final String verb)
    {
        final boolean freed = recentlyFreed.contains(memory);
        violationHandler.onViolation(freed ? freedKind : Violation.FOREIGN_FREE, memory, 0, null, verb + " of 0x" +
            Long.toHexString(memory) + (freed ? ": a block this allocator freed and has since unmapped" :
            ": not a block of this guard-page allocator (from libc, another allocator or instance, or an " +
                "interior pointer)") + "; nothing was done" + (freed ? pairDetail(recentlyFreed.sites(memory)) : "") +
            caller());
        return NULL;
    }

    private long reportFreed(final long memory, final long entry, final Violation freedKind, final String verb)
    {
        final int index = registry.indexOf(memory);
        final long pair = index == BlockRegistry.NOT_FOUND ? 0 : registry.value1(index);
        violationHandler.onViolation(freedKind, memory, GuardBlockDescriptor.size(entry),
            SystemAllocationScope.fromValueOrNull(GuardBlockDescriptor.scopeValue(entry)), verb + " of 0x" +
            Long.toHexString(memory) + ": " + (GuardBlockDescriptor.state(entry) == BUSY ?
            "another thread is reallocating it" : "already freed (its pages are PROT_NONE in the quarantine)") +
            "; nothing was done" + pairDetail(pair) + caller());
        return NULL;
    }

    private String pairDetail(final long pair)
    {
        return null == sites ? "" : sites.detail(AllocationSites.allocationSiteOf(pair), AllocationSites.freeSiteOf(pair));
    }

    private void reportDamagedFill(
        final long memory, final long entry, final long site, final String verb, final String fate)
    {
        final String damage = describeDamage(memory, entry);
        report(damage.startsWith("-") ? Violation.BUFFER_UNDERFLOW : Violation.BUFFER_OVERFLOW, memory, entry,
            verb + " of 0x" + Long.toHexString(memory) + ": " + damage.substring(1) + "; " + fate + siteDetail(site));
    }

    private void report(final Violation violation, final long memory, final long entry, final String detail)
    {
        violationHandler.onViolation(violation, memory, GuardBlockDescriptor.size(entry),
            SystemAllocationScope.fromValueOrNull(GuardBlockDescriptor.scopeValue(entry)), detail + caller());
    }

    private String siteDetail(final long site)
    {
        return null == sites ? "" : sites.detail(AllocationSites.allocationSiteOf(site), AllocationSites.NO_SITE);
    }

    private static String caller()
    {
        final String frame = AllocationSites.callerFrame();
        return null == frame ? "" : "; called from " + frame;
    }

    private boolean validArguments(
        final long address, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (null == scope)
        {
            violationHandler.onViolation(Violation.INVALID_ALLOCATION_SCOPE, address, size, null,
                "scope is null; nothing was done" + caller());
            return false;
        }
        if (!Alignment.isPowerOfTwo(alignment) || Long.compareUnsigned(alignment, MAX_ALIGNMENT) > 0)
        {
            violationHandler.onViolation(Violation.INVALID_ALIGNMENT, address, size, scope,
                "alignment " + Long.toUnsignedString(alignment) + (Alignment.isPowerOfTwo(alignment) ?
                " exceeds GuardPageAllocator.MAX_ALIGNMENT " + MAX_ALIGNMENT : " is not a power of two") +
                "; nothing was done" + caller());
            return false;
        }
        if (Long.compareUnsigned(size, MAX_SIZE) > 0)
        {
            violationHandler.onViolation(Violation.INVALID_SIZE, address, size, scope, "size " +
                Long.toUnsignedString(size) + " exceeds GuardPageAllocator.MAX_SIZE " + MAX_SIZE +
                "; nothing was done" + caller());
            return false;
        }
        return true;
    }
}
