package dev.hostalloc.tlsf;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.realtime.BoundedSpinLock;
import dev.hostalloc.realtime.RealtimeThreads;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import static dev.hostalloc.tlsf.TlsfBlockDescriptor.GRANULE;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.HEADER_LENGTH;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.alignmentShift;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.hasTag;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.isFree;
import static dev.hostalloc.tlsf.TlsfBlockDescriptor.word;

/**
 * A real-time base allocator: Two-Level Segregated Fit (Masmano, Ripoll, Crespo, Real, ECRTS 2004)
 * over one fixed arena taken once at creation, from a parent {@link AllocationCallbacks} (e.g. a
 * per-plugin budget carved from a bigger pool with {@link #subPool}) or, for the spec element
 * {@code tlsf:<size>}, from an anonymous memory mapping. The arena never grows.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #allocate}, {@link #free} and {@link #reallocate} are O(1): two bitmap scans, at
 *       most two merges and one split, no list walk, no system call, no Java heap (reallocate
 *       copies the payload when the block has to move). Free neighbours are merged immediately.</li>
 *   <li>Every power-of-two alignment up to {@link #MAX_ALIGNMENT}, on reallocate too: a block keeps
 *       its alignment when it grows in place (into a free next block), shrinks in place, or moves.
 *       Alignments up to 16 cost nothing; larger ones search for {@code size + alignment + 16}
 *       bytes and return the leading gap to the free lists.</li>
 *   <li>Per-block overhead: exactly {@value TlsfBlockDescriptor#HEADER_LENGTH} bytes of header
 *       ({@link TlsfBlockDescriptor}), plus rounding of the size up to 16 (at least 16).</li>
 *   <li>Exhaustion returns 0 and reports nothing; the original block of a failed reallocate stays
 *       valid and untouched.</li>
 *   <li>{@link #traits()}: real-time safe, bounded capacity, thread-safe in
 *       {@link ThreadingMode#SHARED} mode only.</li>
 * </ul>
 *
 * <p>hostalloc rules (see {@link AllocationCallbacks}): {@code allocate(0, ...)} returns a unique
 * block that must be freed; {@code reallocate(p, 0, ...)} frees {@code p} and returns 0;
 * {@code reallocate(0, 0, ...)} returns 0. Invalid arguments return 0, do nothing and are reported
 * to the {@link ViolationHandler}: a {@code null} scope ({@link Violation#INVALID_ALLOCATION_SCOPE}),
 * an alignment that is not a power of two or above {@link #MAX_ALIGNMENT}
 * ({@link Violation#INVALID_ALIGNMENT}), a negative size ({@link Violation#INVALID_SIZE}), a
 * reallocate with another alignment than the block's ({@link Violation#REALLOC_DIFFERENT_ALIGNMENT}).
 * Pointers are checked on free and reallocate: outside the arena, misaligned, or not a block header
 * is {@link Violation#FREE_NOT_ALLOCATED_PTR} / {@link Violation#REALLOC_NOT_ALLOCATED_PTR}; a block
 * already free (or whose free is pending) is {@link Violation#DOUBLE_FREE} /
 * {@link Violation#REALLOC_FREED_PTR}. The check is cheap but not proof against a pointer into the
 * middle of a block whose bytes mimic a header; stack the cookie decorator when in doubt.
 *
 * <p>Threading ({@link ThreadingMode}): {@code OWNED} uses no synchronization; {@code SHARED} takes
 * a {@link BoundedSpinLock} that never parks. A thread registered with {@link RealtimeThreads} asks
 * for it urgently (other threads step aside while it waits); if it cannot get it within
 * {@link #spins()} spins it fails the request (counted in
 * {@link #contentionFailures()}) or, for a free, pushes the block on a lock-free pending list
 * (counted in {@link #deferredFrees()}) that the next lock holder drains, at most
 * {@value #DRAIN_LIMIT} blocks per call. Other threads spin and yield until they get the lock.
 * Violations are reported while the lock is held: the handler must not call back into this pool.
 */
public final class TlsfAllocator implements AllocationCallbacks, AutoCloseable
{
    /** The largest alignment honoured: 1 GiB. Larger ones are {@link Violation#INVALID_ALIGNMENT}. */
    public static final long MAX_ALIGNMENT = 1L << 30;

    /** The smallest arena: 64 bytes (one minimal block of 32 and the 32-byte sentinel). */
    public static final long MIN_CAPACITY = 64;

    /** The largest arena: 64 TiB. */
    public static final long MAX_CAPACITY = 1L << 46;

    /**
     * Default spin bound of {@link ThreadingMode#SHARED} mode: 128 {@link Thread#onSpinWait()}
     * rounds, roughly 0.5 to 5 microseconds depending on the processor's pause instruction, against
     * a critical section of well under a microsecond.
     */
    public static final int DEFAULT_SPINS = 128;

    /** Deferred frees a lock holder performs per call, bounding the time it holds the lock. */
    public static final int DRAIN_LIMIT = 8;

    /** The scope of the arena when it is taken from a parent allocator without one given. */
    public static final SystemAllocationScope DEFAULT_ARENA_SCOPE = SystemAllocationScope.OBJECT;

    private static final long NULL = 0L;
    private static final long NO_ADDRESS = -1L;

    private final TlsfHeap heap;
    private final ThreadingMode mode;
    private final boolean shared;
    private final int spins;
    private final ViolationHandler violationHandler;
    private final AllocationCallbacks parent;
    private final AnonymousMapping mapping;
    private final long arenaAddress;
    private final long capacity;
    private final long maxPayload;
    private final AllocatorTraits traits;
    private final BoundedSpinLock lock = new BoundedSpinLock();
    private final AtomicLong pendingHead = new AtomicLong();
    private final AtomicLong contentionFailures = new AtomicLong();
    private final AtomicLong deferredFrees = new AtomicLong();

    // Valid user addresses lie in [lowestUser, highestUser]; close() empties the range.
    private long lowestUser;
    private long highestUser;
    private long drainList; // guarded by lock: pending blocks taken from pendingHead, not yet freed
    private boolean closed;
    private Thread owner;   // OWNED mode with assertions enabled: the thread calls must come from

    /**
     * Creates a pool whose arena is {@code capacity} bytes taken from {@code parent}, with the
     * default arena scope and spin bound.
     *
     * @param parent           where the arena comes from (and goes back to on {@link #close()}).
     * @param capacity         arena bytes, rounded down to a multiple of 16, from {@link #MIN_CAPACITY}
     *                         to {@link #MAX_CAPACITY}.
     * @param mode             how the pool may be called from threads.
     * @param violationHandler where misuse is reported; must be thread-safe.
     * @throws IllegalArgumentException when {@code capacity} is out of range.
     * @throws IllegalStateException    when {@code parent} cannot provide the arena.
     * @throws NullPointerException     when an argument is {@code null}.
     */
    public TlsfAllocator(
        final AllocationCallbacks parent,
        final long capacity,
        final ThreadingMode mode,
        final ViolationHandler violationHandler)
    {
        this(parent, capacity, DEFAULT_ARENA_SCOPE, mode, DEFAULT_SPINS, violationHandler);
    }

    /**
     * Creates a pool whose arena is {@code capacity} bytes taken from {@code parent}.
     *
     * @param parent           where the arena comes from (and goes back to on {@link #close()}).
     * @param capacity         arena bytes, rounded down to a multiple of 16, from {@link #MIN_CAPACITY}
     *                         to {@link #MAX_CAPACITY}.
     * @param arenaScope       the scope the arena is allocated with.
     * @param mode             how the pool may be called from threads.
     * @param spins            the spin bound of {@link ThreadingMode#SHARED} mode, 0 or more.
     * @param violationHandler where misuse is reported; must be thread-safe.
     * @throws IllegalArgumentException when {@code capacity} or {@code spins} is out of range.
     * @throws IllegalStateException    when {@code parent} cannot provide the arena.
     * @throws NullPointerException     when an argument is {@code null}.
     */
    public TlsfAllocator(
        final AllocationCallbacks parent,
        final long capacity,
        final SystemAllocationScope arenaScope,
        final ThreadingMode mode,
        final int spins,
        final ViolationHandler violationHandler)
    {
        this(parent, null, takeArena(parent, checkedArguments(capacity, mode, spins, violationHandler), arenaScope),
            checkedCapacity(capacity), mode, spins, violationHandler);
    }

    private TlsfAllocator(
        final AllocationCallbacks parent,
        final AnonymousMapping mapping,
        final long arenaAddress,
        final long capacity,
        final ThreadingMode mode,
        final int spins,
        final ViolationHandler violationHandler)
    {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.violationHandler = Objects.requireNonNull(violationHandler, "violationHandler");
        if (spins < 0)
        {
            throw new IllegalArgumentException("spins must not be negative: " + spins);
        }
        this.shared = mode == ThreadingMode.SHARED;
        this.spins = spins;
        this.parent = parent;
        this.mapping = mapping;
        this.arenaAddress = arenaAddress;
        this.capacity = capacity;
        this.heap = new TlsfHeap(arenaAddress, capacity);
        this.maxPayload = heap.maxPayload();
        this.lowestUser = arenaAddress + HEADER_LENGTH;
        this.highestUser = heap.sentinel() - TlsfBlockDescriptor.MIN_PAYLOAD;
        this.traits = new AllocatorTraits(shared, true, MAX_ALIGNMENT, maxPayload);
    }

    /**
     * Creates a pool over a fresh anonymous memory mapping of {@code capacity} bytes, prepared for
     * real time: every page faulted in up front, and arenas of 2 MiB or more aligned to 2 MiB and
     * advised to use transparent huge pages where the kernel offers them (see
     * {@link #hugePagesAdvised()}). {@link #close()} unmaps it.
     *
     * @param capacity         arena bytes, rounded down to a multiple of 16, from {@link #MIN_CAPACITY}
     *                         to {@link #MAX_CAPACITY}.
     * @param mode             how the pool may be called from threads.
     * @param spins            the spin bound of {@link ThreadingMode#SHARED} mode, 0 or more.
     * @param violationHandler where misuse is reported; must be thread-safe.
     * @return the pool.
     * @throws IllegalArgumentException when {@code capacity} or {@code spins} is out of range.
     * @throws IllegalStateException    when the kernel refuses the mapping.
     * @throws NullPointerException     when an argument is {@code null}.
     */
    public static TlsfAllocator mapped(
        final long capacity, final ThreadingMode mode, final int spins, final ViolationHandler violationHandler)
    {
        final long length = checkedArguments(capacity, mode, spins, violationHandler);
        final AnonymousMapping mapping = AnonymousMapping.map(length);
        return new TlsfAllocator(null, mapping, mapping.address(), length, mode, spins, violationHandler);
    }

    /**
     * {@link #mapped(long, ThreadingMode, int, ViolationHandler)} with {@link #DEFAULT_SPINS}.
     *
     * @param capacity         arena bytes.
     * @param mode             how the pool may be called from threads.
     * @param violationHandler where misuse is reported.
     * @return the pool.
     */
    public static TlsfAllocator mapped(
        final long capacity, final ThreadingMode mode, final ViolationHandler violationHandler)
    {
        return mapped(capacity, mode, DEFAULT_SPINS, violationHandler);
    }

    /**
     * Carves a pool with its own budget out of this one: a per-plugin or per-subsystem pool whose
     * exhaustion cannot starve the others. It reports to this pool's handler and uses its spin
     * bound; {@link #close()} it to give its arena back.
     *
     * @param capacity arena bytes for the sub-pool (it costs this pool one block of that size).
     * @param mode     how the sub-pool may be called from threads.
     * @return the sub-pool.
     * @throws IllegalArgumentException when {@code capacity} is out of range.
     * @throws IllegalStateException    when this pool has no free block that large.
     */
    public TlsfAllocator subPool(final long capacity, final ThreadingMode mode)
    {
        return new TlsfAllocator(this, capacity, DEFAULT_ARENA_SCOPE, mode, spins, violationHandler);
    }

    private static long checkedCapacity(final long capacity)
    {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("TLSF capacity must be from " + MIN_CAPACITY + " to " + MAX_CAPACITY +
                " bytes: " + capacity);
        }
        return capacity & -GRANULE;
    }

    // Every argument is checked before the arena is taken, so a bad one leaks nothing.
    private static long checkedArguments(
        final long capacity, final ThreadingMode mode, final int spins, final ViolationHandler violationHandler)
    {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(violationHandler, "violationHandler");
        if (spins < 0)
        {
            throw new IllegalArgumentException("spins must not be negative: " + spins);
        }
        return checkedCapacity(capacity);
    }

    private static long takeArena(final AllocationCallbacks parent, final long length, final SystemAllocationScope scope)
    {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(scope, "arenaScope");
        final long address = parent.allocate(length, GRANULE, scope);
        if (address == NULL)
        {
            throw new IllegalStateException("the parent allocator " + parent + " could not provide a TLSF arena of " +
                length + " bytes");
        }
        if (!Alignment.isAligned(address, GRANULE))
        {
            parent.free(address);
            throw new IllegalStateException("the parent allocator " + parent + " returned 0x" +
                Long.toHexString(address) + " for alignment " + GRANULE + ": misaligned");
        }
        return address;
    }

    /**
     * {@inheritDoc}
     *
     * @return a block aligned to {@code alignment} (for size 0 a unique block not to be accessed),
     *         or 0 when no free block is large enough, when a real-time thread could not take the
     *         shared lock, or for invalid arguments (then reported). Throws only if the
     *         {@link #violationHandler()} throws.
     */
    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (!validArguments(NULL, size, alignment, scope))
        {
            return NULL;
        }
        if (!shared)
        {
            assert ownedByCurrentThread() : ownerMessage();
            return allocateUnlocked(size, alignment);
        }
        if (!acquire())
        {
            return NULL;
        }
        try
        {
            drainSome();
            return allocateUnlocked(size, alignment);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Grows in place when the next block is free and large enough, shrinks in place always;
     * otherwise moves to a new block with the same alignment. Also: invalid arguments, a pointer
     * that is not a live block of this pool, or another alignment than the block's (size above 0)
     * return 0, leave the block untouched and are reported.
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
            return size == 0 ? NULL : allocate(size, alignment, scope);
        }
        if (size == 0)
        {
            free(original);
            return NULL;
        }
        if (!shared)
        {
            assert ownedByCurrentThread() : ownerMessage();
            return reallocateUnlocked(original, size, alignment, scope);
        }
        if (!acquire())
        {
            return NULL;
        }
        try
        {
            drainSome();
            return reallocateUnlocked(original, size, alignment, scope);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A pointer that is not a live block of this pool is reported and ignored. In
     * {@link ThreadingMode#SHARED} mode a real-time thread that cannot take the lock hands the
     * block to the next lock holder instead of waiting.
     */
    @Override
    public void free(final long memory)
    {
        if (memory == NULL)
        {
            return;
        }
        if (!shared)
        {
            assert ownedByCurrentThread() : ownerMessage();
            if (validForFree(memory))
            {
                heap.free(memory);
            }
            return;
        }
        if (!lock.tryLock())
        {
            if (RealtimeThreads.isCurrentRealtime())
            {
                if (!lock.tryLockUrgent(spins))
                {
                    deferFree(memory);
                    return;
                }
            }
            else
            {
                lock.lockYielding(spins);
            }
        }
        try
        {
            drainSome();
            if (validForFree(memory))
            {
                heap.free(memory);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * What this pool promises.
     *
     * @return thread-safe only in {@link ThreadingMode#SHARED} mode; real-time safe; maximum
     *         alignment {@link #MAX_ALIGNMENT}; capacity the largest block the arena can hold.
     */
    @Override
    public AllocatorTraits traits()
    {
        return traits;
    }

    /**
     * Verifies every invariant of the arena (bitmaps agree with the free lists, no two free
     * neighbours, every free block in the list of its class, block sizes add up to the arena, the
     * counters agree with a walk), after performing pending frees. O(b log b) for b blocks, with a
     * temporary array of the free blocks' addresses (heap memory): a debugging
     * and testing tool. In {@link ThreadingMode#OWNED} mode call it from the owner thread or after
     * a happens-before hand-off.
     *
     * @throws IllegalStateException naming the first inconsistency (the arena is damaged: something
     *                               wrote outside its block), or when the pool is closed.
     */
    public void check()
    {
        withAllPendingDone(false);
    }

    /**
     * Walks the arena for used and free bytes and blocks, the largest free block and the
     * fragmentation, after performing pending frees. O(blocks). Threading as {@link #check()}.
     *
     * @return a snapshot.
     * @throws IllegalStateException when the pool is closed.
     */
    public TlsfStatistics statistics()
    {
        return withAllPendingDone(true);
    }

    private TlsfStatistics withAllPendingDone(final boolean statistics)
    {
        if (shared)
        {
            lock.lockYielding(spins);
        }
        try
        {
            if (closed)
            {
                throw new IllegalStateException("the TLSF pool is closed");
            }
            drainAll();
            if (statistics)
            {
                return heap.statistics(capacity);
            }
            heap.check();
            return null;
        }
        finally
        {
            if (shared)
            {
                lock.unlock();
            }
        }
    }

    /**
     * Bytes of used blocks (headers and rounding included) from the pool's counter: O(1), racy in
     * {@link ThreadingMode#SHARED} mode (a monitoring figure).
     *
     * @return the used bytes.
     */
    public long usedBytes()
    {
        return heap.usedBytes();
    }

    /**
     * Used blocks from the pool's counter: O(1), racy in {@link ThreadingMode#SHARED} mode.
     *
     * @return the number of blocks handed out and not yet freed (pending frees included).
     */
    public long usedBlocks()
    {
        return heap.usedBlocks();
    }

    /**
     * How many allocate and reallocate calls from real-time threads failed because the shared lock
     * was busy beyond the spin bound.
     *
     * @return the count since creation.
     */
    public long contentionFailures()
    {
        return contentionFailures.get();
    }

    /**
     * How many frees from real-time threads were handed to the next lock holder because the shared
     * lock was busy.
     *
     * @return the count since creation.
     */
    public long deferredFrees()
    {
        return deferredFrees.get();
    }

    /**
     * The arena's length.
     *
     * @return bytes, a multiple of 16.
     */
    public long capacity()
    {
        return capacity;
    }

    /**
     * Whether the arena is a mapping the kernel accepted {@code MADV_HUGEPAGE} for (it then backs it
     * with 2 MiB pages when it has them).
     *
     * @return {@code false} for arenas taken from a parent, small arenas, or when the advice failed.
     */
    public boolean hugePagesAdvised()
    {
        return null != mapping && mapping.hugePagesAdvised();
    }

    /**
     * The arena's address, for diagnostics.
     *
     * @return the first byte of the arena.
     */
    public long arenaAddress()
    {
        return arenaAddress;
    }

    /**
     * How the pool may be called from threads.
     *
     * @return the mode given at creation.
     */
    public ThreadingMode threadingMode()
    {
        return mode;
    }

    /**
     * The spin bound of {@link ThreadingMode#SHARED} mode.
     *
     * @return spins before a real-time caller gives up.
     */
    public int spins()
    {
        return spins;
    }

    /**
     * Where misuse is reported.
     *
     * @return the handler given at creation.
     */
    public ViolationHandler violationHandler()
    {
        return violationHandler;
    }

    /**
     * The usable payload of a live block of any TLSF pool: at least what was asked for, rounded up
     * to 16 (and, after an in-place reallocate or a split too small to keep, a little more). Reads
     * the block's header and checks nothing: pass only live blocks.
     *
     * @param memory a live block of a TLSF pool.
     * @return its payload bytes.
     */
    public static long usableSize(final long memory)
    {
        return TlsfHeap.payloadOf(memory);
    }

    /**
     * In {@link ThreadingMode#OWNED} mode with assertions enabled, forgets the owner thread so the
     * next thread to call becomes the owner. Call it on the old owner before handing the pool over;
     * it has no other effect.
     */
    public void releaseOwnership()
    {
        owner = null;
    }

    /**
     * Gives the arena back to its parent (or unmaps it). Every block of the pool becomes invalid at
     * once, live or not: that is how a component's whole budget is dropped. Later calls return 0,
     * report frees as foreign pointers, and {@link #check()} throws. Idempotent. In
     * {@link ThreadingMode#SHARED} mode it waits (spinning and yielding) for the lock.
     */
    @Override
    public void close()
    {
        if (shared)
        {
            lock.lockYielding(spins);
        }
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            heap.retire();
            lowestUser = NO_ADDRESS;
            highestUser = NULL;
            drainList = NULL;
            pendingHead.set(NULL);
            if (null != mapping)
            {
                mapping.unmap();
            }
            else
            {
                parent.free(arenaAddress);
            }
        }
        finally
        {
            if (shared)
            {
                lock.unlock();
            }
        }
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    @Override
    public String toString()
    {
        return "TlsfAllocator[" + mode + ", capacity " + capacity + ", used " + heap.usedBytes() + " in " +
            heap.usedBlocks() + " blocks" + (closed ? ", closed" : "") + "]";
    }

    // Lock held (or OWNED).
    private long allocateUnlocked(final long size, final long alignment)
    {
        if (size > maxPayload)
        {
            return NULL;
        }
        return heap.allocate(size, alignment, Long.numberOfTrailingZeros(alignment));
    }

    // Lock held (or OWNED); original != 0, size > 0, arguments valid.
    private long reallocateUnlocked(
        final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (!validForReallocate(original, size, scope))
        {
            return NULL;
        }
        final int shift = Long.numberOfTrailingZeros(alignment);
        final int originalShift = alignmentShift(word(TlsfBlockDescriptor.blockOf(original)));
        if (shift != originalShift)
        {
            violationHandler.onViolation(
                Violation.REALLOC_DIFFERENT_ALIGNMENT, original, size, scope,
                "block allocated with alignment " + (1L << originalShift) + ", reallocate passed " + alignment +
                "; the block was left untouched and 0 returned");
            return NULL;
        }
        if (size > maxPayload)
        {
            return NULL;
        }
        return heap.reallocate(original, size, alignment, shift);
    }

    private boolean acquire()
    {
        if (lock.tryLock())
        {
            return true;
        }
        if (RealtimeThreads.isCurrentRealtime())
        {
            if (lock.tryLockUrgent(spins))
            {
                return true;
            }
            contentionFailures.incrementAndGet();
            return false;
        }
        lock.lockYielding(spins);
        return true;
    }

    /**
     * A real-time thread's free while the lock is busy: a light check of what can be read without
     * the lock (the block's own tag and flags), then a lock-free push; the full check happens when
     * the block is really freed.
     */
    private void deferFree(final long memory)
    {
        if (!inArena(memory))
        {
            reportFree(Violation.FREE_NOT_ALLOCATED_PTR, memory, "not a block of this TLSF pool");
            return;
        }
        final long block = TlsfBlockDescriptor.blockOf(memory);
        final long w = word(block);
        if (!hasTag(w))
        {
            reportFree(Violation.FREE_NOT_ALLOCATED_PTR, memory, "no TLSF block header before it");
            return;
        }
        if (isFree(w) || TlsfBlockDescriptor.isPending(block))
        {
            reportFree(Violation.DOUBLE_FREE, memory, isFree(w) ? "the block is already free" :
                "the block's free is already pending");
            return;
        }
        long head;
        do
        {
            head = pendingHead.get();
            TlsfBlockDescriptor.markPending(block, head);
        }
        while (!pendingHead.compareAndSet(head, memory));
        deferredFrees.incrementAndGet();
    }

    // Lock held: performs at most DRAIN_LIMIT pending frees.
    private void drainSome()
    {
        long list = drainList;
        if (list == NULL)
        {
            if (pendingHead.get() == NULL)
            {
                return;
            }
            list = pendingHead.getAndSet(NULL);
        }
        for (int i = 0; i < DRAIN_LIMIT && list != NULL; i++)
        {
            list = freePending(list);
        }
        drainList = list;
    }

    // Lock held.
    private void drainAll()
    {
        long list = drainList;
        while (list != NULL || pendingHead.get() != NULL)
        {
            if (list == NULL)
            {
                list = pendingHead.getAndSet(NULL);
            }
            while (list != NULL)
            {
                list = freePending(list);
            }
        }
        drainList = NULL;
    }

    private long freePending(final long memory)
    {
        final long block = TlsfBlockDescriptor.blockOf(memory);
        final long next = TlsfBlockDescriptor.nextPending(block);
        // Clear the mark: a stale one could later make a new block at this address look pending.
        TlsfBlockDescriptor.clearPending(block);
        if (heap.isUsedBlock(block))
        {
            heap.free(memory);
        }
        else
        {
            reportFree(Violation.FREE_NOT_ALLOCATED_PTR, memory,
                "found not to be a live TLSF block when its deferred free was performed");
        }
        return next;
    }

    private boolean inArena(final long memory)
    {
        return memory >= lowestUser && memory <= highestUser && (memory & (GRANULE - 1)) == 0;
    }

    // Lock held (or OWNED).
    private boolean validForFree(final long memory)
    {
        final Violation violation = blockViolation(memory, Violation.FREE_NOT_ALLOCATED_PTR, Violation.DOUBLE_FREE);
        if (null == violation)
        {
            return true;
        }
        reportFree(violation, memory, violation == Violation.DOUBLE_FREE ?
            "the block is already free" : "not a live block of this TLSF pool");
        return false;
    }

    // Lock held (or OWNED).
    private boolean validForReallocate(final long original, final long size, final SystemAllocationScope scope)
    {
        final Violation violation =
            blockViolation(original, Violation.REALLOC_NOT_ALLOCATED_PTR, Violation.REALLOC_FREED_PTR);
        if (null == violation)
        {
            return true;
        }
        violationHandler.onViolation(violation, original, size, scope,
            (violation == Violation.REALLOC_FREED_PTR ? "the block is free" : "not a live block of this TLSF pool") +
            "; nothing was done and 0 returned");
        return false;
    }

    /** The violation a free or reallocate of {@code memory} is, or {@code null} for a live block. */
    private Violation blockViolation(final long memory, final Violation foreign, final Violation freed)
    {
        if (!inArena(memory))
        {
            return foreign;
        }
        final long block = TlsfBlockDescriptor.blockOf(memory);
        final int status = heap.blockStatus(block);
        if (status == TlsfHeap.LIVE)
        {
            return shared && TlsfBlockDescriptor.isPending(block) ? freed : null;
        }
        return status == TlsfHeap.FREED ? freed : foreign;
    }

    private void reportFree(final Violation violation, final long memory, final String detail)
    {
        violationHandler.onViolation(violation, memory, 0, null, detail + "; nothing was done");
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
            violationHandler.onViolation(Violation.INVALID_ALIGNMENT, address, size, scope,
                "alignment " + Long.toUnsignedString(alignment) + (Alignment.isPowerOfTwo(alignment) ?
                " exceeds TlsfAllocator.MAX_ALIGNMENT " + MAX_ALIGNMENT : " is not a power of two") +
                "; nothing was done");
            return false;
        }
        if (size < 0)
        {
            violationHandler.onViolation(Violation.INVALID_SIZE, address, size, scope,
                "size " + Long.toUnsignedString(size) + " is 2^63 or more; nothing was done");
            return false;
        }
        return true;
    }

    private boolean ownedByCurrentThread()
    {
        final Thread current = Thread.currentThread();
        if (null == owner)
        {
            owner = current;
        }
        return owner == current;
    }

    private String ownerMessage()
    {
        return "TlsfAllocator in OWNED mode called from " + Thread.currentThread() + " but owned by " + owner +
            " (hand it over with releaseOwnership() and a happens-before edge, or use ThreadingMode.SHARED)";
    }

    // For tests: lets a test hold the shared lock to provoke contention.
    BoundedSpinLock lock()
    {
        return lock;
    }
}
