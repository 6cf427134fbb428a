package dev.hostalloc.guard;

import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.testkit.HeapAllocationMeter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The guard allocator's calls allocate no Java heap once compiled (quarantine and eviction included).
 * Fewer iterations than elsewhere: each call costs system calls (about 10 microseconds).
 */
class GuardPageAllocatorHeapTest
{
    private static final int WARM_UP = 30_000;
    private static final int ITERATIONS = 10_000;
    private static final int ROUNDS = 3;

    private final RecordingViolationHandler handler = new RecordingViolationHandler(4);
    private long block;

    @ParameterizedTest
    @EnumSource(GuardMode.class)
    void allocateReallocateFreeAllocateNoHeap(final GuardMode mode)
    {
        final GuardPageAllocator allocator = new GuardPageAllocator(handler,
            GuardOptions.DEFAULT.withMode(mode).withQuarantineBytes(1 << 20));
        final long bytes = HeapAllocationMeter.minimumBytes(i ->
        {
            final long a = allocator.allocate(13 + (i & 63), 8, OBJECT);
            final long b = allocator.reallocate(a, 200 + (i & 511), 8, OBJECT);
            allocator.free(b);
        }, WARM_UP, ITERATIONS, ROUNDS);
        assertEquals(0, bytes, mode.name());
        block = allocator.allocate(64, 16, OBJECT);
        allocator.free(block);
        assertEquals(0, handler.totalCount(), handler.report());
        allocator.drainQuarantine();
    }
}
