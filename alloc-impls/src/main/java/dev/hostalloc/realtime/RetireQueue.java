package dev.hostalloc.realtime;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.SystemAllocationScope;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.QueuedPipe;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.lwjgl.system.MemoryUtil.memSet;

/**
 * Deferred free for real-time threads (Rustortion's {@code rt_drop::retire}): the real-time thread
 * hands blocks, or whole {@link Reclaimable} objects, to a reclaimer thread through bounded Agrona
 * queues, and the reclaimer frees them.
 *
 * <p>{@link #retire(long)} and {@link #retire(Reclaimable)} never block, never free, never allocate
 * Java heap and never make a system call: one claim and commit on a ring buffer (or one offer on an
 * array queue). When the queue is full the block is <em>leaked</em> and counted
 * ({@link #leakedBlocks()}): losing a few bytes beats missing a deadline, and the counter tells the
 * integrator to size the queue up or run the reclaimer more often.
 *
 * <p>The reclaimer is any one thread calling {@link #reclaim()}, or the Agrona {@link Agent} from
 * {@link #reclaimerAgent()} (e.g. through {@link #startReclaimer(IdleStrategy)}). Blocks are freed
 * with the {@link AllocationCallbacks} given at construction, which must therefore be thread-safe:
 * a TLSF pool in {@code SHARED} mode, or the system allocator. The block ring itself is one block
 * of that allocator (16 bytes per retired block), taken at construction and freed by
 * {@link #close()}.
 *
 * <pre>{@code
 * RetireQueue retire = new RetireQueue(pool, 4096, RetireQueue.Producers.ONE);
 * AgentRunner reclaimer = retire.startReclaimer(new BackoffIdleStrategy());
 * // audio thread:  long voice = pool.allocate(...); ...; retire.retire(voice);
 * // shutdown:      reclaimer.close(); retire.close();
 * }</pre>
 */
public final class RetireQueue implements AutoCloseable
{
    /** Who may call {@code retire}. */
    public enum Producers
    {
        /** One thread at a time (one real-time thread): the cheapest queues. */
        ONE,
        /** Several threads at once (several real-time threads). */
        MANY
    }

    /** A sensible default: room for 1024 blocks and 1024 objects in flight. */
    public static final int DEFAULT_CAPACITY = 1024;

    /** The ring buffer message type of a retired block. */
    static final int BLOCK_MESSAGE_TYPE = 1;

    private static final int RECORD_LENGTH = 2 * Long.BYTES; // Agrona's 8-byte record header + the address
    private static final long NULL = 0L;
    private static final int RING_ALIGNMENT = BitUtil.CACHE_LINE_LENGTH;

    private final AllocationCallbacks allocator;
    private final int capacity;
    private final RingBuffer blocks;
    private final long ringAddress;
    private final UnsafeBuffer blockBuffer;
    private final QueuedPipe<Reclaimable> objects;
    private final ErrorHandler errorHandler;
    private final MessageHandler freeBlock = this::freeBlock;
    private final Consumer<Reclaimable> reclaimObject = this::reclaimObject;
    private final AtomicLong leakedBlocks = new AtomicLong();
    private final AtomicLong leakedObjects = new AtomicLong();
    private final AtomicLong reclaimedBlocks = new AtomicLong();
    private final AtomicLong reclaimedObjects = new AtomicLong();
    private final AtomicLong reclaimFailures = new AtomicLong();
    private boolean closed; // set by close(), after the producers and the reclaimer stopped

    /**
     * Creates a queue whose reclaim failures are printed to standard error.
     *
     * @param allocator where retired blocks are freed; must be thread-safe.
     * @param capacity  blocks (and, separately, objects) that can be in flight; rounded up to a
     *                  power of two (the block ring may hold up to twice as many).
     * @param producers how many threads may retire at once.
     * @throws IllegalArgumentException when {@code capacity} is below 1 or above 2^24, or the
     *                                  allocator's traits say it is not thread-safe.
     * @throws IllegalStateException    when the allocator cannot provide the block ring.
     * @throws NullPointerException     when an argument is {@code null}.
     */
    public RetireQueue(final AllocationCallbacks allocator, final int capacity, final Producers producers)
    {
        this(allocator, capacity, producers, Throwable::printStackTrace);
    }

    /**
     * Creates a queue.
     *
     * @param allocator    where retired blocks are freed; must be thread-safe.
     * @param capacity     blocks (and, separately, objects) that can be in flight; rounded up to a
     *                     power of two (the block ring may hold up to twice as many).
     * @param producers    how many threads may retire at once.
     * @param errorHandler told about every exception a {@link Reclaimable#reclaim()} throws.
     * @throws IllegalArgumentException when {@code capacity} is below 1 or above 2^24, or the
     *                                  allocator's traits say it is not thread-safe.
     * @throws IllegalStateException    when the allocator cannot provide the block ring.
     * @throws NullPointerException     when an argument is {@code null}.
     */
    public RetireQueue(
        final AllocationCallbacks allocator,
        final int capacity,
        final Producers producers,
        final ErrorHandler errorHandler)
    {
        this.allocator = Objects.requireNonNull(allocator, "allocator");
        Objects.requireNonNull(producers, "producers");
        this.errorHandler = Objects.requireNonNull(errorHandler, "errorHandler");
        if (capacity < 1 || capacity > (1 << 24))
        {
            throw new IllegalArgumentException("capacity must be from 1 to 2^24: " + capacity);
        }
        if (!allocator.traits().threadSafe())
        {
            throw new IllegalArgumentException("the reclaimer frees on its own thread, so the allocator must be " +
                "thread-safe, and " + allocator + " declares it is not (use a TLSF pool in SHARED mode)");
        }
        this.capacity = BitUtil.findNextPositivePowerOfTwo(capacity);
        // A ring buffer keeps one record's worth of room free: size it for one more than promised.
        final int ringLength = BitUtil.findNextPositivePowerOfTwo((this.capacity + 1) * RECORD_LENGTH) +
            RingBufferDescriptor.TRAILER_LENGTH;
        ringAddress = allocator.allocate(ringLength, RING_ALIGNMENT, SystemAllocationScope.OBJECT);
        if (ringAddress == NULL)
        {
            throw new IllegalStateException(allocator + " could not provide the " + ringLength +
                "-byte block ring of a RetireQueue");
        }
        memSet(ringAddress, 0, ringLength); // Agrona's ring buffers start from zeroed memory
        blockBuffer = new UnsafeBuffer(ringAddress, ringLength);
        if (producers == Producers.ONE)
        {
            blocks = new OneToOneRingBuffer(blockBuffer);
            objects = new OneToOneConcurrentArrayQueue<>(this.capacity);
        }
        else
        {
            blocks = new ManyToOneRingBuffer(blockBuffer);
            objects = new ManyToOneConcurrentArrayQueue<>(this.capacity);
        }
    }

    /**
     * Hands a block to the reclaimer. Real-time safe: never blocks, never frees, allocates nothing.
     *
     * @param block a live block of the queue's allocator, or 0 (ignored).
     * @return {@code true} when queued (or 0); {@code false} when the queue was full (or closed): the
     *         block is then leaked and counted in {@link #leakedBlocks()}, and must not be used again.
     */
    public boolean retire(final long block)
    {
        if (block == NULL)
        {
            return true;
        }
        if (closed)
        {
            leakedBlocks.incrementAndGet();
            return false;
        }
        final int index = blocks.tryClaim(BLOCK_MESSAGE_TYPE, Long.BYTES);
        if (index < 0)
        {
            leakedBlocks.incrementAndGet();
            return false;
        }
        blockBuffer.putLong(index, block);
        blocks.commit(index);
        return true;
    }

    /**
     * Hands an object to the reclaimer, which calls its {@link Reclaimable#reclaim()}. Real-time
     * safe: never blocks, allocates nothing.
     *
     * @param object what to release; {@code null} is ignored.
     * @return {@code true} when queued (or {@code null}); {@code false} when the queue was full (or
     *         closed): the object is then never reclaimed (its memory is leaked) and counted in
     *         {@link #leakedObjects()}.
     */
    public boolean retire(final Reclaimable object)
    {
        if (null == object)
        {
            return true;
        }
        if (closed || !objects.offer(object))
        {
            leakedObjects.incrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Frees every block and reclaims every object retired so far. Call from one reclaimer thread at
     * a time.
     *
     * @return how many blocks and objects were released.
     */
    public int reclaim()
    {
        return reclaim(Integer.MAX_VALUE);
    }

    /**
     * Frees at most {@code limit} blocks and reclaims at most {@code limit} objects. Call from one
     * reclaimer thread at a time.
     *
     * @param limit the most of each to release, at least 1.
     * @return how many blocks and objects were released; 0 once closed.
     */
    public int reclaim(final int limit)
    {
        if (closed)
        {
            return 0;
        }
        return blocks.read(freeBlock, limit) + objects.drain(reclaimObject, limit);
    }

    /**
     * Blocks retired but lost because the queue was full.
     *
     * @return the count since creation.
     */
    public long leakedBlocks()
    {
        return leakedBlocks.get();
    }

    /**
     * Objects retired but never reclaimed because the queue was full.
     *
     * @return the count since creation.
     */
    public long leakedObjects()
    {
        return leakedObjects.get();
    }

    /**
     * Blocks the reclaimer freed.
     *
     * @return the count since creation.
     */
    public long reclaimedBlocks()
    {
        return reclaimedBlocks.get();
    }

    /**
     * Objects the reclaimer reclaimed (including those whose {@code reclaim} threw).
     *
     * @return the count since creation.
     */
    public long reclaimedObjects()
    {
        return reclaimedObjects.get();
    }

    /**
     * {@link Reclaimable#reclaim()} calls that threw.
     *
     * @return the count since creation.
     */
    public long reclaimFailures()
    {
        return reclaimFailures.get();
    }

    /**
     * How many blocks (at least) and objects (exactly) can be in flight.
     *
     * @return the capacity, a power of two.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * The allocator blocks are freed with.
     *
     * @return the allocator given at construction.
     */
    public AllocationCallbacks allocator()
    {
        return allocator;
    }

    /**
     * An Agrona {@link Agent} that reclaims on every duty cycle and once more when closed; run it
     * with an {@link AgentRunner} (or an {@code AgentInvoker} in the integrator's own loop).
     *
     * @return a new agent bound to this queue.
     */
    public Agent reclaimerAgent()
    {
        return new Agent()
        {
            @Override
            public int doWork()
            {
                return reclaim();
            }

            @Override
            public void onClose()
            {
                reclaim();
            }

            @Override
            public String roleName()
            {
                return "hostalloc-reclaimer";
            }
        };
    }

    /**
     * Starts {@link #reclaimerAgent()} on a new daemon thread named {@code hostalloc-reclaimer}.
     *
     * @param idleStrategy how the reclaimer waits when there is nothing to do (e.g.
     *                     {@code new SleepingMillisIdleStrategy(1)} or a {@code BackoffIdleStrategy}).
     * @return the runner; {@link AgentRunner#close()} stops the thread after a last reclaim.
     */
    public AgentRunner startReclaimer(final IdleStrategy idleStrategy)
    {
        final AgentRunner runner = new AgentRunner(idleStrategy, errorHandler, null, reclaimerAgent());
        AgentRunner.startOnThread(runner, r ->
        {
            final Thread thread = new Thread(r, "hostalloc-reclaimer");
            thread.setDaemon(true);
            return thread;
        });
        return runner;
    }

    /**
     * Releases whatever is still queued, then frees the block ring. Call once the producers and the
     * reclaimer have stopped; later {@code retire} calls count as leaks. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            reclaim();
            closed = true;
            allocator.free(ringAddress);
        }
    }

    @Override
    public String toString()
    {
        return "RetireQueue[capacity " + capacity + ", reclaimed " + reclaimedBlocks.get() + " blocks / " +
            reclaimedObjects.get() + " objects, leaked " + leakedBlocks.get() + " / " + leakedObjects.get() + "]";
    }

    private void freeBlock(final int msgTypeId, final DirectBuffer buffer, final int index, final int length)
    {
        allocator.free(buffer.getLong(index));
        reclaimedBlocks.lazySet(reclaimedBlocks.get() + 1); // single reclaimer thread
    }

    private void reclaimObject(final Reclaimable object)
    {
        reclaimedObjects.lazySet(reclaimedObjects.get() + 1);
        try
        {
            object.reclaim();
        }
        catch (final RuntimeException ex)
        {
            reclaimFailures.incrementAndGet();
            errorHandler.onError(ex);
        }
    }
}
