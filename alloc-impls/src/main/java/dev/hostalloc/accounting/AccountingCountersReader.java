package dev.hostalloc.accounting;

import dev.hostalloc.api.SystemAllocationScope;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads an {@link AccountingCounters} file from any process (it is what {@code hostalloc stat} uses):
 * maps it read-only, checks the {@link CountersFileDescriptor} header, and turns the counters into one
 * {@link Row} per account. The mapping stays valid after the writer deletes the file.
 */
public final class AccountingCountersReader implements AutoCloseable
{
    private static final int SCOPES = SystemAllocationScope.COUNT;

    private final Path file;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final CountersReader counters;

    /**
     * One account's exported figures.
     *
     * @param allocatorSerial  which allocator of the writing JVM the account belongs to.
     * @param accountId        the account's id within that allocator.
     * @param path             the account path, e.g. {@code vulkan/renderer}.
     * @param depth            0 for a root account.
     * @param currentBytes     bytes live.
     * @param peakBytes        highest bytes live so far.
     * @param limitBytes       the budget, or {@link CountersFileDescriptor#UNLIMITED}.
     * @param liveBlocks       blocks live.
     * @param allocations      blocks allocated so far.
     * @param failures         requests refused by the limit.
     * @param poolFailures     requests within budget refused by the pool.
     * @param scopeCurrentBytes bytes live per scope, in {@link SystemAllocationScope} order.
     * @param scopePeakBytes   highest bytes per scope.
     * @param scopeLiveBlocks  blocks live per scope.
     */
    public record Row(
        long allocatorSerial,
        int accountId,
        String path,
        int depth,
        long currentBytes,
        long peakBytes,
        long limitBytes,
        long liveBlocks,
        long allocations,
        long failures,
        long poolFailures,
        List<Long> scopeCurrentBytes,
        List<Long> scopePeakBytes,
        List<Long> scopeLiveBlocks)
    {
        /**
         * Makes the lists immutable.
         *
         * @throws NullPointerException when a reference is {@code null}.
         */
        public Row
        {
            Objects.requireNonNull(path, "path");
            scopeCurrentBytes = List.copyOf(scopeCurrentBytes);
            scopePeakBytes = List.copyOf(scopePeakBytes);
            scopeLiveBlocks = List.copyOf(scopeLiveBlocks);
        }

        /**
         * Whether the account has a budget.
         *
         * @return {@code true} unless the limit is {@link CountersFileDescriptor#UNLIMITED}.
         */
        public boolean limited()
        {
            return limitBytes != CountersFileDescriptor.UNLIMITED;
        }
    }

    /**
     * A value another component exports next to the accounts ({@link ExportedCounter}), e.g. a logging
     * allocator's records dropped.
     *
     * @param label what it is, e.g. {@code "logging app.trace: records dropped"}.
     * @param value its last published value.
     */
    public record Counter(String label, long value)
    {
        /**
         * Checks the label.
         *
         * @throws NullPointerException when {@code label} is {@code null}.
         */
        public Counter
        {
            Objects.requireNonNull(label, "label");
        }
    }

    private AccountingCountersReader(final Path file, final MappedByteBuffer mapped, final int metadataLength, final int valuesLength)
    {
        this.file = file;
        this.mapped = mapped;
        header = new UnsafeBuffer(mapped, 0, CountersFileDescriptor.HEADER_LENGTH);
        counters = new CountersReader(
            new UnsafeBuffer(mapped, CountersFileDescriptor.metadataOffset(), metadataLength),
            new UnsafeBuffer(mapped, CountersFileDescriptor.valuesOffset(metadataLength), valuesLength));
    }

    /**
     * Opens a counters file.
     *
     * @param file a file written by {@link AccountingCounters}.
     * @return the reader; close it to unmap.
     * @throws IOException              when the file cannot be read (e.g. it does not exist).
     * @throws IllegalArgumentException when it is not a hostalloc counters file of a known version, or
     *                                  its lengths do not match its size; the message says which.
     */
    public static AccountingCountersReader open(final Path file) throws IOException
    {
        Objects.requireNonNull(file, "file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < CountersFileDescriptor.HEADER_LENGTH)
            {
                throw new IllegalArgumentException(file + " is not a hostalloc counters file: " + size +
                    " bytes, shorter than the " + CountersFileDescriptor.HEADER_LENGTH + "-byte header");
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            try
            {
                final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, CountersFileDescriptor.HEADER_LENGTH);
                final int magic = header.getIntVolatile(CountersFileDescriptor.MAGIC_OFFSET);
                if (magic != CountersFileDescriptor.MAGIC)
                {
                    throw new IllegalArgumentException(file + " is not a hostalloc counters file (magic 0x" +
                        Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(CountersFileDescriptor.MAGIC) +
                        "), or its writer has not finished creating it");
                }
                final int version = header.getInt(CountersFileDescriptor.VERSION_OFFSET);
                if (version != CountersFileDescriptor.VERSION)
                {
                    throw new IllegalArgumentException(file + " is a hostalloc counters file of version " + version +
                        "; this reader reads version " + CountersFileDescriptor.VERSION);
                }
                final int headerLength = header.getInt(CountersFileDescriptor.HEADER_LENGTH_OFFSET);
                final int metadataLength = header.getInt(CountersFileDescriptor.METADATA_LENGTH_OFFSET);
                final int valuesLength = header.getInt(CountersFileDescriptor.VALUES_LENGTH_OFFSET);
                if (headerLength != CountersFileDescriptor.HEADER_LENGTH || metadataLength <= 0 || valuesLength <= 0 ||
                    CountersFileDescriptor.fileLength(metadataLength, valuesLength) > size)
                {
                    throw new IllegalArgumentException(file + " is damaged: header " + headerLength + ", metadata " +
                        metadataLength + " and values " + valuesLength + " bytes do not fit its " + size + " bytes");
                }
                return new AccountingCountersReader(file, mapped, metadataLength, valuesLength);
            }
            catch (final RuntimeException ex)
            {
                IoUtil.unmap(mapped);
                throw ex;
            }
        }
    }

    /**
     * The file read.
     *
     * @return its path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * The writing process.
     *
     * @return its process id.
     */
    public long pid()
    {
        return header.getLong(CountersFileDescriptor.PID_OFFSET);
    }

    /**
     * When the writer created the file.
     *
     * @return epoch milliseconds.
     */
    public long startEpochMillis()
    {
        return header.getLong(CountersFileDescriptor.START_OFFSET);
    }

    /**
     * When the writer last published.
     *
     * @return epoch milliseconds.
     */
    public long heartbeatEpochMillis()
    {
        return header.getLongVolatile(CountersFileDescriptor.HEARTBEAT_OFFSET);
    }

    /**
     * How often the writer publishes.
     *
     * @return milliseconds.
     */
    public long intervalMillis()
    {
        return header.getLong(CountersFileDescriptor.INTERVAL_OFFSET);
    }

    /**
     * Accounts the writer could not export because the file was full.
     *
     * @return the count.
     */
    public long droppedAccounts()
    {
        return header.getLongVolatile(CountersFileDescriptor.DROPPED_OFFSET);
    }

    /**
     * The accounts exported now, grouped by allocator (in creation order) and in tree order within
     * one (each parent before its children).
     *
     * @return one row per account whose counters are all present.
     */
    public List<Row> rows()
    {
        final Map<List<Long>, long[]> values = new LinkedHashMap<>();
        final Map<List<Long>, String> paths = new LinkedHashMap<>();
        final Map<List<Long>, Integer> depths = new LinkedHashMap<>();
        final int perAccount = AccountingCounters.countersPerAccount();
        counters.forEach((counterId, typeId, key, label) ->
        {
            final AccountFigure figure = AccountFigure.ofTypeId(typeId);
            if (null == figure)
            {
                return;
            }
            final long allocator = key.getLong(CountersFileDescriptor.KEY_ALLOCATOR_OFFSET);
            final int account = key.getInt(CountersFileDescriptor.KEY_ACCOUNT_OFFSET);
            final int scope = key.getInt(CountersFileDescriptor.KEY_SCOPE_OFFSET);
            final List<Long> id = List.of(allocator, (long)account);
            final long[] figures = values.computeIfAbsent(id, k ->
            {
                final long[] fresh = new long[perAccount + 1];
                Arrays.fill(fresh, Long.MIN_VALUE);
                fresh[perAccount] = 0;
                return fresh;
            });
            final int index = index(figure, scope);
            if (index >= 0)
            {
                figures[index] = counters.getCounterValue(counterId);
                figures[perAccount]++;
            }
            final int separator = label.indexOf(CountersFileDescriptor.LABEL_SEPARATOR);
            paths.putIfAbsent(id, separator < 0 ? label : label.substring(0, separator));
            depths.putIfAbsent(id, key.getInt(CountersFileDescriptor.KEY_DEPTH_OFFSET));
        });
        final List<Row> rows = new ArrayList<>();
        values.forEach((id, figures) ->
        {
            if (figures[perAccount] != perAccount)
            {
                return; // being allocated or freed right now
            }
            rows.add(new Row(id.get(0), (int)(long)id.get(1), paths.get(id), depths.get(id),
                figures[index(AccountFigure.CURRENT_BYTES, -1)],
                figures[index(AccountFigure.PEAK_BYTES, -1)],
                figures[index(AccountFigure.LIMIT_BYTES, -1)],
                figures[index(AccountFigure.LIVE_BLOCKS, -1)],
                figures[index(AccountFigure.ALLOCATIONS, -1)],
                figures[index(AccountFigure.FAILURES, -1)],
                figures[index(AccountFigure.POOL_FAILURES, -1)],
                scoped(figures, AccountFigure.SCOPE_CURRENT_BYTES),
                scoped(figures, AccountFigure.SCOPE_PEAK_BYTES),
                scoped(figures, AccountFigure.SCOPE_LIVE_BLOCKS)));
        });
        rows.sort(Comparator.comparingLong(Row::allocatorSerial).thenComparing(Row::path, AccountingCountersReader::comparePaths));
        return rows;
    }

    /**
     * The values other components export next to the accounts ({@link AccountingCounters#export}), in the
     * order they were first published.
     *
     * @return one entry per exported counter; empty when there are none.
     */
    public List<Counter> exportedCounters()
    {
        final List<Counter> result = new ArrayList<>();
        counters.forEach((counterId, typeId, key, label) ->
        {
            if (typeId == CountersFileDescriptor.EXPORTED_COUNTER_TYPE_ID)
            {
                result.add(new Counter(label, counters.getCounterValue(counterId)));
            }
        });
        return result;
    }

    /** Orders paths depth first: a parent right before its subtree (compares name by name). */
    private static int comparePaths(final String a, final String b)
    {
        final String[] x = a.split(String.valueOf(Account.PATH_SEPARATOR));
        final String[] y = b.split(String.valueOf(Account.PATH_SEPARATOR));
        for (int i = 0; i < Math.min(x.length, y.length); i++)
        {
            final int c = x[i].compareTo(y[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static List<Long> scoped(final long[] figures, final AccountFigure figure)
    {
        final List<Long> result = new ArrayList<>(SCOPES);
        for (int s = 0; s < SCOPES; s++)
        {
            result.add(figures[index(figure, s)]);
        }
        return result;
    }

    /** Where a figure goes in a row's array: whole-account figures first, then SCOPES per scoped figure. */
    private static int index(final AccountFigure figure, final int scope)
    {
        int index = 0;
        for (final AccountFigure f : AccountFigure.values())
        {
            if (f == figure)
            {
                if (!f.perScope())
                {
                    return index;
                }
                return scope >= 0 && scope < SCOPES ? index + scope : -1;
            }
            index += f.perScope() ? SCOPES : 1;
        }
        return -1;
    }

    /** Unmaps the file. */
    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }

    @Override
    public String toString()
    {
        return "AccountingCountersReader[" + file + ", pid " + pid() + "]";
    }
}
