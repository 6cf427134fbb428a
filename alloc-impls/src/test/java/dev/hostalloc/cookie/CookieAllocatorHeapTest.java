package dev.hostalloc.cookie;

import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.HeapAllocationMeter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hot paths allocate no Java heap once compiled, in both modes, poisoning included. */
class CookieAllocatorHeapTest
{
    private static final long[] ALIGNMENTS = { 1, 8, 16, 64, 4096 };

    private final RecordingViolationHandler handler = new RecordingViolationHandler(4);
    private final long[] batch = new long[ALIGNMENTS.length];
    private long block;

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void allocateReallocateFreeAllocateNoHeap(final boolean strict)
    {
        final CookieAllocator allocator = new CookieAllocator(new SystemAllocator(handler), handler,
            CookieOptions.DEFAULT.withStrict(strict).withPoison(true));
        assertEquals(0, HeapAllocationMeter.minimumBytes(i ->
        {
            for (int j = 0; j < ALIGNMENTS.length; j++)
            {
                batch[j] = allocator.allocate(16 + ((i + j) & 127), ALIGNMENTS[j], OBJECT);
            }
            for (int j = 0; j < ALIGNMENTS.length; j++)
            {
                batch[j] = allocator.reallocate(batch[j], 300 + (i & 63), ALIGNMENTS[j], OBJECT);
            }
            for (int j = 0; j < ALIGNMENTS.length; j++)
            {
                allocator.free(batch[j]);
            }
        }), "strict " + strict);
        block = allocator.allocate(64, 16, OBJECT);
        assertEquals(0, HeapAllocationMeter.minimumBytes(i ->
            block = allocator.reallocate(block, 32 + (i & 255), 16, OBJECT)));
        allocator.free(block);
        assertEquals(0, handler.totalCount(), handler.report());
    }
}
