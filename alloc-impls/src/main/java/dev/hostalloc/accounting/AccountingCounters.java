package dev.hostalloc.accounting;

import dev.hostalloc.api.SystemAllocationScope;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.ConcurrentCountersManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Exports the figures of {@link AccountingAllocator}s as Agrona counters in a memory-mapped file that
 * another process reads live ({@code hostalloc stat <file>}, or {@link AccountingCountersReader}), the
 * way Aeron exposes its counters. One counter per {@link AccountFigure} per account (per scope for the
 * scoped figures), labelled {@code "<account path>: <figure>[ <SCOPE>]"}; layout in
 * {@link CountersFileDescriptor}.
 *
 * <p>A daemon thread publishes every interval (and {@link #publishNow()} on demand): it sums each
 * account's per-thread counters and stores the results, so the allocation hot paths never touch the
 * file. Accounts created later get counters at the next publication; when the file is full, further
 * accounts are counted in the header's {@code DROPPED} field instead. Other components export single
 * values into the same file with {@link #export(String, LongSupplier)} (the logging allocator's records
 * written and dropped), read the same way at every publication.
 *
 * <p>{@code -Dhostalloc.counters=/path} makes one exporter for the JVM ({@link #configured()}), which
 * every accounting allocator joins when built (unless told not to), closed by a shutdown hook.
 * {@link #close()} deletes the file: a reader takes its disappearance as the writer having finished.
 * Thread-safe.
 */
public final class AccountingCounters implements AutoCloseable
{
    /** The system property naming the JVM-wide counters file. */
    public static final String PROPERTY = "hostalloc.counters";

    /** Counters a file holds unless told otherwise: room for 186 accounts. */
    public static final int DEFAULT_MAX_COUNTERS = 4096;

    /** How often figures are published unless told otherwise. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(200);

    private static final int SCOPES = SystemAllocationScope.COUNT;
    private static final int[] NOT_EXPORTED = new int[0];
    private static final Object CONFIGURED_LOCK = new Object();
    private static volatile Optional<AccountingCounters> configured;

    private final Path file;
    private final Duration interval;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final ConcurrentCountersManager counters;
    private final Map<AccountingAllocator, Map<Account, int[]>> exported = new LinkedHashMap<>(); // guarded by this
    private final Thread publisher;
    private volatile boolean closed;
    private final List<ExportedCounter> exportedCounters = new ArrayList<>(); // guarded by this
    private long exportedSerial; // guarded by this
    private long droppedAccounts; // guarded by this

    private AccountingCounters(final Path file, final int maxCounters, final Duration interval) throws IOException
    {
        this.file = file;
        this.interval = interval;
        final int metadataLength = CountersFileDescriptor.metadataLength(maxCounters);
        final int valuesLength = CountersFileDescriptor.valuesLength(maxCounters);
        final long length = CountersFileDescriptor.fileLength(metadataLength, valuesLength);
        final Path parent = file.toAbsolutePath().getParent();
        if (null != parent)
        {
            Files.createDirectories(parent);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
        header = new UnsafeBuffer(mapped, 0, CountersFileDescriptor.HEADER_LENGTH);
        final UnsafeBuffer metadata = new UnsafeBuffer(mapped, CountersFileDescriptor.metadataOffset(), metadataLength);
        final UnsafeBuffer values = new UnsafeBuffer(mapped, CountersFileDescriptor.valuesOffset(metadataLength), valuesLength);
        counters = new ConcurrentCountersManager(metadata, values);

        final long now = System.currentTimeMillis();
        header.putInt(CountersFileDescriptor.VERSION_OFFSET, CountersFileDescriptor.VERSION);
        header.putInt(CountersFileDescriptor.HEADER_LENGTH_OFFSET, CountersFileDescriptor.HEADER_LENGTH);
        header.putInt(CountersFileDescriptor.METADATA_LENGTH_OFFSET, metadataLength);
        header.putInt(CountersFileDescriptor.VALUES_LENGTH_OFFSET, valuesLength);
        header.putLong(CountersFileDescriptor.PID_OFFSET, ProcessHandle.current().pid());
        header.putLong(CountersFileDescriptor.START_OFFSET, now);
        header.putLong(CountersFileDescriptor.INTERVAL_OFFSET, interval.toMillis());
        header.putLongRelease(CountersFileDescriptor.HEARTBEAT_OFFSET, now);
        header.putIntRelease(CountersFileDescriptor.MAGIC_OFFSET, CountersFileDescriptor.MAGIC); // last: the file is ready

        publisher = Thread.ofPlatform().daemon().name("hostalloc-counters").unstarted(this::run);
        publisher.start();
    }

    /**
     * Creates (or overwrites) a counters file with the default size and interval.
     *
     * @param file where to write; parent directories are created.
     * @return the exporter; publish by registering allocators.
     * @throws UncheckedIOException when the file cannot be created or mapped.
     */
    public static AccountingCounters create(final Path file)
    {
        return create(file, DEFAULT_MAX_COUNTERS, DEFAULT_INTERVAL);
    }

    /**
     * Creates (or overwrites) a counters file.
     *
     * @param file        where to write; parent directories are created.
     * @param maxCounters how many counters the file holds (22 per account), at least 1.
     * @param interval    how often to publish, at least 1 ms.
     * @return the exporter.
     * @throws IllegalArgumentException when {@code maxCounters} or {@code interval} is out of range.
     * @throws UncheckedIOException     when the file cannot be created or mapped.
     */
    public static AccountingCounters create(final Path file, final int maxCounters, final Duration interval)
    {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(interval, "interval");
        if (maxCounters < 1 || maxCounters > Integer.MAX_VALUE / org.agrona.concurrent.status.CountersReader.METADATA_LENGTH)
        {
            throw new IllegalArgumentException("maxCounters out of range: " + maxCounters);
        }
        if (interval.toMillis() < 1)
        {
            throw new IllegalArgumentException("the publication interval must be at least 1 ms: " + interval);
        }
        try
        {
            return new AccountingCounters(file, maxCounters, interval);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create the accounting counters file " + file + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The JVM-wide exporter named by {@code -Dhostalloc.counters=/path}, created on first use and closed
     * (its file deleted) when the JVM shuts down.
     *
     * @return the exporter, or empty when the property is not set or blank.
     * @throws UncheckedIOException when the file cannot be created.
     */
    public static Optional<AccountingCounters> configured()
    {
        Optional<AccountingCounters> result = configured;
        if (null != result)
        {
            return result;
        }
        synchronized (CONFIGURED_LOCK)
        {
            if (null == configured)
            {
                final String path = System.getProperty(PROPERTY);
                if (null == path || path.isBlank())
                {
                    configured = Optional.empty();
                }
                else
                {
                    final AccountingCounters counters = create(Path.of(path.trim()));
                    Runtime.getRuntime().addShutdownHook(
                        Thread.ofPlatform().name("hostalloc-counters-close").unstarted(counters::close));
                    configured = Optional.of(counters);
                }
            }
            return configured;
        }
    }

    /**
     * The file written.
     *
     * @return its path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * How often figures are published.
     *
     * @return the interval.
     */
    public Duration interval()
    {
        return interval;
    }

    /**
     * Starts exporting an allocator's accounts (from the next publication on). Registering twice is
     * harmless.
     *
     * @param allocator an open allocator.
     * @throws IllegalStateException when this exporter or the allocator is closed.
     */
    public void register(final AccountingAllocator allocator)
    {
        Objects.requireNonNull(allocator, "allocator");
        synchronized (this)
        {
            if (closed)
            {
                throw new IllegalStateException("the accounting counters file " + file + " is closed");
            }
            if (allocator.isClosed())
            {
                throw new IllegalStateException(allocator + " is closed");
            }
            exported.putIfAbsent(allocator, new LinkedHashMap<>());
            allocator.addExporter(this);
        }
    }

    /**
     * Stops exporting an allocator: its counters are freed, so readers stop showing it.
     *
     * @param allocator a registered allocator; others are ignored.
     */
    public void unregister(final AccountingAllocator allocator)
    {
        synchronized (this)
        {
            final Map<Account, int[]> ids = exported.remove(allocator);
            allocator.removeExporter(this);
            if (null != ids && !closed)
            {
                for (final int[] accountIds : ids.values())
                {
                    for (final int id : accountIds)
                    {
                        counters.free(id);
                    }
                }
            }
        }
    }

    /**
     * Exports a value of another component (e.g. a logging allocator's overrun count) next to the
     * accounts, from the next publication on: at every publication {@code source} is read on the
     * publisher's thread and stored under {@code label} (type id
     * {@link CountersFileDescriptor#EXPORTED_COUNTER_TYPE_ID}). {@code hostalloc stat} shows it below the
     * accounts.
     *
     * @param label  what readers show, e.g. {@code "logging app.trace: records dropped"}; at most
     *               Agrona's label length (longer is cut).
     * @param source read at every publication; must be thread-safe and cheap, and must not throw.
     * @return the export; close it to stop exporting and free the counter.
     * @throws NullPointerException  when an argument is {@code null}.
     * @throws IllegalStateException when this exporter is closed.
     */
    public ExportedCounter export(final String label, final LongSupplier source)
    {
        final ExportedCounter counter = new ExportedCounter(this, label, source);
        synchronized (this)
        {
            if (closed)
            {
                throw new IllegalStateException("the accounting counters file " + file + " is closed");
            }
            exportedCounters.add(counter);
        }
        return counter;
    }

    /** Stops exporting a counter and frees it; see {@link ExportedCounter#close()}. */
    synchronized void remove(final ExportedCounter counter)
    {
        if (counter.isClosed())
        {
            return;
        }
        counter.markClosed();
        exportedCounters.remove(counter);
        if (!closed && counter.counterId() != CountersFileDescriptor.NO_COUNTER)
        {
            counters.free(counter.counterId());
        }
    }

    /**
     * Publishes every registered allocator's figures (and every {@link #export exported counter}) now,
     * on the calling thread.
     */
    public synchronized void publishNow()
    {
        if (closed)
        {
            return;
        }
        publishExportedCounters();
        final List<AccountingAllocator> gone = new ArrayList<>();
        for (final Map.Entry<AccountingAllocator, Map<Account, int[]>> entry : exported.entrySet())
        {
            final AccountingAllocator allocator = entry.getKey();
            if (allocator.isClosed())
            {
                gone.add(allocator);
                continue;
            }
            for (final Account account : allocator.accounts())
            {
                int[] ids = entry.getValue().get(account);
                if (null == ids)
                {
                    ids = allocateCounters(allocator, account);
                    entry.getValue().put(account, ids);
                }
                if (ids.length != 0)
                {
                    write(ids, account.snapshot());
                }
            }
        }
        for (final AccountingAllocator allocator : gone)
        {
            unregister(allocator);
        }
        header.putLong(CountersFileDescriptor.DROPPED_OFFSET, droppedAccounts);
        header.putLongRelease(CountersFileDescriptor.HEARTBEAT_OFFSET, System.currentTimeMillis());
    }

    private void publishExportedCounters()
    {
        for (final ExportedCounter counter : exportedCounters)
        {
            int id = counter.counterId();
            if (id == CountersFileDescriptor.NO_COUNTER)
            {
                final long serial = ++exportedSerial;
                try
                {
                    id = counters.allocate(counter.label(), CountersFileDescriptor.EXPORTED_COUNTER_TYPE_ID,
                        key -> key.putLong(CountersFileDescriptor.KEY_ALLOCATOR_OFFSET, serial));
                }
                catch (final IllegalStateException full)
                {
                    droppedAccounts++;
                    counter.markClosed(); // counted once, not at every publication
                    continue;
                }
                counter.counterId(id);
            }
            counters.setCounterValue(id, counter.source().getAsLong());
        }
        exportedCounters.removeIf(ExportedCounter::isClosed);
    }

    /** Allocates an account's counters, or returns {@link #NOT_EXPORTED} (counted as dropped) when the file is full. */
    private int[] allocateCounters(final AccountingAllocator allocator, final Account account)
    {
        final AccountFigure[] figures = AccountFigure.values();
        final int[] ids = new int[countersPerAccount()];
        int n = 0;
        try
        {
            for (final AccountFigure figure : figures)
            {
                if (figure.perScope())
                {
                    for (final SystemAllocationScope scope : SystemAllocationScope.values())
                    {
                        final int id = allocate(allocator, account, figure, scope.ordinal(), " " + scope.name());
                        ids[n++] = id; // not ids[n++] = allocate(...): n must not move when allocate throws
                    }
                }
                else
                {
                    final int id = allocate(allocator, account, figure, CountersFileDescriptor.NO_SCOPE, "");
                    ids[n++] = id;
                }
            }
            return ids;
        }
        catch (final IllegalStateException full)
        {
            for (int i = 0; i < n; i++)
            {
                counters.free(ids[i]);
            }
            droppedAccounts++;
            return NOT_EXPORTED;
        }
    }

    private int allocate(
        final AccountingAllocator allocator, final Account account, final AccountFigure figure, final int scope, final String suffix)
    {
        final String label = account.path() + CountersFileDescriptor.LABEL_SEPARATOR + figure.label() + suffix;
        return counters.allocate(label, figure.typeId(), key ->
        {
            key.putLong(CountersFileDescriptor.KEY_ALLOCATOR_OFFSET, allocator.serial());
            key.putInt(CountersFileDescriptor.KEY_ACCOUNT_OFFSET, account.id());
            key.putInt(CountersFileDescriptor.KEY_SCOPE_OFFSET, scope);
            key.putInt(CountersFileDescriptor.KEY_DEPTH_OFFSET, account.depth());
        });
    }

    private void write(final int[] ids, final AccountSnapshot figures)
    {
        int n = 0;
        for (final AccountFigure figure : AccountFigure.values())
        {
            if (figure.perScope())
            {
                for (final ScopeFigures scope : figures.scopes())
                {
                    counters.setCounterValue(ids[n++], switch (figure)
                    {
                        case SCOPE_CURRENT_BYTES -> scope.currentBytes();
                        case SCOPE_PEAK_BYTES -> scope.peakBytes();
                        default -> scope.liveBlocks();
                    });
                }
            }
            else
            {
                counters.setCounterValue(ids[n++], switch (figure)
                {
                    case CURRENT_BYTES -> figures.currentBytes();
                    case PEAK_BYTES -> figures.peakBytes();
                    case LIMIT_BYTES -> figures.limited() ? figures.limitBytes() : CountersFileDescriptor.UNLIMITED;
                    case LIVE_BLOCKS -> figures.liveBlocks();
                    case ALLOCATIONS -> figures.allocations();
                    case FAILURES -> figures.failures();
                    default -> figures.poolFailures();
                });
            }
        }
    }

    /**
     * Counters each account takes.
     *
     * @return the whole-account figures plus the scoped ones times the scopes.
     */
    public static int countersPerAccount()
    {
        int count = 0;
        for (final AccountFigure figure : AccountFigure.values())
        {
            count += figure.perScope() ? SCOPES : 1;
        }
        return count;
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

    /**
     * Publishes a last time, stops the publisher, deletes the file and unmaps it. Readers see the file
     * go away. Idempotent.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            publishNow();
            closed = true;
            for (final AccountingAllocator allocator : exported.keySet())
            {
                allocator.removeExporter(this);
            }
            exported.clear();
            for (final ExportedCounter counter : exportedCounters)
            {
                counter.markClosed();
            }
            exportedCounters.clear();
        }
        LockSupport.unpark(publisher);
        try
        {
            publisher.join(TimeUnit.SECONDS.toMillis(1));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ex)
        {
            // Nothing more to do: the header's heartbeat stops, which readers report as stale.
        }
        synchronized (this)
        {
            IoUtil.unmap(mapped);
        }
    }

    private void run()
    {
        final long intervalNanos = interval.toNanos();
        while (!closed)
        {
            LockSupport.parkNanos(this, intervalNanos);
            try
            {
                publishNow();
            }
            catch (final RuntimeException ex)
            {
                // Keep publishing: one bad round (e.g. an account created mid-round) must not end the export.
            }
        }
    }

    @Override
    public String toString()
    {
        return "AccountingCounters[" + file + ", every " + interval.toMillis() + " ms]";
    }
}
