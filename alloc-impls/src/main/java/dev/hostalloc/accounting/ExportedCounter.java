package dev.hostalloc.accounting;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A counter another component (e.g. the logging allocator's records written and dropped) exports
 * through an {@link AccountingCounters} file, next to the accounts: its publisher reads
 * {@link #source()} at every publication and stores the value under {@link #label()}, with the type id
 * {@link CountersFileDescriptor#EXPORTED_COUNTER_TYPE_ID}. The component's hot path never touches the
 * file, and nothing it holds points into the mapping, so closing the file first is harmless.
 * {@link #close()} stops the export and frees the counter (readers stop showing it).
 */
public final class ExportedCounter implements AutoCloseable
{
    private final AccountingCounters counters;
    private final String label;
    private final LongSupplier source;
    private int counterId = CountersFileDescriptor.NO_COUNTER; // guarded by counters
    private boolean closed; // guarded by counters

    ExportedCounter(final AccountingCounters counters, final String label, final LongSupplier source)
    {
        this.counters = counters;
        this.label = Objects.requireNonNull(label, "label");
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * The label readers show.
     *
     * @return e.g. {@code "logging app.trace: records dropped"}.
     */
    public String label()
    {
        return label;
    }

    /**
     * Where the value is read from at each publication (on the publisher's thread).
     *
     * @return the source.
     */
    public LongSupplier source()
    {
        return source;
    }

    /**
     * The file this counter is exported to.
     *
     * @return the exporter.
     */
    public AccountingCounters counters()
    {
        return counters;
    }

    /**
     * Stops exporting the value and frees its counter, so readers stop showing it. Idempotent.
     */
    @Override
    public void close()
    {
        counters.remove(this);
    }

    int counterId()
    {
        return counterId;
    }

    void counterId(final int counterId)
    {
        this.counterId = counterId;
    }

    boolean isClosed()
    {
        return closed;
    }

    void markClosed()
    {
        closed = true;
    }

    @Override
    public String toString()
    {
        return "ExportedCounter[" + label + " -> " + counters.file() + "]";
    }
}
