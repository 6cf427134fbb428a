package dev.hostalloc.logging;

import dev.hostalloc.trace.TraceRecordDescriptor;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * The background half of {@link LoggingAllocator}: one thread drains the ring into a staging
 * buffer and writes it to the trace file when the buffer fills or the ring runs dry, and keeps the
 * callers' cached clock current (at most every {@value #CLOCK_REFRESH_NANOS} ns, and on the first pass
 * after an idle park of at most {@value #MAX_IDLE_PARK_NANOS} ns). Refreshing it less often than every
 * pass matters: each store moves the clock's cache line to this thread's core, and every caller's next
 * record then pays a cache miss to read it. The only thread that touches the file until
 * {@link #stopAndDrain()} returns.
 *
 * <p>An I/O error stops writing but not draining: the ring keeps emptying (so callers keep logging
 * into it) and every record drained after the error counts as lost; the error is kept for
 * {@link LoggingAllocator#close()} to throw.
 */
final class TraceWriter implements Runnable, MessageHandler
{
    /** Records drained per ring read, so a flood cannot starve the flush. */
    private static final int READ_LIMIT = 4096;
    private static final long CLOCK_REFRESH_NANOS = 100_000L;
    private static final long MAX_IDLE_PARK_NANOS = 1_000_000L;
    private static final long MIN_IDLE_PARK_NANOS = 1_000L;
    private static final int IDLE_SPINS = 50;
    private static final int IDLE_YIELDS = 10;
    private static final long PAUSED_PARK_NANOS = 100_000L;

    private final ManyToOneRingBuffer ring;
    private final CachedNanoClock clock;
    private final FileChannel channel;
    private final UnsafeBuffer staging;
    private final ByteBuffer stagingView;
    private final int stagingCapacity;
    private final IdleStrategy idle =
        new BackoffIdleStrategy(IDLE_SPINS, IDLE_YIELDS, MIN_IDLE_PARK_NANOS, MAX_IDLE_PARK_NANOS);

    private volatile boolean running = true;
    private volatile boolean paused;
    private volatile long recordsWritten;
    private volatile long recordsLost;
    private volatile IOException failure;
    private int stagedBytes;

    TraceWriter(
        final ManyToOneRingBuffer ring, final CachedNanoClock clock, final FileChannel channel,
        final UnsafeBuffer staging, final ByteBuffer stagingView, final boolean paused)
    {
        this.ring = ring;
        this.clock = clock;
        this.channel = channel;
        this.staging = staging;
        this.stagingView = stagingView;
        this.stagingCapacity = staging.capacity() - staging.capacity() % TraceRecordDescriptor.RECORD_LENGTH;
        this.paused = paused;
    }

    @Override
    public void run()
    {
        final IdleStrategy idle = this.idle;
        final CachedNanoClock clock = this.clock;
        long refreshedAt = System.nanoTime();
        clock.update(refreshedAt);
        while (running)
        {
            // The callers' cached clock: exact to within CLOCK_REFRESH_NANOS or one idle park, whichever is longer.
            final long now = System.nanoTime();
            if (now - refreshedAt >= CLOCK_REFRESH_NANOS)
            {
                clock.update(now);
                refreshedAt = now;
            }
            if (paused)
            {
                LockSupport.parkNanos(PAUSED_PARK_NANOS);
                continue;
            }
            final int read = ring.read(this, READ_LIMIT);
            if (read == 0)
            {
                flush();
            }
            idle.idle(read);
        }
        drainFully();
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (stagedBytes + TraceRecordDescriptor.RECORD_LENGTH > stagingCapacity)
        {
            flush();
        }
        buffer.getBytes(index, staging, stagedBytes, TraceRecordDescriptor.RECORD_LENGTH);
        stagedBytes += TraceRecordDescriptor.RECORD_LENGTH;
    }

    /** Holds the writer (records pile up in the ring) until {@link #resume()}; for overrun tests. */
    void pause()
    {
        paused = true;
    }

    /** Lets a paused writer drain again. */
    void resume()
    {
        paused = false;
    }

    /** Asks the thread to drain what is left and stop; the caller then joins it. */
    void stop()
    {
        paused = false;
        running = false;
    }

    long recordsWritten()
    {
        return recordsWritten;
    }

    long recordsLost()
    {
        return recordsLost;
    }

    IOException failure()
    {
        return failure;
    }

    /** Drains the ring on the calling thread; only after the writer thread ended. */
    void stopAndDrain()
    {
        drainFully();
    }

    private void drainFully()
    {
        while (ring.read(this, READ_LIMIT) > 0)
        {
            // keep reading: records committed before close() began are all in the ring now
        }
        flush();
    }

    private void flush()
    {
        final int staged = stagedBytes;
        if (staged == 0)
        {
            return;
        }
        stagedBytes = 0;
        final long records = staged / TraceRecordDescriptor.RECORD_LENGTH;
        if (null != failure)
        {
            recordsLost += records;
            return;
        }
        final ByteBuffer view = stagingView;
        view.limit(staged).position(0);
        try
        {
            while (view.hasRemaining())
            {
                channel.write(view);
            }
            recordsWritten += records;
        }
        catch (final IOException ex)
        {
            failure = ex;
            recordsLost += records;
        }
    }
}
