package dev.hostalloc.accounting;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static dev.hostalloc.accounting.AccountCellsDescriptor.INTERNAL_BYTES;
import static dev.hostalloc.accounting.AccountCellsDescriptor.REALLOCATIONS;
import static dev.hostalloc.accounting.AccountCellsDescriptor.SCOPE_BYTES;
import static dev.hostalloc.accounting.AccountCellsDescriptor.SCOPE_LEFT;
import static dev.hostalloc.accounting.AccountCellsDescriptor.SCOPE_PEAK;
import static dev.hostalloc.accounting.AccountCellsDescriptor.SITE_COUNTDOWN;
import static dev.hostalloc.accounting.AccountCellsDescriptor.SLOT_BYTES;
import static dev.hostalloc.accounting.AccountCellsDescriptor.SLOT_PEAK;
import static dev.hostalloc.accounting.AccountCellsDescriptor.RESERVED;
import static dev.hostalloc.accounting.AccountCellsDescriptor.STOCK_EPOCH;
import static dev.hostalloc.accounting.BlockEntryDescriptor.NO_SITE;
import static dev.hostalloc.accounting.BlockHeaderDescriptor.LOCATOR_OFFSET;
import static dev.hostalloc.accounting.BlockHeaderDescriptor.SIZE_OFFSET;
import static org.agrona.UnsafeApi.getLong;
import static org.agrona.UnsafeApi.putLong;
import static org.agrona.UnsafeApi.putLongOpaque;

/**
 * One account of an {@link AccountingAllocator}'s tree, and the {@link AllocationCallbacks} that charge
 * it: every block allocated through an account is charged to it and to every ancestor up to the root.
 *
 * <p>Budgets: an account may have a limit in bytes ({@link #UNLIMITED} by default). A request that would
 * push this account or any ancestor past its limit is refused: it returns 0 (which a Vulkan driver turns
 * into {@code VK_ERROR_OUT_OF_HOST_MEMORY}), reaches no pool, and counts one failure on the account
 * whose limit it hit. Limits never overshoot, under any number of threads. A thread reserves budget in
 * batches (at most {@code min(64 KiB, limit / 64)} beyond what it uses, so a request fails only when the
 * bytes in use plus what the other threads hold in reserve leave no room; with one thread the limit is
 * exact to the byte.
 *
 * <p>Pools: an account allocates from its own pool if it was created with one ({@link #child(String,
 * long, AllocationCallbacks)}, "separate pools"), else from its nearest ancestor's, ending at the
 * allocator's delegate ("shared pool"). A block may be freed or reallocated through any account of the
 * same tree: it goes back to the pool and accounts it came from.
 *
 * <p>Figures ({@link #snapshot()}): current bytes, peak bytes, live blocks, allocations, reallocations,
 * frees, limit failures, pool failures, internal (executable) bytes, the same per scope, and a
 * power-of-two size histogram. Counters are kept per thread and summed when read: exact whenever the
 * threads that use the account are quiescent, and no atomic instruction on the hot path. Peaks are
 * exact when one thread uses the account (Vulkan calls the callbacks on the thread that made the API
 * call) and otherwise an upper bound: never below the true peak.
 *
 * <p>Headers are read and written with {@code jdk.internal.misc.Unsafe} (through Agrona, which needs
 * {@code --add-opens java.base/jdk.internal.misc=ALL-UNNAMED} anyway): LWJGL's default memory backend
 * on JDK 25 is {@code sun.misc.Unsafe}, which adds a volatile read to every access.
 *
 * <p>Every block carries a {@link BlockHeaderDescriptor header} of {@code max(16, alignment)} bytes in
 * front of it, taken from the pool but not charged: budgets count the bytes callers ask for. Like libc,
 * the decorator trusts that header: a pointer that no account of this tree handed out is reported as a
 * violation when its header does not match, but reading a wild pointer's header may crash; stack a
 * checking decorator on top when in doubt.
 *
 * <p>Hot paths allocate no Java heap after a thread's first call on an account (and while its live
 * block count stays below its earlier high), take no lock (except for threads beyond
 * {@code 1024} live ones, which share one locked slot) and never throw except from a throwing
 * {@link dev.hostalloc.api.ViolationHandler}. Site capture ({@link SiteCapture}) walks the stack and
 * allocates.
 */
public final class Account implements AllocationCallbacks
{
    /** The limit of an account without a budget. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    /** The largest alignment accepted, 1 GiB: the header in front of a block is as long as its alignment. */
    public static final long MAX_ALIGNMENT = 1L << 30;

    /** The largest size accepted: larger ones (and negative ones) are {@link Violation#INVALID_SIZE}. */
    public static final long MAX_SIZE = Long.MAX_VALUE - MAX_ALIGNMENT;

    /** Separates the names in an account path. */
    public static final char PATH_SEPARATOR = '/';

    /** Most bytes a thread keeps reserved from an account's budget beyond what it uses. */
    static final long MAX_BATCH = 64 * 1024;

    /** A thread keeps at most this many batches in reserve before giving the excess back. */
    private static final long STOCK_BATCHES = 2;

    /** With a limit, a batch is at most this fraction of it, so reserves stay small against the budget. */
    private static final long LIMIT_BATCH_DIVISOR = 64;

    private static final long NULL = 0L;
    /** What {@link #holding} returns for a valid block when blocks are not tracked. */
    private static final long[] UNTRACKED = new long[0];
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long LONG_ARRAY_BASE = org.agrona.UnsafeApi.arrayBaseOffset(long[].class);
    private static final int LONG_SHIFT = 3;
    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[][].class);
    private static final VarHandle CHARGED;
    private static final VarHandle CHARGED_PEAK;
    private static final VarHandle FAILURES;
    private static final VarHandle POOL_FAILURES;
    private static final VarHandle BATCH;
    private static final VarHandle LIMIT_EPOCH;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CHARGED = lookup.findVarHandle(Account.class, "charged", long.class);
            CHARGED_PEAK = lookup.findVarHandle(Account.class, "chargedPeak", long.class);
            FAILURES = lookup.findVarHandle(Account.class, "failures", long.class);
            POOL_FAILURES = lookup.findVarHandle(Account.class, "poolFailures", long.class);
            BATCH = lookup.findVarHandle(Account.class, "batch", long.class);
            LIMIT_EPOCH = lookup.findVarHandle(Account.class, "limitEpoch", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final AccountingAllocator allocator;
    private final BlockTable[] tables; // the allocator's, one hop less on the hot paths
    private final boolean captureSites;
    private final boolean trackBlocks;
    private final Account parent;
    private final Account[] chain; // this, parent, ..., root
    private final int id;
    private final String name;
    private final String path;
    private final AllocationCallbacks pool;
    private final boolean ownsPool;
    private final long[][] cellsBySlot = new long[ThreadSlots.COUNT][];
    private final Map<String, Account> children = new LinkedHashMap<>(); // guarded by allocator.structureLock()

    private volatile long limit;
    @SuppressWarnings("unused") // through BATCH: opaque reads on the hot paths
    private long batch;
    @SuppressWarnings("unused") // through LIMIT_EPOCH: opaque reads on the hot paths
    private long limitEpoch;
    @SuppressWarnings("unused") // through CHARGED
    private volatile long charged;
    @SuppressWarnings("unused") // through CHARGED_PEAK
    private volatile long chargedPeak;
    @SuppressWarnings("unused") // through FAILURES
    private volatile long failures;
    @SuppressWarnings("unused") // through POOL_FAILURES
    private volatile long poolFailures;

    Account(
        final AccountingAllocator allocator,
        final Account parent,
        final int id,
        final String name,
        final long limit,
        final AllocationCallbacks ownPool)
    {
        this.allocator = allocator;
        this.tables = allocator.tables();
        this.captureSites = allocator.siteCapture().enabled();
        this.trackBlocks = allocator.tracksBlocks();
        this.parent = parent;
        this.id = id;
        this.name = name;
        this.path = null == parent ? name : parent.path + PATH_SEPARATOR + name;
        this.ownsPool = null != ownPool || null == parent;
        this.pool = null != ownPool ? ownPool : parent.pool;
        final int depth = null == parent ? 1 : parent.chain.length + 1;
        chain = new Account[depth];
        chain[0] = this;
        if (null != parent)
        {
            System.arraycopy(parent.chain, 0, chain, 1, depth - 1);
        }
        setLimit(limit);
    }

    // ------------------------------------------------------------------------------------------------
    // Tree

    /**
     * This account's name: the last element of its {@link #path()}.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * This account's path from the root, names separated by {@value #PATH_SEPARATOR}, e.g.
     * {@code vulkan/renderer/textures}; the root's path is its name.
     *
     * @return the path.
     */
    public String path()
    {
        return path;
    }

    /**
     * The parent account.
     *
     * @return the parent, or empty for the root.
     */
    public Optional<Account> parent()
    {
        return Optional.ofNullable(parent);
    }

    /**
     * How deep this account is.
     *
     * @return 0 for the root, 1 for its children, and so on.
     */
    public int depth()
    {
        return chain.length - 1;
    }

    /**
     * The allocator this account belongs to.
     *
     * @return the allocator.
     */
    public AccountingAllocator allocator()
    {
        return allocator;
    }

    /**
     * The direct children, in creation order.
     *
     * @return an unmodifiable snapshot.
     */
    public List<Account> children()
    {
        synchronized (allocator.structureLock())
        {
            return List.copyOf(children.values());
        }
    }

    /**
     * The pool blocks of this account come from.
     *
     * @return its own pool, or its nearest ancestor's (the allocator's delegate for the root).
     */
    public AllocationCallbacks pool()
    {
        return pool;
    }

    /**
     * Whether this account has a pool of its own.
     *
     * @return {@code true} for the root and for accounts created with a pool.
     */
    public boolean ownsPool()
    {
        return ownsPool;
    }

    /**
     * The account at {@code path} below this one, created without a limit (with any missing account
     * between) if it does not exist.
     *
     * @param path names separated by {@value #PATH_SEPARATOR}, e.g. {@code renderer/textures}; each a
     *             letter or digit followed by letters, digits, {@code '-'}, {@code '_'} or {@code '.'}.
     * @return the account.
     * @throws IllegalArgumentException when the path is empty or a name is invalid.
     */
    public Account child(final String path)
    {
        return child(path, UNLIMITED, null, false);
    }

    /**
     * The account at {@code path} below this one with a budget; missing accounts between are created
     * without a limit.
     *
     * @param path       as {@link #child(String)}.
     * @param limitBytes the budget in bytes, at least 0, or {@link #UNLIMITED}.
     * @return the account, newly created or existing with the same limit.
     * @throws IllegalArgumentException when the path is invalid, the limit negative, or the account
     *                                  exists with another limit (change it with {@link #setLimit}).
     */
    public Account child(final String path, final long limitBytes)
    {
        return child(path, limitBytes, null, true);
    }

    /**
     * A new account at {@code path} below this one, with a budget and a pool of its own ("separate
     * pools"); missing accounts between are created without a limit and share this account's pool.
     *
     * @param path       as {@link #child(String)}.
     * @param limitBytes the budget in bytes, at least 0, or {@link #UNLIMITED}.
     * @param pool       where the new account's blocks come from; must be thread-safe if the account is
     *                   used from several threads.
     * @return the new account.
     * @throws IllegalArgumentException when the path is invalid, the limit negative, or the account
     *                                  already exists.
     * @throws NullPointerException     when {@code pool} is {@code null}.
     */
    public Account child(final String path, final long limitBytes, final AllocationCallbacks pool)
    {
        return child(path, limitBytes, Objects.requireNonNull(pool, "pool"), true);
    }

    private Account child(final String path, final long limitBytes, final AllocationCallbacks ownPool, final boolean limited)
    {
        Objects.requireNonNull(path, "path");
        checkLimit(limitBytes);
        final String[] names = splitPath(path);
        synchronized (allocator.structureLock())
        {
            Account account = this;
            for (int i = 0; i < names.length; i++)
            {
                final boolean last = i == names.length - 1;
                final Account existing = account.children.get(names[i]);
                if (null == existing)
                {
                    final Account created = allocator.newAccount(
                        account, names[i], last ? limitBytes : UNLIMITED, last ? ownPool : null);
                    account.children.put(names[i], created);
                    account = created;
                }
                else if (last && (null != ownPool || (limited && existing.limit != limitBytes)))
                {
                    throw new IllegalArgumentException("account '" + existing.path + "' already exists" +
                        (null != ownPool ? "" : " with limit " + limitText(existing.limit) +
                            ", not " + limitText(limitBytes) + "; change it with setLimit"));
                }
                else
                {
                    account = existing;
                }
            }
            return account;
        }
    }

    /**
     * The account at {@code path} below this one, if it exists.
     *
     * @param path names separated by {@value #PATH_SEPARATOR}.
     * @return the account, or empty.
     * @throws IllegalArgumentException when the path is malformed.
     */
    public Optional<Account> find(final String path)
    {
        final String[] names = splitPath(Objects.requireNonNull(path, "path"));
        synchronized (allocator.structureLock())
        {
            Account account = this;
            for (final String n : names)
            {
                account = account.children.get(n);
                if (null == account)
                {
                    return Optional.empty();
                }
            }
            return Optional.of(account);
        }
    }

    /**
     * This account's budget.
     *
     * @return the limit in bytes, or {@link #UNLIMITED}.
     */
    public long limit()
    {
        return limit;
    }

    /**
     * Changes this account's budget. Lowering it below the bytes in use refuses further allocations
     * until enough is freed; nothing already allocated is touched.
     *
     * @param limitBytes the new limit, at least 0, or {@link #UNLIMITED}.
     * @throws IllegalArgumentException when {@code limitBytes} is negative.
     */
    public void setLimit(final long limitBytes)
    {
        checkLimit(limitBytes);
        synchronized (allocator.structureLock())
        {
            limit = limitBytes;
            BATCH.setVolatile(this, limitBytes == UNLIMITED ? MAX_BATCH : Math.min(MAX_BATCH, limitBytes / LIMIT_BATCH_DIVISOR));
            // Threads give back reserves taken under the old limit on their next request (they read the
            // epoch opaque: no barrier on the hot path, and never a value hoisted out of a loop).
            LIMIT_EPOCH.setVolatile(this, (long)LIMIT_EPOCH.getVolatile(this) + 1);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // AllocationCallbacks

    /**
     * {@inheritDoc}
     *
     * <p>Charges {@code size} bytes to this account and every ancestor first; returns 0 without
     * reaching the pool when a limit refuses it (counting a failure on that account), or when the pool
     * returns 0 (counting a pool failure here). Invalid arguments (a {@code null} scope, an alignment
     * that is not a power of two or above {@link #MAX_ALIGNMENT}, a size above {@link #MAX_SIZE}) return
     * 0 and are reported to the allocator's violation handler.
     */
    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (!validArguments(size, alignment, scope))
        {
            return reportInvalid(size, alignment, scope);
        }
        final int slot = ThreadSlots.current();
        return slot != ThreadSlots.SHARED ? allocateInSlot(slot, size, alignment, scope) : allocateShared(size, alignment, scope);
    }

    private long allocateShared(final long size, final long alignment, final SystemAllocationScope scope)
    {
        synchronized (allocator.sharedSlotLock())
        {
            return allocateInSlot(ThreadSlots.SHARED, size, alignment, scope);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Growth is charged (and may be refused by a limit, leaving {@code original} untouched), shrinking
     * credited; the block stays with the account and pool it came from, and moves to {@code scope}.
     * A pointer this tree did not hand out is reported as {@link Violation#REALLOC_NOT_ALLOCATED_PTR},
     * an alignment other than the block's (size above 0) as {@link Violation#REALLOC_DIFFERENT_ALIGNMENT};
     * both return 0 and leave the pointer alone.
     */
    @Override
    public long reallocate(
        final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (original == NULL)
        {
            return allocate(size, alignment, scope);
        }
        if (!validArguments(size, alignment, scope))
        {
            return reportInvalid(size, alignment, scope);
        }
        final int slot = ThreadSlots.current();
        if (slot != ThreadSlots.SHARED)
        {
            return reallocateInSlot(slot, original, size, alignment, scope);
        }
        synchronized (allocator.sharedSlotLock())
        {
            return reallocateInSlot(slot, original, size, alignment, scope);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The block goes back to the pool and accounts it came from, whichever account of the tree it is
     * freed through. A pointer this tree did not hand out (or already freed) is reported as
     * {@link Violation#FREE_NOT_ALLOCATED_PTR} and not passed on.
     */
    @Override
    public void free(final long memory)
    {
        if (memory == NULL)
        {
            return;
        }
        final int slot = ThreadSlots.current();
        if (slot != ThreadSlots.SHARED)
        {
            freeInSlot(slot, memory);
        }
        else
        {
            freeShared(memory);
        }
    }

    private void freeShared(final long memory)
    {
        synchronized (allocator.sharedSlotLock())
        {
            freeInSlot(ThreadSlots.SHARED, memory);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Adds {@code size} to this account's internal bytes (not charged to the budget: the driver has
     * already allocated it) and passes the notification on to the pool.
     */
    @Override
    public void internalAllocationNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        internal(size);
        pool.internalAllocationNotification(size, type, scope);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Subtracts {@code size} from this account's internal bytes and passes the notification on.
     */
    @Override
    public void internalFreeNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        internal(-size);
        pool.internalFreeNotification(size, type, scope);
    }

    /**
     * {@inheritDoc}
     *
     * @return the pool's traits, not real-time safe (a thread's first call on an account, and a slot's
     *         block table growing, allocate heap), alignment at most {@link #MAX_ALIGNMENT}, capacity at
     *         most the smallest limit from this account up to the root.
     */
    @Override
    public AllocatorTraits traits()
    {
        final AllocatorTraits poolTraits = pool.traits();
        long capacity = poolTraits.capacityBytes();
        for (final Account account : chain)
        {
            capacity = Math.min(capacity, account.limit);
        }
        return poolTraits
            .withRealtimeSafe(false)
            .withMaxAlignment(Math.min(poolTraits.maxAlignment(), MAX_ALIGNMENT))
            .withCapacityBytes(Math.max(1, capacity));
    }

    // ------------------------------------------------------------------------------------------------
    // Figures

    /**
     * This account's figures now, summed over all threads (exact when the threads using it are quiescent).
     *
     * @return a new snapshot.
     */
    public AccountSnapshot snapshot()
    {
        return AccountSnapshot.of(this);
    }

    /**
     * Bytes allocated through this account and its descendants and not yet freed.
     *
     * @return the sum over threads.
     */
    public long currentBytes()
    {
        long total = 0;
        for (int s = 0; s < SystemAllocationScope.COUNT; s++)
        {
            total += sum(SCOPE_BYTES + s);
        }
        return total;
    }

    /**
     * Live blocks allocated through this account and its descendants.
     *
     * @return the sum over threads.
     */
    public long liveBlocks()
    {
        long total = 0;
        for (int s = 0; s < SystemAllocationScope.COUNT; s++)
        {
            total -= sum(SCOPE_LEFT + s);
            for (int b = 0; b < AccountCellsDescriptor.BUCKETS; b++)
            {
                total += sum(AccountCellsDescriptor.HISTOGRAM + s * AccountCellsDescriptor.BUCKETS + b);
            }
        }
        return total;
    }

    /**
     * Budget the threads hold in reserve: reserved from {@link #chargedBytes()} but not in use.
     *
     * @return the sum over threads; {@code chargedBytes() == currentBytes() + stockBytes()} at quiescence.
     */
    long stockBytes()
    {
        return sum(RESERVED) - sum(SLOT_BYTES);
    }

    /**
     * Requests refused because they would have pushed this account past its limit.
     *
     * @return the count.
     */
    public long failures()
    {
        return (long)FAILURES.getVolatile(this);
    }

    /**
     * Requests within budget that the pool refused (returned 0).
     *
     * @return the count.
     */
    public long poolFailures()
    {
        return (long)POOL_FAILURES.getVolatile(this);
    }

    /**
     * Bytes reserved from this account's budget: those in use plus what threads hold in reserve.
     *
     * @return the charged total; equals {@link #currentBytes()} plus the threads' reserves.
     */
    long chargedBytes()
    {
        return (long)CHARGED.getVolatile(this);
    }

    /**
     * The highest {@link #chargedBytes()} so far: an upper bound of the peak.
     *
     * @return the high-water mark.
     */
    long chargedPeak()
    {
        return (long)CHARGED_PEAK.getVolatile(this);
    }

    /**
     * A figure summed over every thread slot.
     *
     * @param cell an {@link AccountCellsDescriptor} index.
     * @return the sum.
     */
    long sum(final int cell)
    {
        long total = 0;
        for (int slot = 0; slot < ThreadSlots.COUNT; slot++)
        {
            final long[] cells = (long[])CELLS.getAcquire(cellsBySlot, slot);
            if (null != cells)
            {
                total += (long)LONGS.getOpaque(cells, cell);
            }
        }
        return total;
    }

    int id()
    {
        return id;
    }

    @Override
    public String toString()
    {
        return "Account[" + path + ", limit " + limitText(limit) + "]";
    }

    // ------------------------------------------------------------------------------------------------
    // Hot paths: per level, one pass over the slot's cells; the charge is recorded before the pool
    // call and undone in the rare case the pool refuses.

    private long allocateInSlot(
        final int slot, final long size, final long alignment, final SystemAllocationScope scope)
    {
        final int scopeValue = scope.ordinal();
        final int bucket = AccountCellsDescriptor.histogram(scopeValue, size);
        final Account refusing = chargeAndRecord(slot, size, scopeValue, bucket);
        if (null != refusing)
        {
            refusing.limitHit(this, size, scope);
            return NULL;
        }
        final long headerLength = BlockHeaderDescriptor.headerLength(alignment);
        final long base = pool.allocate(size + headerLength, alignment, scope);
        if (base == NULL)
        {
            undoAllocation(slot, size, scopeValue, bucket);
            POOL_FAILURES.getAndAdd(this, 1L);
            return NULL;
        }
        final long memory = base + headerLength;
        if (!trackBlocks)
        {
            putLong(memory + SIZE_OFFSET, size); // tracked blocks keep their size in the table entry
            putLong(memory + LOCATOR_OFFSET, BlockHeaderDescriptor.untrackedLocator(memory, id, scopeValue, alignment));
            return memory;
        }
        final long site = captureSites ? captureSite(slot) : NO_SITE;
        final int index = table(slot).claim(memory, size, BlockEntryDescriptor.meta(id, scope, alignment), site);
        putLong(memory + LOCATOR_OFFSET, BlockHeaderDescriptor.locator(slot, index, id, scopeValue, alignment));
        return memory;
    }

    /**
     * Reserves {@code size} bytes of budget on every account of the chain and records the allocation.
     *
     * @return {@code null} when granted, else the account whose limit refused (nothing stays charged).
     */
    private Account chargeAndRecord(final int slot, final long size, final int scopeValue, final int bucket)
    {
        final Account[] chain = this.chain;
        for (int i = 0; i < chain.length; i++)
        {
            final Account account = chain[i];
            final long[] cells = account.cells(slot);
            if (!account.take(cells, size))
            {
                for (int j = 0; j < i; j++)
                {
                    final Account undo = chain[j];
                    final long[] undoCells = undo.cellsBySlot[slot];
                    unrecord(undoCells, scopeValue, size, bucket);
                    undo.release(undoCells, size);
                }
                return account;
            }
            add(cells, bucket, 1);
            grow(cells, scopeValue, size);
        }
        return null;
    }

    private void undoAllocation(final int slot, final long size, final int scopeValue, final int bucket)
    {
        for (final Account account : chain)
        {
            final long[] cells = account.cellsBySlot[slot];
            unrecord(cells, scopeValue, size, bucket);
            account.release(cells, size);
        }
    }

    /** Undoes {@link #grow} and the histogram count of an allocation that did not happen. */
    private static void unrecord(final long[] cells, final int scopeValue, final long size, final int bucket)
    {
        add(cells, bucket, -1);
        add(cells, SCOPE_BYTES + scopeValue, -size);
    }

    private long reallocateInSlot(
        final int slot, final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        final long locator = getLong(original + LOCATOR_OFFSET);
        final int index = BlockHeaderDescriptor.index(locator);
        final long[] chunk = holding(locator, original);
        if (null == chunk)
        {
            allocator.report(Violation.REALLOC_NOT_ALLOCATED_PTR, original, size, scope, "not handed out by " + allocator.name());
            return NULL;
        }
        final long oldSize = sizeOf(chunk, index, original);
        final long oldAlignment = BlockHeaderDescriptor.alignment(locator);
        if (size == 0)
        {
            freeBlock(slot, original, chunk, index, oldSize, locator);
            return NULL;
        }
        if (alignment != oldAlignment)
        {
            allocator.report(Violation.REALLOC_DIFFERENT_ALIGNMENT, original, size, scope,
                "allocated with alignment " + oldAlignment + ", reallocated with " + alignment);
            return NULL;
        }
        final Account owner = owner(BlockHeaderDescriptor.accountId(locator));
        final long growth = size - oldSize;
        if (growth > 0)
        {
            final Account refusing = owner.charge(slot, growth);
            if (null != refusing)
            {
                refusing.limitHit(owner, growth, scope);
                return NULL;
            }
        }
        final long headerLength = BlockHeaderDescriptor.headerLength(alignment);
        final long moved = owner.pool.reallocate(original - headerLength, size + headerLength, alignment, scope);
        if (moved == NULL)
        {
            if (growth > 0)
            {
                for (final Account account : owner.chain)
                {
                    account.release(account.cellsBySlot[slot], growth);
                }
            }
            POOL_FAILURES.getAndAdd(owner, 1L);
            return NULL;
        }
        final long memory = moved + headerLength;
        final int oldScopeValue = BlockHeaderDescriptor.scopeValue(locator);
        final int scopeValue = scope.ordinal();
        if (trackBlocks)
        {
            putLong(memory + LOCATOR_OFFSET, BlockHeaderDescriptor.locator(
                BlockHeaderDescriptor.slot(locator), index, owner.id, scopeValue, alignment));
            BlockTable.update(chunk, index, memory, size, BlockEntryDescriptor.meta(owner.id, scope, alignment));
        }
        else
        {
            putLong(memory + SIZE_OFFSET, size);
            putLong(memory + LOCATOR_OFFSET, BlockHeaderDescriptor.untrackedLocator(memory, owner.id, scopeValue, alignment));
        }
        for (final Account account : owner.chain)
        {
            final long[] cells = account.cells(slot);
            shrink(cells, oldScopeValue, oldSize);
            add(cells, SCOPE_LEFT + scopeValue, -1); // the block moved into scope (left none if the same)
            grow(cells, scopeValue, size);
            add(cells, REALLOCATIONS, 1);
            if (growth < 0)
            {
                account.release(cells, -growth);
            }
        }
        return memory;
    }

    private void freeInSlot(final int slot, final long memory)
    {
        final long locator = getLong(memory + LOCATOR_OFFSET);
        final int index = BlockHeaderDescriptor.index(locator);
        final long[] chunk = holding(locator, memory);
        if (null == chunk)
        {
            allocator.report(Violation.FREE_NOT_ALLOCATED_PTR, memory, 0, null,
                "not handed out by " + allocator.name() + ", or already freed");
            return;
        }
        freeBlock(slot, memory, chunk, index, sizeOf(chunk, index, memory), locator);
    }

    private void freeBlock(
        final int slot, final long memory, final long[] chunk, final int index, final long size, final long locator)
    {
        final Account owner = owner(BlockHeaderDescriptor.accountId(locator));
        final int scopeValue = BlockHeaderDescriptor.scopeValue(locator);
        if (chunk != UNTRACKED)
        {
            BlockTable.release(chunk, index); // before the pool may hand the address out again
        }
        else
        {
            putLong(memory + LOCATOR_OFFSET, BlockHeaderDescriptor.cleared(locator)); // a second free fails the check
        }
        owner.pool.free(memory - BlockHeaderDescriptor.headerLength(BlockHeaderDescriptor.alignment(locator)));
        for (final Account account : owner.chain)
        {
            final long[] cells = account.cells(slot);
            shrink(cells, scopeValue, size);
            account.release(cells, size);
        }
    }

    /**
     * Checks that {@code memory} is a live block of this tree.
     *
     * @return its table chunk; {@link #UNTRACKED} for a valid block when blocks are not tracked;
     *         {@code null} for a foreign or freed pointer.
     */
    private long[] holding(final long locator, final long memory)
    {
        if (!trackBlocks)
        {
            return BlockHeaderDescriptor.checks(locator, memory) &&
                BlockHeaderDescriptor.scopeValue(locator) < SystemAllocationScope.COUNT ? UNTRACKED : null;
        }
        final BlockTable table = tableOrNull(BlockHeaderDescriptor.slot(locator));
        return null == table ? null : table.chunkHolding(BlockHeaderDescriptor.index(locator), memory);
    }

    /** A live block's size: in its table entry when tracked, else in its header. */
    private static long sizeOf(final long[] chunk, final int index, final long memory)
    {
        return chunk != UNTRACKED ? BlockTable.size(chunk, index) : getLong(memory + SIZE_OFFSET);
    }

    /** The account a block belongs to: usually the one it is freed through. */
    private Account owner(final int accountId)
    {
        return accountId == id ? this : allocator.account(accountId);
    }

    /** The slot's block table, created by the slot's owner on its first allocation. */
    private BlockTable table(final int slot)
    {
        final BlockTable table = tables[slot];
        return null != table ? table : allocator.table(slot);
    }

    /** The table of a slot read from a block header (possibly garbage), or null. */
    private BlockTable tableOrNull(final int slot)
    {
        // Plain read: the table was published before any block of it was handed out.
        return slot < ThreadSlots.COUNT ? tables[slot] : null;
    }

    /**
     * Reserves {@code size} bytes of budget on every account of this one's chain (reallocation growth).
     *
     * @return {@code null} when granted, else the account whose limit refused (nothing stays reserved).
     */
    private Account charge(final int slot, final long size)
    {
        final Account[] chain = this.chain;
        for (int i = 0; i < chain.length; i++)
        {
            final Account account = chain[i];
            if (!account.take(account.cells(slot), size))
            {
                for (int j = 0; j < i; j++)
                {
                    chain[j].release(chain[j].cellsBySlot[slot], size);
                }
                return account;
            }
        }
        return null;
    }

    private long epoch()
    {
        return (long)LIMIT_EPOCH.getOpaque(this);
    }

    /**
     * Counts {@code size} more bytes in use by the slot, within its reserve (the hot path: compares,
     * writes only the slot's bytes and, on a new high, its peak).
     *
     * @return {@code false}, with nothing changed, when the limit refuses.
     */
    private boolean take(final long[] cells, final long size)
    {
        final long used = cell(cells, SLOT_BYTES) + size;
        if ((used > cell(cells, RESERVED) || cell(cells, STOCK_EPOCH) != epoch()) && !reserve(cells, used))
        {
            return false;
        }
        put(cells, SLOT_BYTES, used);
        if (used > cell(cells, SLOT_PEAK))
        {
            put(cells, SLOT_PEAK, used);
        }
        return true;
    }

    /**
     * Off the hot path: gives back a reserve taken under an older limit, then takes more budget from
     * the charged total so the slot's reserve covers {@code used}; false when the limit refuses.
     */
    private boolean reserve(final long[] cells, final long used)
    {
        long reserved = cell(cells, RESERVED);
        final long epoch = epoch();
        if (cell(cells, STOCK_EPOCH) != epoch)
        {
            final long inUse = cell(cells, SLOT_BYTES);
            put(cells, RESERVED, inUse);
            put(cells, STOCK_EPOCH, epoch);
            CHARGED.getAndAdd(this, -(reserved - inUse));
            reserved = inUse;
        }
        if (used <= reserved)
        {
            return true;
        }
        final long need = used - reserved;
        long charged;
        long grant;
        do
        {
            charged = (long)CHARGED.getVolatile(this);
            final long room = limit - charged;
            if (need > room)
            {
                return false;
            }
            grant = need + Math.min((long)BATCH.getOpaque(this), room - need);
        }
        while (!CHARGED.compareAndSet(this, charged, charged + grant));
        put(cells, RESERVED, reserved + grant);
        final long total = charged + grant;
        long peak;
        while (total > (peak = (long)CHARGED_PEAK.getVolatile(this)))
        {
            if (CHARGED_PEAK.compareAndSet(this, peak, total))
            {
                break;
            }
        }
        return true;
    }

    /**
     * Counts {@code size} fewer bytes in use by the slot (its stock grows by as much), and gives the
     * stock beyond the reserve limit back to the charged total.
     */
    private void release(final long[] cells, final long size)
    {
        final long used = cell(cells, SLOT_BYTES) - size;
        put(cells, SLOT_BYTES, used);
        final long stock = cell(cells, RESERVED) - used;
        final long batch = (long)BATCH.getOpaque(this);
        if (stock > STOCK_BATCHES * batch)
        {
            put(cells, RESERVED, used + batch);
            CHARGED.getAndAdd(this, -(stock - batch));
        }
    }

    private void limitHit(final Account requester, final long size, final SystemAllocationScope scope)
    {
        FAILURES.getAndAdd(this, 1L);
        AccountingEvents.limitExceeded(this, requester, size, scope);
    }

    private long captureSite(final int slot)
    {
        final long[] cells = cellsBySlot[slot];
        final long countdown = cell(cells, SITE_COUNTDOWN) - 1;
        if (countdown > 0)
        {
            put(cells, SITE_COUNTDOWN, countdown);
            return NO_SITE;
        }
        put(cells, SITE_COUNTDOWN, allocator.siteCapture().everyNth());
        return allocator.captureSite();
    }

    private void internal(final long delta)
    {
        final int slot = ThreadSlots.current();
        if (slot != ThreadSlots.SHARED)
        {
            add(cells(slot), INTERNAL_BYTES, delta);
            return;
        }
        synchronized (allocator.sharedSlotLock())
        {
            add(cells(slot), INTERNAL_BYTES, delta);
        }
    }

    private long[] cells(final int slot)
    {
        final long[] cells = cellsBySlot[slot];
        return null != cells ? cells : createCells(slot);
    }

    private long[] createCells(final int slot)
    {
        final long[] cells = new long[AccountCellsDescriptor.LENGTH];
        CELLS.setRelease(cellsBySlot, slot, cells);
        return cells;
    }

    /** Records a block of {@code size} bytes entering a scope (the slot's bytes are {@link #take}'s). */
    private static void grow(final long[] cells, final int scopeValue, final long size)
    {
        final long scopeBytes = cell(cells, SCOPE_BYTES + scopeValue) + size;
        put(cells, SCOPE_BYTES + scopeValue, scopeBytes);
        if (scopeBytes > cell(cells, SCOPE_PEAK + scopeValue))
        {
            put(cells, SCOPE_PEAK + scopeValue, scopeBytes);
        }
    }

    /** Records a block of {@code size} bytes leaving a scope (the slot's bytes are {@link #release}'s). */
    private static void shrink(final long[] cells, final int scopeValue, final long size)
    {
        add(cells, SCOPE_BYTES + scopeValue, -size);
        add(cells, SCOPE_LEFT + scopeValue, 1);
    }

    /**
     * Single-writer add: the slot's owner is the only writer, readers on other threads read opaque.
     * Cells are accessed by offset without bounds checks: every index used is a constant of
     * {@link AccountCellsDescriptor} (or a scope or bucket within its ranges) below its fixed LENGTH.
     */
    private static void add(final long[] cells, final int cell, final long delta)
    {
        final long offset = offset(cell);
        putLongOpaque(cells, offset, getLong(cells, offset) + delta);
    }

    private static void put(final long[] cells, final int cell, final long value)
    {
        putLongOpaque(cells, offset(cell), value);
    }

    /** The owner's own read of a cell (it wrote it, so a plain read sees the latest value). */
    private static long cell(final long[] cells, final int cell)
    {
        return getLong(cells, offset(cell));
    }

    private static long offset(final int cell)
    {
        return LONG_ARRAY_BASE + ((long)cell << LONG_SHIFT);
    }

    /** The fast check; {@link #reportInvalid} says what is wrong, off the hot path. */
    private static boolean validArguments(final long size, final long alignment, final SystemAllocationScope scope)
    {
        return null != scope && alignment > 0 && alignment <= MAX_ALIGNMENT && (alignment & (alignment - 1)) == 0 &&
            size >= 0 && size <= MAX_SIZE;
    }

    /** Reports the first invalid argument (scope, then alignment, then size) and returns 0. */
    private long reportInvalid(final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (null == scope)
        {
            allocator.report(Violation.INVALID_ALLOCATION_SCOPE, NULL, size, null, "scope is null");
        }
        else if (!Alignment.isPowerOfTwo(alignment) || alignment < 0 || alignment > MAX_ALIGNMENT)
        {
            allocator.report(Violation.INVALID_ALIGNMENT, NULL, size, scope,
                "alignment " + Long.toUnsignedString(alignment) + " (accounting accepts powers of two up to " +
                    MAX_ALIGNMENT + ")");
        }
        else
        {
            allocator.report(Violation.INVALID_SIZE, NULL, size, scope, "accounting accepts sizes up to " + MAX_SIZE);
        }
        return NULL;
    }

    // ------------------------------------------------------------------------------------------------
    // Helpers

    static String[] splitPath(final String path)
    {
        if (path.isEmpty())
        {
            throw new IllegalArgumentException("empty account path");
        }
        final String[] names = path.split(String.valueOf(PATH_SEPARATOR), -1);
        for (final String n : names)
        {
            checkName(n, path);
        }
        return names;
    }

    static void checkName(final String name, final String context)
    {
        boolean valid = !name.isEmpty() && Character.isLetterOrDigit(name.charAt(0)) && name.charAt(0) < 128;
        for (int i = 1; valid && i < name.length(); i++)
        {
            final char c = name.charAt(i);
            valid = c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.');
        }
        if (!valid)
        {
            throw new IllegalArgumentException("invalid account name '" + name + "' in '" + context +
                "': a name starts with an ASCII letter or digit and contains only letters, digits, '-', '_' and '.'" +
                "; '" + PATH_SEPARATOR + "' separates names");
        }
    }

    private static void checkLimit(final long limitBytes)
    {
        if (limitBytes < 0)
        {
            throw new IllegalArgumentException("an account limit must be at least 0 bytes: " + limitBytes);
        }
    }

    static String limitText(final long limit)
    {
        return limit == UNLIMITED ? "unlimited" : limit + " bytes";
    }

    /**
     * The accounts of the subtree rooted here, depth first, parents before children.
     *
     * @return a new list.
     */
    List<Account> subtree()
    {
        final List<Account> result = new ArrayList<>();
        synchronized (allocator.structureLock())
        {
            collect(this, result);
        }
        return Collections.unmodifiableList(result);
    }

    private static void collect(final Account account, final List<Account> into)
    {
        into.add(account);
        for (final Account child : account.children.values())
        {
            collect(child, into);
        }
    }
}
