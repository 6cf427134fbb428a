package dev.hostalloc.system;

import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.testkit.HeapAllocationMeter;
import org.junit.jupiter.api.Test;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hot paths allocate no Java heap once compiled: the thread's allocated-bytes counter does not
 * move over {@link #MEASURED} calls after {@link #WARM_UP} calls.
 */
class SystemAllocatorHeapTest
{
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 100_000;
    private static final long[] BATCH_ALIGNMENTS = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096, 65536 };

    private final RecordingViolationHandler handler = new RecordingViolationHandler(4);
    private final SystemAllocator allocator = new SystemAllocator(handler);
    private final long[] batch = new long[BATCH_ALIGNMENTS.length];
    private long block;
    private Object sink;

    @Test
    void measuringItselfAllocatesNothing()
    {
        assertEquals(0, heapBytes(i -> {}), "the measurement loop itself allocates");
    }

    @Test
    void measuringSeesAHeapAllocation()
    {
        assertTrue(heapBytes(i -> sink = new long[1]) >= MEASURED, "the measurement misses heap allocation");
        sink = null;
    }

    @Test
    void allocateAndFreeAllocateNoHeap()
    {
        assertEquals(0, heapBytes(i -> allocator.free(allocator.allocate(64 + (i & 63), 8, OBJECT))));
        assertEquals(0, heapBytes(i -> allocator.free(allocator.allocate(64 + (i & 63), 4096, OBJECT))));
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void reallocateGrowAndShrinkAllocateNoHeap()
    {
        for (final long alignment : new long[] { 8, 256 })
        {
            block = allocator.allocate(64, alignment, OBJECT);
            assertEquals(0, heapBytes(i ->
            {
                block = allocator.reallocate(block, 4096 + (i & 255), alignment, OBJECT);
                block = allocator.reallocate(block, 32 + (i & 31), alignment, OBJECT);
            }), "alignment " + alignment);
            allocator.free(block);
        }
        assertEquals(0, handler.totalCount(), handler.report());
    }

    @Test
    void mixedAlignmentBatchAllocatesNoHeap()
    {
        assertEquals(0, heapBytes(i ->
        {
            for (int j = 0; j < BATCH_ALIGNMENTS.length; j++)
            {
                batch[j] = allocator.allocate(16 + ((i + j) & 127), BATCH_ALIGNMENTS[j], OBJECT);
            }
            for (int j = 0; j < BATCH_ALIGNMENTS.length; j++)
            {
                batch[j] = allocator.reallocate(batch[j], 200, BATCH_ALIGNMENTS[j], OBJECT);
            }
            for (int j = 0; j < BATCH_ALIGNMENTS.length; j++)
            {
                allocator.free(batch[j]);
            }
        }));
        assertEquals(0, handler.totalCount(), handler.report());
    }

    private static long heapBytes(final HeapAllocationMeter.Iteration operation)
    {
        final long bytes = HeapAllocationMeter.minimumBytes(operation, WARM_UP, MEASURED, HeapAllocationMeter.DEFAULT_ROUNDS);
        System.out.println("SystemAllocatorHeapTest: " + bytes + " heap bytes over " + MEASURED + " iterations");
        return bytes;
    }
}
