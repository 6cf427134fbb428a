package dev.hostalloc.tests.realtime;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.realtime.RealtimeThreads;
import dev.hostalloc.realtime.RetireQueue;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.tests.audit.AllocationAudit;
import dev.hostalloc.tests.audit.NoAllocation;
import dev.hostalloc.tlsf.ThreadingMode;
import dev.hostalloc.tlsf.TlsfAllocator;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static dev.hostalloc.api.SystemAllocationScope.COMMAND;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.system.MemoryUtil.memGetLong;
import static org.lwjgl.system.MemoryUtil.memPutLong;
import static org.lwjgl.system.MemoryUtil.memSet;

/**
 * A real-time audio-style loop under {@link NoAllocation}: 10^6 iterations that drain control
 * messages (note on, note off, block size, panic), allocate a scratch block from a shared TLSF
 * pool, use it and retire it to a reclaimer thread. The audit watches the system allocator the
 * pool took its arena from: the loop must reach neither it nor the Java heap, in any message arm.
 *
 * <p>Work comes in periods of {@value #EVENTS_PER_PERIOD} iterations separated by a short wait,
 * as an audio callback returns to its driver between buffers; that is when the reclaimer runs.
 * Each pass starts by posting one message of every kind, so every handling arm runs in the
 * warm-up pass and again inside the audited pass (no "warm-up blindness"); a control thread posts
 * more at random meanwhile. The loop's thread is registered as real-time, so a pool lock held by
 * the reclaimer makes an allocation fail (counted) instead of waiting, and a full retire queue
 * leaks (counted) instead of freeing on the real-time thread.
 */
class RealtimeLoopTest
{
    private static final int ITERATIONS = 1_000_000;
    private static final int PASSES = 2;                 // @NoAllocation's warm-up pass and the audited one
    private static final long POOL_BYTES = 64L << 20;
    private static final int RETIRE_CAPACITY = 1 << 15;
    private static final int CONTROL_RING_BYTES = 1 << 16;
    private static final int MAX_VOICES = 16;
    private static final long VOICE_BYTES = 2048;
    private static final long VOICE_ALIGNMENT = 256;
    private static final long SCRATCH_ALIGNMENT = 64;
    private static final int MESSAGES_PER_ITERATION = 4;
    private static final int EVENTS_PER_PERIOD = 256;    // an audio period's worth of work ...
    private static final long PERIOD_WAIT_NANOS = 10_000; // ... then the wait for the next period

    private static final int NOTE_ON = 1;
    private static final int NOTE_OFF = 2;
    private static final int BLOCK_SIZE = 3;
    private static final int PANIC = 4;
    private static final int MESSAGE_TYPES = 5;          // index 0 unused

    private final AllocationCallbacks host = AllocationAudit.watch(new SystemAllocator());
    private final RecordingViolationHandler violations = new RecordingViolationHandler(8);
    private final long[] voices = new long[MAX_VOICES];
    private final long[][] handledPerPass = new long[PASSES][MESSAGE_TYPES];
    private final long[] allocationFailuresPerPass = new long[PASSES];
    private final MessageHandler onControl = this::onControl;
    private final AtomicBoolean stopControl = new AtomicBoolean();

    private TlsfAllocator pool;
    private RetireQueue retire;
    private AgentRunner reclaimer;
    private long controlMemory;
    private ManyToOneRingBuffer control;
    private Thread controlThread;
    private int voiceCount;
    private long scratchBytes = 128;
    private long checksum;
    private int pass;
    private long voicesRetired;
    private long scratchRetired;

    @BeforeEach
    void setUp()
    {
        pool = new TlsfAllocator(host, POOL_BYTES, ThreadingMode.SHARED, violations);
        retire = new RetireQueue(pool, RETIRE_CAPACITY, RetireQueue.Producers.ONE);
        reclaimer = retire.startReclaimer(new BackoffIdleStrategy());
        final int ringLength = CONTROL_RING_BYTES + RingBufferDescriptor.TRAILER_LENGTH;
        controlMemory = host.allocate(ringLength, SCRATCH_ALIGNMENT, OBJECT);
        memSet(controlMemory, 0, ringLength); // Agrona's ring buffers start from zeroed memory
        control = new ManyToOneRingBuffer(new UnsafeBuffer(controlMemory, ringLength));
        controlThread = new Thread(this::postRandomMessages, "control");
        controlThread.start();
        RealtimeThreads.registerCurrent();
    }

    @AfterEach
    void tearDown() throws Exception
    {
        RealtimeThreads.unregisterCurrent();
        stopControl.set(true);
        controlThread.join();
        reclaimer.close();
        retire.close();
        for (int v = 0; v < voiceCount; v++)
        {
            pool.free(voices[v]);
        }
        System.out.printf("RealtimeLoopTest: audited pass handled %s messages (note on, note off, block size, panic);" +
            " allocation failures per pass %s; %d scratch and %d voice blocks retired, %d leaked (queue full);" +
            " pool contention failures %d; checksum %d%n",
            java.util.Arrays.toString(java.util.Arrays.copyOfRange(handledPerPass[PASSES - 1], 1, MESSAGE_TYPES)),
            java.util.Arrays.toString(allocationFailuresPerPass), scratchRetired, voicesRetired, retire.leakedBlocks(),
            pool.contentionFailures(), checksum);
        for (int type = NOTE_ON; type < MESSAGE_TYPES; type++)
        {
            assertTrue(handledPerPass[PASSES - 1][type] > 0, "message type " + type + " handled inside the audited pass");
        }
        assertEquals(retire.leakedBlocks(), pool.usedBlocks(),
            "every block was retired and freed by the reclaimer, except those the full queue leaked");
        assertEquals(scratchRetired + voicesRetired, retire.reclaimedBlocks() + retire.leakedBlocks());
        pool.check();
        assertEquals(0, violations.totalCount(), violations.report());
        pool.close();
        host.free(controlMemory);
    }

    @Test
    @NoAllocation
    void aMillionIterationsAllocateUseAndRetireWithoutAllocating()
    {
        final int p = pass++;
        for (int type = NOTE_ON; type < MESSAGE_TYPES; type++)
        {
            post(type, type * 100);
        }
        final TlsfAllocator pool = this.pool;
        final RetireQueue retire = this.retire;
        long failures = 0;
        long sum = 0;
        for (int i = 0; i < ITERATIONS; i++)
        {
            if ((i & (EVENTS_PER_PERIOD - 1)) == 0)
            {
                LockSupport.parkNanos(PERIOD_WAIT_NANOS); // where a driver callback would return
            }
            control.read(onControl, MESSAGES_PER_ITERATION);
            final long size = scratchBytes + ((i & 15) << 4);
            final long scratch = pool.allocate(size, SCRATCH_ALIGNMENT, COMMAND);
            if (scratch == 0)
            {
                failures++;
                continue;
            }
            memPutLong(scratch, i);                              // use it: write, read back
            memPutLong(scratch + size - Long.BYTES, sum);
            sum += memGetLong(scratch) ^ memGetLong(scratch + size - Long.BYTES);
            retire.retire(scratch);
            scratchRetired++;
        }
        checksum += sum;
        allocationFailuresPerPass[p] = failures;
    }

    private void onControl(final int type, final DirectBuffer buffer, final int index, final int length)
    {
        final int argument = buffer.getInt(index);
        final int p = Math.min(pass - 1, PASSES - 1);
        handledPerPass[p][type]++;
        switch (type)
        {
            case NOTE_ON -> noteOn(argument);
            case NOTE_OFF -> noteOff();
            case BLOCK_SIZE -> scratchBytes = 16 + (argument & 511);
            case PANIC ->
            {
                while (voiceCount > 0)
                {
                    noteOff();
                }
            }
            default -> throw new IllegalStateException("unknown control message " + type);
        }
    }

    private void noteOn(final int velocity)
    {
        if (voiceCount == MAX_VOICES)
        {
            noteOff();
        }
        final long voice = pool.allocate(VOICE_BYTES, VOICE_ALIGNMENT, OBJECT);
        if (voice != 0)
        {
            memPutLong(voice, velocity);
            voices[voiceCount++] = voice;
        }
    }

    private void noteOff()
    {
        if (voiceCount > 0)
        {
            final long oldest = voices[0];
            System.arraycopy(voices, 1, voices, 0, --voiceCount);
            retire.retire(oldest);
            voicesRetired++;
        }
    }

    private void post(final int type, final int argument)
    {
        final int index = control.tryClaim(type, Integer.BYTES);
        if (index >= 0)
        {
            control.buffer().putInt(index, argument);
            control.commit(index);
        }
    }

    private void postRandomMessages()
    {
        final SplittableRandom random = new SplittableRandom(3);
        while (!stopControl.get())
        {
            post(random.nextInt(NOTE_ON, MESSAGE_TYPES), random.nextInt(1 << 16));
            LockSupport.parkNanos(20_000);
        }
    }
}
