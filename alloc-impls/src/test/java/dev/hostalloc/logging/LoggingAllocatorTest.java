package dev.hostalloc.logging;

import dev.hostalloc.accounting.AccountingCounters;
import dev.hostalloc.accounting.AccountingCountersReader;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.HeapAllocationMeter;
import dev.hostalloc.trace.TraceFileDescriptor;
import dev.hostalloc.trace.TraceFooter;
import dev.hostalloc.trace.TraceOperation;
import dev.hostalloc.trace.TraceReader;
import dev.hostalloc.trace.TraceRecord;
import dev.hostalloc.trace.TraceRecordDescriptor;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoggingAllocatorTest
{
    @TempDir
    Path dir;

    @Test
    void everyCallIsWrittenWithItsArgumentsAndResult() throws Exception
    {
        for (final boolean precise : new boolean[] { false, true })
        {
            everyCallIsWritten(precise);
        }
    }

    private void everyCallIsWritten(final boolean precise) throws Exception
    {
        final Path file = dir.resolve("calls-" + precise + ".trace");
        final long a;
        final long b;
        final long c;
        final long threadId = Thread.currentThread().threadId();
        try (LoggingAllocator logging = LoggingAllocator.builder(file, new SystemAllocator()).preciseClock(precise).open())
        {
            a = logging.allocate(100, 16, SystemAllocationScope.OBJECT);
            b = logging.reallocate(a, 5000, 16, SystemAllocationScope.OBJECT);
            c = logging.allocate(64, 256, SystemAllocationScope.DEVICE);
            logging.internalAllocationNotification(4096, InternalAllocationType.EXECUTABLE, SystemAllocationScope.CACHE);
            logging.internalFreeNotification(4096, InternalAllocationType.EXECUTABLE, SystemAllocationScope.CACHE);
            logging.free(b);
            logging.free(c);
            logging.free(0);
            final TraceFooter footer = logging.finish();
            assertEquals(8, footer.recordsWritten());
            assertEquals(0, footer.recordsDropped());
        }
        final TraceReader reader = TraceReader.open(file);
        assertTrue(reader.isComplete());
        assertEquals(precise ? TraceFileDescriptor.CLOCK_NANO_TIME : TraceFileDescriptor.CLOCK_CACHED_NANO_TIME,
            reader.header().clock());
        assertEquals(8, reader.recordCount());
        assertEquals(Files.size(file), 64 + 9 * TraceRecordDescriptor.RECORD_LENGTH);
        final List<TraceRecord> records = reader.readAll();
        assertRecord(records.get(0), TraceOperation.ALLOCATE, 100, 16, 0, a, SystemAllocationScope.OBJECT);
        assertRecord(records.get(1), TraceOperation.REALLOCATE, 5000, 16, a, b, SystemAllocationScope.OBJECT);
        assertRecord(records.get(2), TraceOperation.ALLOCATE, 64, 256, 0, c, SystemAllocationScope.DEVICE);
        assertEquals(TraceOperation.INTERNAL_ALLOCATION, records.get(3).operation());
        assertEquals(InternalAllocationType.EXECUTABLE, records.get(3).type());
        assertEquals(SystemAllocationScope.CACHE, records.get(3).scope());
        assertEquals(TraceOperation.INTERNAL_FREE, records.get(4).operation());
        assertRecord(records.get(5), TraceOperation.FREE, 0, 0, b, 0, null);
        assertRecord(records.get(6), TraceOperation.FREE, 0, 0, c, 0, null);
        assertRecord(records.get(7), TraceOperation.FREE, 0, 0, 0, 0, null);
        for (final TraceRecord record : records)
        {
            assertEquals((int)threadId, record.thread());
            assertTrue(record.timestamp() >= reader.header().startClock());
        }
        for (int i = 1; i < records.size(); i++)
        {
            assertTrue(records.get(i).timestamp() >= records.get(i - 1).timestamp(), "timestamps in order");
        }
    }

    @Test
    void aNullScopeIsRecordedAsNoScope() throws Exception
    {
        final Path file = dir.resolve("null-scope.trace");
        try (LoggingAllocator logging = LoggingAllocator.open(file, new SystemAllocator()))
        {
            assertEquals(0, logging.allocate(8, 8, null));
        }
        final TraceRecord record = TraceReader.open(file).readAll().get(0);
        assertEquals(TraceRecordDescriptor.unsigned(TraceRecordDescriptor.NO_SCOPE), record.scopeValue());
        assertNull(record.scope());
    }

    @Test
    void aStalledWriterDropsRecordsAndCountsThemExactlyWithoutBlockingTheCaller() throws Exception
    {
        final Path file = dir.resolve("overrun.trace");
        final int ring = LoggingAllocator.MIN_RING_CAPACITY;
        final int fits = ring / LoggingAllocator.RING_SLOT_LENGTH;
        final UnsafeBuffer meta = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024 * 4));
        final UnsafeBuffer values = new UnsafeBuffer(ByteBuffer.allocateDirect(4 * 1024));
        final AtomicCounter exported = new CountersManager(meta, values).newCounter("logging dropped records");
        final int calls = 10_000;
        final LoggingAllocator logging = LoggingAllocator.builder(file, new SystemAllocator())
            .ringCapacity(ring).droppedCounter(exported).startPaused(true).open();
        long slowest = 0;
        for (int i = 0; i < calls; i++)
        {
            final long start = System.nanoTime();
            logging.free(0); // every call returns at once, ring full or not
            slowest = Math.max(slowest, System.nanoTime() - start);
        }
        assertEquals(calls - fits, logging.recordsDropped(), "the ring holds " + fits + " records");
        assertEquals(calls - fits, exported.get());
        logging.resumeWriter();
        final TraceFooter footer = logging.finish();
        assertEquals(fits, footer.recordsWritten());
        assertEquals(calls - fits, footer.recordsDropped());
        final TraceReader reader = TraceReader.open(file);
        assertEquals(fits, reader.recordCount());
        assertEquals(calls - fits, reader.recordsDropped());
        assertTrue(reader.describe().contains("HAS GAPS"), reader.describe());
        System.out.println("overrun: " + calls + " calls into a stalled " + ring + "-byte ring, " + footer.recordsDropped() +
            " dropped; slowest call " + slowest + " ns (not asserted: a shared machine)");
    }

    @Test
    void recordsWrittenAndTheOverrunAreExportedToARealCountersFileNextToTheAccounts() throws Exception
    {
        final Path counterFile = dir.resolve("app.counters");
        final Path file = dir.resolve("exported.trace");
        final int ring = LoggingAllocator.MIN_RING_CAPACITY;
        final int fits = ring / LoggingAllocator.RING_SLOT_LENGTH;
        final int calls = 1_000;
        try (AccountingCounters counters = AccountingCounters.create(counterFile);
             AccountingCountersReader reader = AccountingCountersReader.open(counterFile))
        {
            final LoggingAllocator logging = LoggingAllocator.builder(file, new SystemAllocator())
                .ringCapacity(ring).exportTo(counters).exportToConfiguredCounters(false).startPaused(true).open();
            for (int i = 0; i < calls; i++)
            {
                logging.free(0);
            }
            counters.publishNow();
            final String prefix = LoggingAllocator.LABEL_PREFIX + "exported.trace: ";
            assertEquals(List.of(
                new AccountingCountersReader.Counter(prefix + LoggingAllocator.WRITTEN_LABEL, 0),
                new AccountingCountersReader.Counter(prefix + LoggingAllocator.DROPPED_LABEL, calls - fits)),
                reader.exportedCounters(), "the writer is stalled: nothing written, all but the ring's " + fits + " dropped");
            assertTrue(reader.rows().isEmpty(), "an exported counter is not an account");

            logging.resumeWriter();
            final long deadline = System.nanoTime() + 10_000_000_000L;
            while (logging.recordsWritten() < fits && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            counters.publishNow();
            assertEquals(fits, reader.exportedCounters().get(0).value(), "records written, once the writer drained");
            assertEquals(calls - fits, reader.exportedCounters().get(1).value());

            logging.close();
            counters.publishNow();
            assertEquals(List.of(), reader.exportedCounters(), "a closed logger's counters are freed");
        }
    }

    @Test
    void loggingAllocatesNoJavaHeapPerCall() throws Exception
    {
        final Path file = dir.resolve("heap.trace");
        try (LoggingAllocator logging = LoggingAllocator.builder(file, new SystemAllocator()).ringCapacity(1 << 16).open())
        {
            final long bytes = HeapAllocationMeter.minimumBytes(i ->
            {
                final long block = logging.allocate(64, 16, SystemAllocationScope.OBJECT);
                final long grown = logging.reallocate(block, 128, 16, SystemAllocationScope.OBJECT);
                logging.free(grown);
            });
            assertEquals(0, bytes, "heap bytes per 100k iterations (written and dropped records alike)");
            assertTrue(logging.recordsWritten() + logging.recordsDropped() > 0);
        }
    }

    @Test
    void closeFreesTheRingThroughTheDelegateAndLaterCallsPassThroughUnlogged() throws Exception
    {
        final CountingAllocator counting = new CountingAllocator(new SystemAllocator());
        final Path file = dir.resolve("closed.trace");
        final LoggingAllocator logging = LoggingAllocator.open(file, counting);
        assertEquals(2, counting.live, "ring and staging buffer come from the delegate");
        logging.close();
        assertEquals(0, counting.live);
        assertTrue(logging.isClosed());
        final long block = logging.allocate(32, 8, SystemAllocationScope.COMMAND);
        assertNotEquals(0, block);
        logging.free(block);
        logging.close(); // idempotent
        assertEquals(0, TraceReader.open(file).recordCount());
    }

    @Test
    void openingTheSameFileAgainFinishesThePreviousLogger() throws Exception
    {
        final Path file = dir.resolve("same.trace");
        final LoggingAllocator first = LoggingAllocator.open(file, new SystemAllocator());
        first.free(0);
        final LoggingAllocator second = LoggingAllocator.open(file, new SystemAllocator());
        assertTrue(first.isClosed());
        assertFalse(second.isClosed());
        second.free(0);
        second.free(0);
        second.close();
        assertEquals(2, TraceReader.open(file).recordCount());
    }

    @Test
    void theSpecElementBuildsALoggerAndRejectsBadArguments() throws Exception
    {
        final Path file = dir.resolve("spec.trace");
        final AllocationCallbacks stack = Allocators.fromSpec("logging:" + file + ":ring=64k,system");
        final LoggingAllocator logging = assertInstanceOfLogging(stack);
        logging.free(logging.allocate(16, 16, SystemAllocationScope.OBJECT));
        logging.close();
        assertEquals(2, TraceReader.open(file).recordCount());
        assertEquals(1 << 16, TraceReader.open(file).header().ringCapacity());

        assertTrue(assertThrows(AllocatorSpecException.class, () -> Allocators.fromSpec("logging,system"))
            .getMessage().contains("needs the trace file"));
        assertTrue(assertThrows(AllocatorSpecException.class,
            () -> Allocators.fromSpec("logging:" + file + ":ring=1000,system")).getMessage().contains("power of two"));
        assertTrue(assertThrows(AllocatorSpecException.class,
            () -> Allocators.fromSpec("logging:" + file + ":clock=fast,system")).getMessage().contains("clock=fast"));
        final LoggingAllocator precise =
            assertInstanceOfLogging(Allocators.fromSpec("logging:" + file + ":clock=precise,system"));
        precise.close();
        assertEquals(TraceFileDescriptor.CLOCK_NANO_TIME, TraceReader.open(file).header().clock());
        assertTrue(assertThrows(AllocatorSpecException.class,
            () -> Allocators.fromSpec("logging:" + dir.resolve("no/such/dir/x.trace") + ",system"))
            .getMessage().contains("cannot write its trace"));
    }

    private static LoggingAllocator assertInstanceOfLogging(final AllocationCallbacks stack)
    {
        assertTrue(stack instanceof LoggingAllocator, String.valueOf(stack));
        return (LoggingAllocator)stack;
    }

    private static void assertRecord(
        final TraceRecord record, final TraceOperation operation, final long size, final long alignment,
        final long address, final long result, final SystemAllocationScope scope)
    {
        assertEquals(operation, record.operation(), record.toString());
        assertEquals(size, record.size(), record.toString());
        assertEquals(alignment, record.alignment(), record.toString());
        assertEquals(address, record.address(), record.toString());
        assertEquals(result, record.result(), record.toString());
        assertEquals(scope, record.scope(), record.toString());
    }

    /** Counts live blocks of its delegate. */
    private static final class CountingAllocator implements AllocationCallbacks
    {
        private final AllocationCallbacks delegate;
        int live;

        CountingAllocator(final AllocationCallbacks delegate)
        {
            this.delegate = delegate;
        }

        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            final long block = delegate.allocate(size, alignment, scope);
            live += block != 0 ? 1 : 0;
            return block;
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            return delegate.reallocate(original, size, alignment, scope);
        }

        @Override
        public void free(final long memory)
        {
            live -= memory != 0 ? 1 : 0;
            delegate.free(memory);
        }
    }
}
