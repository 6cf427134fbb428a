package dev.hostalloc.tlsf;

import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.testkit.HeapAllocationMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hot paths allocate no Java heap once compiled, in both threading modes. */
class TlsfHeapAllocationTest
{
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 100_000;
    private static final long[] ALIGNMENTS = { 1, 8, 16, 64, 256, 4096 };

    private final RecordingViolationHandler handler = new RecordingViolationHandler(4);
    private final long[] batch = new long[ALIGNMENTS.length];
    private TlsfAllocator pool;
    private long block;

    @AfterEach
    void close()
    {
        pool.close();
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void allocateReallocateAndFreeAllocateNoHeap(final ThreadingMode mode)
    {
        pool = TlsfAllocator.mapped(8L << 20, mode, handler);
        assertEquals(0, heapBytes(i -> pool.free(pool.allocate(16 + (i & 1023), 8, OBJECT))));
        assertEquals(0, heapBytes(i ->
        {
            for (int j = 0; j < ALIGNMENTS.length; j++)
            {
                batch[j] = pool.allocate(16 + ((i + j) & 511), ALIGNMENTS[j], OBJECT);
            }
            for (int j = 0; j < ALIGNMENTS.length; j++)
            {
                batch[j] = pool.reallocate(batch[j], 700 + (i & 255), ALIGNMENTS[j], OBJECT);
            }
            for (int j = 0; j < ALIGNMENTS.length; j++)
            {
                pool.free(batch[j]);
            }
        }));
        block = pool.allocate(64, 32, OBJECT);
        assertEquals(0, heapBytes(i ->
        {
            block = pool.reallocate(block, 4096 + (i & 255), 32, OBJECT);
            block = pool.reallocate(block, 32 + (i & 31), 32, OBJECT);
        }));
        pool.free(block);
        assertEquals(0, pool.usedBlocks());
        assertEquals(0, handler.totalCount(), handler.report());
    }

    private static long heapBytes(final HeapAllocationMeter.Iteration operation)
    {
        final long bytes = HeapAllocationMeter.minimumBytes(operation, WARM_UP, MEASURED, HeapAllocationMeter.DEFAULT_ROUNDS);
        System.out.println("TlsfHeapAllocationTest: " + bytes + " heap bytes over " + MEASURED + " iterations");
        return bytes;
    }
}
