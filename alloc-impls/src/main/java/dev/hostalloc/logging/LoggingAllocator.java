package dev.hostalloc.logging;

import dev.hostalloc.accounting.AccountingCounters;
import dev.hostalloc.accounting.CountersFileDescriptor;
import dev.hostalloc.accounting.ExportedCounter;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.trace.TraceFileDescriptor;
import dev.hostalloc.trace.TraceFooter;
import dev.hostalloc.trace.TraceOperation;
import dev.hostalloc.trace.TraceRecordDescriptor;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.agrona.concurrent.status.AtomicCounter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static dev.hostalloc.trace.TraceRecordDescriptor.ADDRESS_OFFSET;
import static dev.hostalloc.trace.TraceRecordDescriptor.ALIGNMENT_OFFSET;
import static dev.hostalloc.trace.TraceRecordDescriptor.NO_SCOPE;
import static dev.hostalloc.trace.TraceRecordDescriptor.NO_TYPE;
import static dev.hostalloc.trace.TraceRecordDescriptor.OPERATION_OFFSET;
import static dev.hostalloc.trace.TraceRecordDescriptor.RECORD_LENGTH;
import static dev.hostalloc.trace.TraceRecordDescriptor.RESULT_OFFSET;
import static dev.hostalloc.trace.TraceRecordDescriptor.SCOPE_OFFSET;
import static dev.hostalloc.trace.TraceRecordDescriptor.SIZE_OFFSET;
import static dev.hostalloc.trace.TraceRecordDescriptor.THREAD_OFFSET;
import static dev.hostalloc.trace.TraceRecordDescriptor.TIMESTAMP_OFFSET;
import static dev.hostalloc.trace.TraceRecordDescriptor.TYPE_OFFSET;
import static org.lwjgl.system.MemoryUtil.memByteBuffer;

/**
 * A decorator that writes every call (operation, size, alignment, scope, original pointer, result,
 * thread, time) to a binary trace file ({@link TraceFileDescriptor}, {@link TraceRecordDescriptor})
 * without ever blocking or allocating on the caller's thread. Spec element {@code logging:<file>}.
 *
 * <p>The caller claims a fixed-size slot in an Agrona {@link ManyToOneRingBuffer} ({@code tryClaim},
 * a handful of stores, {@code commit}); a background thread drains the ring to the file. When the
 * ring is full the record is dropped and the overrun counter goes up ({@link #recordsDropped()},
 * the optional Agrona {@link AtomicCounter} given to the {@link Builder}, the trace's footer, and the
 * accounting counters file when one is in use: {@code -Dhostalloc.counters=<file>} or
 * {@link Builder#exportTo}, where {@code hostalloc stat <file>} shows records written and dropped next to
 * the accounts), so
 * a slow disk degrades the trace, never the caller. Frees are logged before the delegate runs and
 * allocations after it returns, so with several threads a block is always logged freed before
 * another thread's allocation of the same address is logged.
 *
 * <p>Time: by default a record carries the writer thread's cached {@code System.nanoTime()} reading
 * (refreshed every writer pass, at least every millisecond), because the call itself costs 20 to
 * 80 ns on virtual machines, more than the rest of the logging; {@link Builder#preciseClock} reads
 * it per record instead. The header says which ({@link TraceFileDescriptor#CLOCK_CACHED_NANO_TIME}).
 *
 * <p>Memory: the ring and the writer's staging buffer are allocated through the delegate itself
 * (scope {@link SystemAllocationScope#INSTANCE}): the logger's own cost shows in whatever accounting
 * sits below it, and no class here allocates off-heap directly. {@link #close()} frees them.
 *
 * <p>Lifecycle: {@link #close()} stops logging, drains the ring, writes the footer (records written
 * and dropped) and frees the ring; calls made after it pass through unlogged. Close only when no call
 * is in flight (the contract of destroying any allocator). A logger never closed (e.g. one built
 * from a spec) is finished by a JVM shutdown hook, which writes the footer but leaves the ring
 * allocated, as other threads may still be calling. Opening a file that a live logger of this
 * process writes finishes that logger the same way first (it then passes calls through unlogged),
 * so a spec used for several stacks in turn leaves the trace of the last one.
 *
 * <p>Thread-safe when the delegate is; allocates no Java heap per call; never throws from a call
 * unless the delegate does (then the call is logged as returning 0 and the exception rethrown).
 */
public final class LoggingAllocator implements AllocationCallbacks, AutoCloseable
{
    /** Default ring capacity in bytes: about 18 000 records (56 bytes each with the ring header). */
    public static final int DEFAULT_RING_CAPACITY = 1 << 20;

    /** Smallest ring capacity accepted: Agrona limits a message to an eighth of the ring. */
    public static final int MIN_RING_CAPACITY = 1024;

    /** Largest ring capacity accepted. */
    public static final int MAX_RING_CAPACITY = 1 << 30;

    /** Bytes of the writer's staging buffer (a multiple of the record length is used). */
    public static final int STAGING_CAPACITY = 64 * 1024;

    /** Alignment of the ring and staging buffer: a cache line, and the ring's counters need 8. */
    private static final long BUFFER_ALIGNMENT = 64;

    /** A record in the ring: Agrona's 8-byte header plus the trace record. */
    public static final int RING_SLOT_LENGTH = RecordDescriptor.HEADER_LENGTH + RECORD_LENGTH;

    /** How exported counters' labels start: {@code "logging <trace file name>: "}. */
    public static final String LABEL_PREFIX = "logging ";

    /** The exported counter of records written to the trace ({@link #recordsWritten()}). */
    public static final String WRITTEN_LABEL = "records written";

    /** The exported overrun counter: records dropped because the ring was full ({@link #recordsDropped()}). */
    public static final String DROPPED_LABEL = "records dropped (ring overrun)";

    private static final long NULL = 0L;
    private static final long NO_VALUE = 0L;
    private static final Map<Path, LoggingAllocator> OPEN = new HashMap<>();

    private final AllocationCallbacks delegate;
    private final Path file;
    private final ManyToOneRingBuffer ring;
    private final UnsafeBuffer ringBuffer;
    private final long ringAddress;
    private final long ringLength;
    private final long stagingAddress;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicCounter droppedCounter;
    private final List<AccountingCounters> exportTargets;
    private final List<ExportedCounter> exported = new ArrayList<>(); // guarded by lifecycleLock
    private final CachedNanoClock cachedClock = new CachedNanoClock();
    private final boolean preciseClock;
    private final FileChannel channel;
    private final TraceWriter writer;
    private final Thread writerThread;
    private final Thread shutdownHook;
    private final Object lifecycleLock = new Object();
    private volatile boolean closed;
    private TraceFooter footer;
    private boolean buffersFreed;

    private LoggingAllocator(final Builder builder) throws IOException
    {
        this.delegate = builder.delegate;
        this.file = builder.file.toAbsolutePath().normalize();
        this.droppedCounter = builder.droppedCounter;
        this.exportTargets = List.copyOf(builder.exportTargets);
        this.preciseClock = builder.preciseClock;
        final long startClock = System.nanoTime();
        cachedClock.update(startClock); // no record can be stamped before the header's start

        ringLength = (long)builder.ringCapacity + RingBufferDescriptor.TRAILER_LENGTH;
        ringAddress = delegate.allocate(ringLength, BUFFER_ALIGNMENT, SystemAllocationScope.INSTANCE);
        if (ringAddress == NULL)
        {
            throw new IllegalStateException("logging: the delegate " + delegate + " could not allocate the " +
                ringLength + "-byte ring buffer");
        }
        stagingAddress = delegate.allocate(STAGING_CAPACITY, BUFFER_ALIGNMENT, SystemAllocationScope.INSTANCE);
        if (stagingAddress == NULL)
        {
            delegate.free(ringAddress);
            throw new IllegalStateException("logging: the delegate " + delegate + " could not allocate the " +
                STAGING_CAPACITY + "-byte staging buffer");
        }
        ringBuffer = new UnsafeBuffer(ringAddress, (int)ringLength);
        ringBuffer.setMemory(0, (int)ringLength, (byte)0);
        ring = new ManyToOneRingBuffer(ringBuffer);

        FileChannel opened = null;
        try
        {
            opened = FileChannel.open(file,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            writeHeader(opened, builder.ringCapacity,
                preciseClock ? TraceFileDescriptor.CLOCK_NANO_TIME : TraceFileDescriptor.CLOCK_CACHED_NANO_TIME, startClock);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (null != opened)
            {
                opened.close();
            }
            delegate.free(stagingAddress);
            delegate.free(ringAddress);
            throw ex;
        }
        channel = opened;

        writer = new TraceWriter(ring, cachedClock, channel, new UnsafeBuffer(stagingAddress, STAGING_CAPACITY),
            memByteBuffer(stagingAddress, STAGING_CAPACITY), builder.startPaused);
        writerThread = new Thread(writer, "hostalloc-trace-writer " + file.getFileName());
        writerThread.setDaemon(true);
        shutdownHook = new Thread(this::finishAtExit, "hostalloc-trace-shutdown " + file.getFileName());
    }

    /**
     * Starts logging {@code delegate}'s calls to {@code file} with the default ring.
     *
     * @param file     the trace file; created or truncated.
     * @param delegate the callbacks that do the work.
     * @return the running logger.
     * @throws UncheckedIOException  when the file cannot be opened or its header written.
     * @throws IllegalStateException when the delegate cannot allocate the ring buffer.
     * @throws NullPointerException  when an argument is {@code null}.
     */
    public static LoggingAllocator open(final Path file, final AllocationCallbacks delegate)
    {
        return builder(file, delegate).open();
    }

    /**
     * A builder for a logger with other than default settings.
     *
     * @param file     the trace file; created or truncated by {@link Builder#open()}.
     * @param delegate the callbacks that do the work.
     * @return the builder.
     * @throws NullPointerException when an argument is {@code null}.
     */
    public static Builder builder(final Path file, final AllocationCallbacks delegate)
    {
        return new Builder(file, delegate);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Logged after the delegate returns (an {@link TraceOperation#ALLOCATE} record with its result),
     * or dropped and counted when the ring is full; never blocks, allocates no Java heap.
     *
     * @return what the delegate returned. Throws only what the delegate throws (logged as 0 first).
     */
    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        long result = NULL;
        try
        {
            result = delegate.allocate(size, alignment, scope);
        }
        finally
        {
            log(TraceOperation.ALLOCATE.code(), size, alignment, NO_VALUE, result, scopeByte(scope), NO_TYPE);
        }
        return result;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Logged after the delegate returns, as {@link #allocate} is; a reallocation to size 0 (a free) is
     * logged before, as {@link #free} is. On several threads a moving reallocation can therefore be
     * logged after another thread's allocation that reused its old block (see docs/trace-format.md).
     *
     * @return what the delegate returned. Throws only what the delegate throws (logged as 0 first).
     */
    @Override
    public long reallocate(
        final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (NULL != original && 0 == size)
        {
            // A free: logged first, as free is, before another thread can be handed the address.
            log(TraceOperation.REALLOCATE.code(), size, alignment, original, NULL, scopeByte(scope), NO_TYPE);
            return delegate.reallocate(original, size, alignment, scope);
        }
        long result = NULL;
        try
        {
            result = delegate.reallocate(original, size, alignment, scope);
        }
        finally
        {
            log(TraceOperation.REALLOCATE.code(), size, alignment, original, result, scopeByte(scope), NO_TYPE);
        }
        return result;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Logged before the delegate runs, so no other thread's allocation of the same address can be
     * logged ahead of this free. Throws only what the delegate throws.
     */
    @Override
    public void free(final long memory)
    {
        // Logged first: once the delegate has freed it, another thread may be handed the same address.
        log(TraceOperation.FREE.code(), NO_VALUE, NO_VALUE, memory, NULL, NO_SCOPE, NO_TYPE);
        delegate.free(memory);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Logged, then passed to the delegate.
     */
    @Override
    public void internalAllocationNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        log(TraceOperation.INTERNAL_ALLOCATION.code(), size, NO_VALUE, NO_VALUE, NULL, scopeByte(scope), typeByte(type));
        delegate.internalAllocationNotification(size, type, scope);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Logged, then passed to the delegate.
     */
    @Override
    public void internalFreeNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        log(TraceOperation.INTERNAL_FREE.code(), size, NO_VALUE, NO_VALUE, NULL, scopeByte(scope), typeByte(type));
        delegate.internalFreeNotification(size, type, scope);
    }

    /**
     * The delegate's promises: logging never blocks or allocates, so it keeps them all.
     *
     * @return the delegate's traits.
     */
    @Override
    public AllocatorTraits traits()
    {
        return delegate.traits();
    }

    /**
     * Records dropped so far because the ring was full (the overrun counter).
     *
     * @return the count; final once {@link #close()} returned.
     */
    public long recordsDropped()
    {
        return dropped.get();
    }

    /**
     * Records the writer has written to the file so far.
     *
     * @return the count; final once {@link #close()} returned.
     */
    public long recordsWritten()
    {
        return writer.recordsWritten();
    }

    /**
     * The trace file.
     *
     * @return its absolute, normalized path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * The allocator this one logs.
     *
     * @return the delegate.
     */
    public AllocationCallbacks delegate()
    {
        return delegate;
    }

    /**
     * Whether logging has stopped ({@link #close()}, the shutdown hook, or another logger opened the
     * same file).
     *
     * @return {@code true} once calls pass through unlogged.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Stops logging, writes everything logged so far and the footer, frees the ring; idempotent.
     * Call it when no call is in flight.
     *
     * @return the footer written: records written and dropped.
     * @throws UncheckedIOException when writing the trace failed at any point (the footer may then
     *                              be missing; {@link #recordsDropped()} still counts the ring's
     *                              overruns).
     */
    public TraceFooter finish()
    {
        return finish(true);
    }

    /**
     * {@link #finish()}, for try-with-resources.
     *
     * @throws UncheckedIOException as {@link #finish()}.
     */
    @Override
    public void close()
    {
        finish(true);
    }

    @Override
    public String toString()
    {
        return "LoggingAllocator[" + file + ", written=" + recordsWritten() + ", dropped=" + recordsDropped() +
            (closed ? ", closed" : "") + "] -> " + delegate;
    }

    /** Holds the writer so records pile up in the ring; for overrun tests. */
    void pauseWriter()
    {
        writer.pause();
    }

    /** Lets a paused writer drain again. */
    void resumeWriter()
    {
        writer.resume();
    }

    private void log(
        final int operation,
        final long size,
        final long alignment,
        final long address,
        final long result,
        final byte scope,
        final byte type)
    {
        if (closed)
        {
            return;
        }
        final ManyToOneRingBuffer ring = this.ring;
        final int index = ring.tryClaim(operation, RECORD_LENGTH);
        if (index < 0)
        {
            dropped.getAndIncrement();
            final AtomicCounter counter = droppedCounter;
            if (null != counter)
            {
                counter.increment();
            }
            return;
        }
        final UnsafeBuffer buffer = ringBuffer;
        buffer.putLong(index + TIMESTAMP_OFFSET, preciseClock ? System.nanoTime() : cachedClock.nanoTime(), LITTLE_ENDIAN);
        buffer.putLong(index + SIZE_OFFSET, size, LITTLE_ENDIAN);
        buffer.putLong(index + ALIGNMENT_OFFSET, alignment, LITTLE_ENDIAN);
        buffer.putLong(index + ADDRESS_OFFSET, address, LITTLE_ENDIAN);
        buffer.putLong(index + RESULT_OFFSET, result, LITTLE_ENDIAN);
        buffer.putInt(index + THREAD_OFFSET, (int)Thread.currentThread().threadId(), LITTLE_ENDIAN);
        buffer.putByte(index + OPERATION_OFFSET, (byte)operation);
        buffer.putByte(index + SCOPE_OFFSET, scope);
        buffer.putByte(index + TYPE_OFFSET, type);
        buffer.putByte(index + TraceRecordDescriptor.RESERVED_OFFSET, (byte)0);
        ring.commit(index);
    }

    private static byte scopeByte(final SystemAllocationScope scope)
    {
        return null == scope ? NO_SCOPE : (byte)scope.ordinal();
    }

    private static byte typeByte(final InternalAllocationType type)
    {
        return null == type ? NO_TYPE : (byte)type.ordinal();
    }

    private void start()
    {
        writerThread.start();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        final String name = LABEL_PREFIX + file.getFileName() + CountersFileDescriptor.LABEL_SEPARATOR;
        synchronized (lifecycleLock)
        {
            for (final AccountingCounters counters : exportTargets)
            {
                try
                {
                    exported.add(counters.export(name + WRITTEN_LABEL, this::recordsWritten));
                    exported.add(counters.export(name + DROPPED_LABEL, this::recordsDropped));
                }
                catch (final IllegalStateException closedMeanwhile)
                {
                    // the counters file closed (e.g. at shutdown): the footer and the getters still count
                }
            }
        }
    }

    private void finishAtExit()
    {
        final TraceFooter written;
        try
        {
            written = finish(false);
        }
        catch (final UncheckedIOException ex)
        {
            System.err.println("hostalloc logging: the trace " + file + " is incomplete: " + ex.getCause());
            return;
        }
        System.err.println("hostalloc logging: " + file + ": " + written.recordsWritten() + " records written, " +
            written.recordsDropped() + " dropped");
    }

    private TraceFooter finish(final boolean freeBuffers)
    {
        // OPEN before, never inside, lifecycleLock: Builder.open takes them in that order.
        synchronized (OPEN)
        {
            OPEN.remove(file, this);
        }
        synchronized (lifecycleLock)
        {
            if (!closed)
            {
                closed = true;
                if (freeBuffers)
                {
                    try
                    {
                        Runtime.getRuntime().removeShutdownHook(shutdownHook);
                    }
                    catch (final IllegalStateException ex)
                    {
                        // the JVM is shutting down and running the hook: it will find this logger closed
                    }
                }
                try
                {
                    footer = stopWriterAndWriteFooter();
                }
                finally
                {
                    for (final ExportedCounter counter : exported)
                    {
                        counter.close();
                    }
                    exported.clear();
                }
            }
            if (freeBuffers && !buffersFreed)
            {
                buffersFreed = true;
                delegate.free(stagingAddress);
                delegate.free(ringAddress);
            }
            final IOException failure = writer.failure();
            if (null != failure)
            {
                throw new UncheckedIOException("logging: writing the trace " + file + " failed; " +
                    writer.recordsWritten() + " records were written, " + writer.recordsLost() +
                    " lost after the error, " + dropped.get() + " dropped", failure);
            }
            return footer;
        }
    }

    private TraceFooter stopWriterAndWriteFooter()
    {
        writer.stop();
        boolean interrupted = false;
        while (writerThread.isAlive())
        {
            try
            {
                writerThread.join();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        // A call that passed the closed check just before it was set may still have committed a record.
        writer.stopAndDrain();
        final TraceFooter written = new TraceFooter(writer.recordsWritten(), dropped.get(), System.nanoTime());
        try
        {
            if (null == writer.failure())
            {
                final ByteBuffer bytes = ByteBuffer.allocate(TraceFileDescriptor.FOOTER_LENGTH).order(LITTLE_ENDIAN);
                bytes.put(TraceFileDescriptor.FOOTER_MAGIC_OFFSET, TraceFileDescriptor.FOOTER_MAGIC);
                bytes.putLong(TraceFileDescriptor.RECORDS_WRITTEN_OFFSET, written.recordsWritten());
                bytes.putLong(TraceFileDescriptor.RECORDS_DROPPED_OFFSET, written.recordsDropped());
                bytes.putLong(TraceFileDescriptor.END_CLOCK_OFFSET, written.endClock());
                writeFully(channel, bytes);
                if (Files.isRegularFile(file))
                {
                    channel.force(false); // a device such as /dev/null cannot be forced
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("logging: writing the footer of " + file + " failed", ex);
        }
        finally
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                // the footer is written or its failure already thrown; nothing more to save
            }
        }
        return written;
    }

    private static void writeHeader(
        final FileChannel channel, final int ringCapacity, final int clock, final long startClock) throws IOException
    {
        final Instant now = Instant.now();
        final ByteBuffer bytes = ByteBuffer.allocate(TraceFileDescriptor.HEADER_LENGTH).order(LITTLE_ENDIAN);
        bytes.put(TraceFileDescriptor.MAGIC_OFFSET, TraceFileDescriptor.HEADER_MAGIC);
        bytes.putInt(TraceFileDescriptor.VERSION_OFFSET, TraceFileDescriptor.VERSION);
        bytes.putInt(TraceFileDescriptor.HEADER_LENGTH_OFFSET, TraceFileDescriptor.HEADER_LENGTH);
        bytes.putInt(TraceFileDescriptor.RECORD_LENGTH_OFFSET, RECORD_LENGTH);
        bytes.putInt(TraceFileDescriptor.CLOCK_OFFSET, clock);
        bytes.putLong(TraceFileDescriptor.START_CLOCK_OFFSET, startClock);
        bytes.putLong(TraceFileDescriptor.START_EPOCH_NANOS_OFFSET,
            Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano()));
        bytes.putInt(TraceFileDescriptor.RING_CAPACITY_OFFSET, ringCapacity);
        bytes.putLong(TraceFileDescriptor.PID_OFFSET, ProcessHandle.current().pid());
        writeFully(channel, bytes);
    }

    private static void writeFully(final FileChannel channel, final ByteBuffer bytes) throws IOException
    {
        bytes.position(0).limit(bytes.capacity());
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }

    /**
     * Settings for a {@link LoggingAllocator}; {@link #open()} starts it. Not thread-safe.
     */
    public static final class Builder
    {
        private final Path file;
        private final AllocationCallbacks delegate;
        private int ringCapacity = DEFAULT_RING_CAPACITY;
        private AtomicCounter droppedCounter;
        private final List<AccountingCounters> exportTargets = new ArrayList<>();
        private boolean exportToConfiguredCounters = true;
        private boolean startPaused;
        private boolean preciseClock;

        private Builder(final Path file, final AllocationCallbacks delegate)
        {
            this.file = Objects.requireNonNull(file, "file");
            this.delegate = Objects.requireNonNull(delegate, "delegate");
        }

        /**
         * The ring's capacity: how many bytes of records may wait for the writer
         * ({@link #RING_SLOT_LENGTH} each) before calls start dropping theirs.
         *
         * @param bytes a power of two from {@link #MIN_RING_CAPACITY} to {@link #MAX_RING_CAPACITY}.
         * @return this builder.
         * @throws IllegalArgumentException when out of range or not a power of two.
         */
        public Builder ringCapacity(final long bytes)
        {
            if (bytes < MIN_RING_CAPACITY || bytes > MAX_RING_CAPACITY || Long.bitCount(bytes) != 1)
            {
                throw new IllegalArgumentException("logging ring capacity must be a power of two from " +
                    MIN_RING_CAPACITY + " to " + MAX_RING_CAPACITY + " bytes (e.g. 64k, 1m, 16m): " + bytes);
            }
            this.ringCapacity = (int)bytes;
            return this;
        }

        /**
         * An Agrona counter (e.g. from a {@code CountersManager} whose file tools such as AeronStat
         * read) that goes up with every dropped record, besides {@link #recordsDropped()}.
         *
         * @param counter the counter, or {@code null} for none.
         * @return this builder.
         */
        public Builder droppedCounter(final AtomicCounter counter)
        {
            this.droppedCounter = counter;
            return this;
        }

        /**
         * Whether each record reads {@code System.nanoTime()} itself (exact times; costs that call,
         * 20 to 80 ns on virtual machines) instead of the writer thread's cached reading (the default:
         * a volatile read, exact to within the writer's idle park of at most 1 ms). Either way records
         * keep the order the calls were logged in.
         *
         * @param precise {@code true} for a clock reading per record.
         * @return this builder.
         */
        public Builder preciseClock(final boolean precise)
        {
            this.preciseClock = precise;
            return this;
        }

        /**
         * Exports records written and dropped to {@code counters} too (besides the counters file of
         * {@code -Dhostalloc.counters}, if any), where {@code hostalloc stat} shows them next to the
         * accounts, labelled {@code "logging <file name>: records written"} and
         * {@code "logging <file name>: records dropped (ring overrun)"}, until the logger is closed.
         *
         * @param counters an open counters file.
         * @return this builder.
         * @throws NullPointerException when {@code counters} is {@code null}.
         */
        public Builder exportTo(final AccountingCounters counters)
        {
            Objects.requireNonNull(counters, "counters");
            if (!exportTargets.contains(counters))
            {
                exportTargets.add(counters);
            }
            return this;
        }

        /**
         * Whether to export to the JVM-wide counters file of {@code -Dhostalloc.counters=<file>}
         * ({@link AccountingCounters#configured()}) when that property is set; on by default.
         *
         * @param export {@code false} to export only where {@link #exportTo} says.
         * @return this builder.
         */
        public Builder exportToConfiguredCounters(final boolean export)
        {
            this.exportToConfiguredCounters = export;
            return this;
        }

        Builder startPaused(final boolean paused)
        {
            this.startPaused = paused;
            return this;
        }

        /**
         * Opens the file, writes the header, allocates the ring through the delegate and starts the
         * writer thread (and the shutdown hook). A live logger of this process writing the same file
         * is finished first (see the class comment).
         *
         * @return the running logger.
         * @throws UncheckedIOException  when the file cannot be opened or its header written.
         * @throws IllegalStateException when the delegate cannot allocate the ring or staging buffer.
         */
        public LoggingAllocator open()
        {
            final Path key = file.toAbsolutePath().normalize();
            if (exportToConfiguredCounters)
            {
                AccountingCounters.configured().ifPresent(this::exportTo);
            }
            synchronized (OPEN)
            {
                final LoggingAllocator previous = OPEN.get(key);
                if (null != previous)
                {
                    previous.finishTakenOver();
                }
                final LoggingAllocator logger;
                try
                {
                    logger = new LoggingAllocator(this);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException("logging: cannot open the trace file " + key + ": " + ex, ex);
                }
                OPEN.put(key, logger);
                logger.start();
                return logger;
            }
        }
    }

    private void finishTakenOver()
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        }
        catch (final IllegalStateException ex)
        {
            // shutting down: the hook runs and finds it closed
        }
        try
        {
            finish(false);
        }
        catch (final UncheckedIOException ex)
        {
            // its trace is being replaced anyway
        }
    }
}
