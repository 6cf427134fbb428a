package dev.hostalloc.testkit;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocationViolationException;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordingAllocatorTest
{
    @Test
    void recordsEveryCallInOrder()
    {
        final RecordingAllocator recorder = new RecordingAllocator(new FakeAddressAllocator(), 1);
        final long a = recorder.allocate(64, 16, SystemAllocationScope.DEVICE);
        final long b = recorder.reallocate(a, 128, 16, SystemAllocationScope.DEVICE);
        recorder.internalAllocationNotification(10, InternalAllocationType.EXECUTABLE, SystemAllocationScope.OBJECT);
        recorder.internalFreeNotification(10, InternalAllocationType.EXECUTABLE, SystemAllocationScope.OBJECT);
        recorder.free(b);

        final List<AllocationRecord> records = recorder.records();
        assertEquals(5, recorder.recordCount());
        assertEquals(new AllocationRecord(AllocationRecord.Kind.ALLOCATION, 0, 64, 16, 3, -1, a), records.get(0));
        assertEquals(new AllocationRecord(AllocationRecord.Kind.REALLOCATION, a, 128, 16, 3, -1, b), records.get(1));
        assertEquals(new AllocationRecord(AllocationRecord.Kind.INTERNAL_ALLOCATION, 0, 10, 0, 1, 0, 0), records.get(2));
        assertEquals(new AllocationRecord(AllocationRecord.Kind.INTERNAL_FREE, 0, 10, 0, 1, 0, 0), records.get(3));
        assertEquals(new AllocationRecord(AllocationRecord.Kind.FREE, b, 0, 0, -1, -1, 0), records.get(4));
        assertTrue(recorder.validate().check(0).passed());

        recorder.clear();
        assertEquals(0, recorder.recordCount());
    }

    @Test
    void aDelegateExceptionIsRecordedAsAZeroReturnAndRethrown()
    {
        final AllocationCallbacks throwing = new FakeAddressAllocator()
        {
            @Override
            public void free(final long memory)
            {
                throw new AllocationViolationException(Violation.FREE_NOT_ALLOCATED_PTR, memory, 0, null, null);
            }
        };
        final RecordingAllocator recorder = new RecordingAllocator(throwing);
        assertThrows(AllocationViolationException.class, () -> recorder.free(0x42));
        assertEquals(List.of(Violation.FREE_NOT_ALLOCATED_PTR),
            recorder.validate().violations().stream().map(ValidationError::violation).toList());
    }

    @Test
    void orderStaysConsistentUnderConcurrency() throws InterruptedException
    {
        // A delegate that reuses freed addresses immediately (LIFO), the case where a wrong record order
        // would show a live pointer handed out twice.
        final AllocationCallbacks reusing = new AllocationCallbacks()
        {
            private final List<Long> freeList = new ArrayList<>();
            private final AtomicLong next = new AtomicLong(0x1000);

            @Override
            public synchronized long allocate(final long size, final long alignment, final SystemAllocationScope scope)
            {
                return freeList.isEmpty() ? next.getAndAdd(0x100) : freeList.remove(freeList.size() - 1);
            }

            @Override
            public synchronized long reallocate(
                final long original, final long size, final long alignment, final SystemAllocationScope scope)
            {
                throw new UnsupportedOperationException();
            }

            @Override
            public synchronized void free(final long memory)
            {
                freeList.add(memory);
            }
        };
        final RecordingAllocator recorder = new RecordingAllocator(reusing);
        final Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++)
        {
            threads[t] = new Thread(() ->
            {
                for (int i = 0; i < 20_000; i++)
                {
                    recorder.free(recorder.allocate(32, 8, SystemAllocationScope.COMMAND));
                }
            });
            threads[t].start();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(8 * 20_000 * 2, recorder.recordCount());
        final ValidationReport report = recorder.validate().check(0);
        assertTrue(report.passed(), report.text());
    }
}
