package dev.hostalloc.accounting;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;

import java.io.PrintStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The accounting decorator (spec element {@code accounting}, e.g. {@code accounting:limit=256m}): a tree
 * of {@link Account}s over a delegate allocator, cgroup-like for host memory. The allocator itself is the
 * root account's callbacks; {@code root().child("renderer/textures", limit)} gives the callbacks of a
 * component with a budget of its own, charged to every ancestor as well.
 *
 * <p>What it offers, beyond {@link Account}'s budgets and figures:
 * <ul>
 *   <li>{@link #snapshot()}: every account's figures, as a versioned JSON document
 *       ({@link AccountingSnapshot#toJson()}, schema {@code docs/schema/accounting-snapshot-v1.json}) or a
 *       plain-text table ({@link AccountingSnapshot#toTable()}).</li>
 *   <li>{@link #leakReport()}: the live blocks now, grouped by account and scope, with sizes, and the
 *       allocating Java frame when {@link SiteCapture} is on. {@link #close()} hands the report to the
 *       close listener (by default printed to standard error when blocks are still live).</li>
 *   <li>Live counters another process can watch ({@link AccountingCounters}, {@code hostalloc stat}):
 *       with {@code -Dhostalloc.counters=/path} every accounting allocator of the JVM exports there.</li>
 *   <li>JDK Flight Recorder events ({@link AccountingEvents}): a periodic snapshot per account, and one
 *       event per refused request.</li>
 * </ul>
 *
 * <p>Thread-safe when the delegate is; see {@link Account} for the hot-path guarantees.
 */
public final class AccountingAllocator implements AllocationCallbacks, AutoCloseable
{
    /** The root account's name when none is given. */
    public static final String DEFAULT_NAME = "root";

    private static final VarHandle TABLES = MethodHandles.arrayElementVarHandle(BlockTable[].class);
    private static final AtomicLong SERIALS = new AtomicLong();
    private static final CopyOnWriteArrayList<WeakReference<AccountingAllocator>> LIVE = new CopyOnWriteArrayList<>();

    private final long serial = SERIALS.incrementAndGet();
    private final String name;
    private final ViolationHandler violationHandler;
    private final SiteCapture siteCapture;
    private final boolean trackBlocks;
    private final Consumer<LeakReport> closeListener;
    private final Object structureLock = new Object();
    private final Object sharedSlotLock = new Object();
    private final BlockTable[] tables = new BlockTable[ThreadSlots.COUNT];
    private final SiteRegistry sites = new SiteRegistry();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CopyOnWriteArrayList<AccountingCounters> exporters = new CopyOnWriteArrayList<>();
    private final Instant createdAt = Instant.now();
    private volatile Account[] accounts = new Account[0];
    private final Account root;

    /**
     * An allocator with an unlimited root account named {@value #DEFAULT_NAME}, reporting violations to a
     * new recording handler, no site capture.
     *
     * @param delegate the pool every account allocates from unless given its own.
     * @throws NullPointerException when {@code delegate} is {@code null}.
     */
    public AccountingAllocator(final AllocationCallbacks delegate)
    {
        this(builder(delegate));
    }

    private AccountingAllocator(final Builder builder)
    {
        Objects.requireNonNull(builder.delegate, "delegate");
        this.name = builder.name;
        this.violationHandler = null != builder.violationHandler ? builder.violationHandler : ViolationHandler.recordAndCount();
        this.siteCapture = builder.siteCapture;
        this.trackBlocks = builder.trackBlocks;
        if (!trackBlocks && siteCapture.enabled())
        {
            throw new IllegalArgumentException("allocation sites are kept with the tracked blocks: site capture needs block tracking");
        }
        this.closeListener = builder.closeListener;
        synchronized (structureLock)
        {
            root = newAccount(null, builder.name, builder.limit, builder.delegate);
        }
        LIVE.add(new WeakReference<>(this));
        AccountingEvents.ensureRegistered();
        if (builder.exportToConfiguredCounters)
        {
            AccountingCounters.configured().ifPresent(counters -> counters.register(this));
        }
    }

    /**
     * Starts building an allocator over {@code delegate}.
     *
     * @param delegate the pool every account allocates from unless given its own.
     * @return a builder with the defaults of {@link #AccountingAllocator(AllocationCallbacks)}.
     * @throws NullPointerException when {@code delegate} is {@code null}.
     */
    public static Builder builder(final AllocationCallbacks delegate)
    {
        return new Builder(Objects.requireNonNull(delegate, "delegate"));
    }

    /**
     * The allocators of this JVM not yet closed (nor collected), in creation order.
     *
     * @return a new list.
     */
    public static List<AccountingAllocator> live()
    {
        final List<AccountingAllocator> result = new ArrayList<>();
        for (final WeakReference<AccountingAllocator> ref : LIVE)
        {
            final AccountingAllocator allocator = ref.get();
            if (null == allocator)
            {
                LIVE.remove(ref);
            }
            else if (!allocator.isClosed())
            {
                result.add(allocator);
            }
        }
        return result;
    }

    /**
     * The first open allocator of this JVM whose root account has this name: how code that built its
     * allocators from a spec string ({@code accounting:name=vulkan,...}) reaches their accounts.
     *
     * @param name the root account's name.
     * @return the allocator, or empty.
     */
    public static Optional<AccountingAllocator> named(final String name)
    {
        for (final AccountingAllocator allocator : live())
        {
            if (allocator.name.equals(name))
            {
                return Optional.of(allocator);
            }
        }
        return Optional.empty();
    }

    /**
     * The root account's name.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The root account, which wraps the delegate.
     *
     * @return the root.
     */
    public Account root()
    {
        return root;
    }

    /**
     * The account at {@code path}, which starts with the root's name, e.g. {@code vulkan/renderer}.
     *
     * @param path a full account path.
     * @return the account, or empty.
     * @throws IllegalArgumentException when the path is malformed.
     */
    public Optional<Account> find(final String path)
    {
        Objects.requireNonNull(path, "path");
        if (path.equals(name))
        {
            return Optional.of(root);
        }
        final String prefix = name + Account.PATH_SEPARATOR;
        return path.startsWith(prefix) ? root.find(path.substring(prefix.length())) : Optional.empty();
    }

    /**
     * Every account, depth first: each parent before its children, children in creation order.
     *
     * @return an unmodifiable list.
     */
    public List<Account> accounts()
    {
        return root.subtree();
    }

    /**
     * Whether every live block is tracked ({@link Builder#trackBlocks(boolean)}).
     *
     * @return {@code true} unless built in the lean mode.
     */
    public boolean tracksBlocks()
    {
        return trackBlocks;
    }

    /**
     * Where violations are reported.
     *
     * @return the handler.
     */
    public ViolationHandler violationHandler()
    {
        return violationHandler;
    }

    /**
     * Whether and how often allocation sites are captured.
     *
     * @return the setting.
     */
    public SiteCapture siteCapture()
    {
        return siteCapture;
    }

    /**
     * Every account's figures now (exact when the threads using the allocator are quiescent).
     *
     * @return a new snapshot.
     */
    public AccountingSnapshot snapshot()
    {
        final List<AccountSnapshot> figures = new ArrayList<>();
        for (final Account account : accounts())
        {
            figures.add(account.snapshot());
        }
        return new AccountingSnapshot(AccountingSnapshot.VERSION, name, Instant.now(), figures);
    }

    /**
     * The blocks live now, grouped by account and scope (exact when the threads using the allocator are
     * quiescent). Allocates; does not disturb the hot paths.
     *
     * @return the report; {@link LeakReport#isEmpty()} when nothing is live.
     */
    public LeakReport leakReport()
    {
        if (!trackBlocks)
        {
            return new LeakReport(name, List.of(), untrackedSummaries());
        }
        final List<LeakReport.Block> blocks = new ArrayList<>();
        final Account[] byId = accounts;
        for (int slot = 0; slot < ThreadSlots.COUNT; slot++)
        {
            final BlockTable table = tableOrNull(slot);
            if (null != table)
            {
                table.forEachLive((address, size, meta, site) ->
                {
                    final int id = BlockEntryDescriptor.accountId(meta);
                    final String path = id < byId.length ? byId[id].path() : "?";
                    blocks.add(new LeakReport.Block(path, BlockEntryDescriptor.scope(meta), address, size,
                        BlockEntryDescriptor.alignment(meta), sites.site(site)));
                });
            }
        }
        return new LeakReport(name, blocks, List.of());
    }

    /** Live blocks per account (its own, not its descendants') and scope, from the counters. */
    private List<LeakReport.Summary> untrackedSummaries()
    {
        final List<LeakReport.Summary> summaries = new ArrayList<>();
        for (final Account account : accounts())
        {
            final AccountSnapshot figures = account.snapshot();
            for (final ScopeFigures scope : figures.scopes())
            {
                long blocks = scope.liveBlocks();
                long bytes = scope.currentBytes();
                for (final Account child : account.children())
                {
                    final ScopeFigures childScope = child.snapshot().scope(scope.scope());
                    blocks -= childScope.liveBlocks();
                    bytes -= childScope.currentBytes();
                }
                if (blocks != 0)
                {
                    summaries.add(new LeakReport.Summary(account.path(), scope.scope(), blocks, bytes));
                }
            }
        }
        return summaries;
    }

    /**
     * Exports this allocator's figures to {@code counters} too (it may already export to the counters of
     * {@code -Dhostalloc.counters}).
     *
     * @param counters the exporter.
     * @throws IllegalStateException when this allocator is closed or {@code counters} is.
     */
    public void exportTo(final AccountingCounters counters)
    {
        Objects.requireNonNull(counters, "counters").register(this);
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once closed.
     */
    public boolean isClosed()
    {
        return closed.get();
    }

    /**
     * Ends reporting: stops exporting counters and JFR snapshots and hands the {@link #leakReport()} to
     * the close listener (by default printed to standard error when blocks are still live). Blocks are
     * not freed, and the callbacks keep working (a driver may still free through them). Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        for (final AccountingCounters counters : exporters)
        {
            counters.unregister(this);
        }
        LIVE.removeIf(ref -> ref.get() == this || null == ref.get());
        closeListener.accept(leakReport());
    }

    /** {@inheritDoc} Charges the root account: see {@link Account#allocate}. */
    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        return root.allocate(size, alignment, scope);
    }

    /** {@inheritDoc} See {@link Account#reallocate}. */
    @Override
    public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        return root.reallocate(original, size, alignment, scope);
    }

    /** {@inheritDoc} See {@link Account#free}. */
    @Override
    public void free(final long memory)
    {
        root.free(memory);
    }

    /** {@inheritDoc} See {@link Account#internalAllocationNotification}. */
    @Override
    public void internalAllocationNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        root.internalAllocationNotification(size, type, scope);
    }

    /** {@inheritDoc} See {@link Account#internalFreeNotification}. */
    @Override
    public void internalFreeNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        root.internalFreeNotification(size, type, scope);
    }

    /** {@inheritDoc} See {@link Account#traits()}. */
    @Override
    public AllocatorTraits traits()
    {
        return root.traits();
    }

    @Override
    public String toString()
    {
        return "AccountingAllocator[" + name + ", " + accounts.length + " accounts, limit " +
            Account.limitText(root.limit()) + "]";
    }

    // ------------------------------------------------------------------------------------------------
    // Internal

    long serial()
    {
        return serial;
    }

    Instant createdAt()
    {
        return createdAt;
    }

    Object structureLock()
    {
        return structureLock;
    }

    Object sharedSlotLock()
    {
        return sharedSlotLock;
    }

    void addExporter(final AccountingCounters counters)
    {
        exporters.addIfAbsent(counters);
    }

    void removeExporter(final AccountingCounters counters)
    {
        exporters.remove(counters);
    }

    /** Creates and registers an account; caller holds the structure lock. */
    Account newAccount(final Account parent, final String accountName, final long limit, final AllocationCallbacks pool)
    {
        Account.checkName(accountName, accountName);
        final Account[] current = accounts;
        if (current.length >= BlockHeaderDescriptor.MAX_ACCOUNTS)
        {
            throw new IllegalStateException("an accounting allocator holds at most " + BlockHeaderDescriptor.MAX_ACCOUNTS + " accounts");
        }
        final Account account = new Account(this, parent, current.length, accountName, limit, pool);
        final Account[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = account;
        accounts = grown;
        return account;
    }

    Account account(final int id)
    {
        return accounts[id];
    }

    /** The slot's table, created by the slot's owner on its first allocation. */
    BlockTable table(final int slot)
    {
        final BlockTable table = tables[slot];
        if (null != table)
        {
            return table;
        }
        final BlockTable created = new BlockTable(siteCapture.enabled());
        TABLES.setRelease(tables, slot, created);
        return created;
    }

    BlockTable[] tables()
    {
        return tables;
    }

    /** The table of a slot read from a block header (possibly garbage), or null. */
    BlockTable tableOrNull(final int slot)
    {
        return slot >= 0 && slot < ThreadSlots.COUNT ? (BlockTable)TABLES.getAcquire(tables, slot) : null;
    }

    long captureSite()
    {
        return sites.capture();
    }

    void report(
        final Violation violation, final long address, final long size, final SystemAllocationScope scope, final String detail)
    {
        violationHandler.onViolation(violation, address, size, scope, detail);
    }

    /** Builds an {@link AccountingAllocator}. Not thread-safe. */
    public static final class Builder
    {
        private final AllocationCallbacks delegate;
        private String name = DEFAULT_NAME;
        private long limit = Account.UNLIMITED;
        private ViolationHandler violationHandler;
        private SiteCapture siteCapture = SiteCapture.OFF;
        private Consumer<LeakReport> closeListener = Builder::printLeaks;
        private boolean exportToConfiguredCounters = true;
        private boolean trackBlocks = true;

        private Builder(final AllocationCallbacks delegate)
        {
            this.delegate = delegate;
        }

        /**
         * Names the root account (default {@value AccountingAllocator#DEFAULT_NAME}); labels, counters
         * and events carry it.
         *
         * @param name an ASCII letter or digit followed by letters, digits, {@code '-'}, {@code '_'} or
         *             {@code '.'}.
         * @return this builder.
         * @throws IllegalArgumentException when the name is invalid.
         */
        public Builder name(final String name)
        {
            Account.checkName(Objects.requireNonNull(name, "name"), name);
            this.name = name;
            return this;
        }

        /**
         * The root account's budget (default {@link Account#UNLIMITED}).
         *
         * @param limitBytes at least 0, or {@link Account#UNLIMITED}.
         * @return this builder.
         * @throws IllegalArgumentException when negative.
         */
        public Builder limit(final long limitBytes)
        {
            if (limitBytes < 0)
            {
                throw new IllegalArgumentException("an account limit must be at least 0 bytes: " + limitBytes);
            }
            this.limit = limitBytes;
            return this;
        }

        /**
         * Where violations (foreign pointers, bad arguments) are reported (default: a new
         * {@link ViolationHandler#recordAndCount()}). Wrap it in {@link JfrViolationHandler} to see them in
         * Flight Recorder.
         *
         * @param handler a thread-safe handler.
         * @return this builder.
         */
        public Builder violationHandler(final ViolationHandler handler)
        {
            this.violationHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Whether and how often allocation sites are captured (default {@link SiteCapture#OFF}).
         *
         * @param capture the setting.
         * @return this builder.
         */
        public Builder siteCapture(final SiteCapture capture)
        {
            this.siteCapture = Objects.requireNonNull(capture, "capture");
            return this;
        }

        /**
         * What {@link AccountingAllocator#close()} does with the leak report (default: print it to
         * standard error unless it is empty).
         *
         * @param listener told once, with the report (possibly empty).
         * @return this builder.
         */
        public Builder onClose(final Consumer<LeakReport> listener)
        {
            this.closeListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Whether every live block is tracked (default {@code true}): a table per thread lists them, so
         * {@link AccountingAllocator#leakReport()} can name each leaked block (address, size, alignment,
         * site) and a foreign or freed pointer is recognized by its missing entry. {@code false} is the
         * lean mode for hot production paths: about half the overhead (no table entry per block), leak
         * reports give counts and bytes per account and scope only, no site capture, and foreign or
         * double frees are recognized by a check in the block header instead (caught unless the memory
         * was reused in between).
         *
         * @param track {@code false} for the lean mode.
         * @return this builder.
         */
        public Builder trackBlocks(final boolean track)
        {
            this.trackBlocks = track;
            return this;
        }

        /**
         * Whether the allocator exports to the counters file named by {@code -Dhostalloc.counters}
         * (default {@code true}; nothing happens when the property is not set).
         *
         * @param export {@code false} to keep this allocator out of that file.
         * @return this builder.
         */
        public Builder exportToConfiguredCounters(final boolean export)
        {
            this.exportToConfiguredCounters = export;
            return this;
        }

        /**
         * Builds the allocator.
         *
         * @return the allocator.
         */
        public AccountingAllocator build()
        {
            return new AccountingAllocator(this);
        }

        private static void printLeaks(final LeakReport report)
        {
            if (!report.isEmpty())
            {
                final PrintStream err = System.err;
                err.print(report.text());
                err.flush();
            }
        }
    }
}
