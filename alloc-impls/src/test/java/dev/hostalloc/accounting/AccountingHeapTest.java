package dev.hostalloc.accounting;

import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.HeapAllocationMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** After warm-up the hot paths allocate no Java heap: allocate, free, reallocate, and a refusal by a limit. */
class AccountingHeapTest
{
    private final AccountingAllocator accounting = AccountingAllocator.builder(new SystemAllocator())
        .exportToConfiguredCounters(false).onClose(r -> { }).build();
    private final Account leaf = accounting.root().child("renderer/textures", 1 << 20);
    private long block;
    private long refused;

    @AfterEach
    void close()
    {
        accounting.close();
    }

    @Test
    void allocateAndFreeThroughAThreeLevelChainAllocateNoHeap()
    {
        assertEquals(0, HeapAllocationMeter.minimumBytes(i -> leaf.free(leaf.allocate(64 + (i & 63), 16, OBJECT))));
        assertEquals(0, HeapAllocationMeter.minimumBytes(i -> accounting.free(accounting.allocate(64, 256, OBJECT))));
        assertEquals(0, leaf.currentBytes());
    }

    @Test
    void theLeanModeAllocatesNoHeap()
    {
        try (AccountingAllocator lean = AccountingAllocator.builder(new SystemAllocator()).trackBlocks(false)
            .exportToConfiguredCounters(false).onClose(r -> { }).build())
        {
            final Account account = lean.root().child("a/b", 1 << 20);
            assertEquals(0, HeapAllocationMeter.minimumBytes(i -> account.free(account.allocate(64 + (i & 63), 16, OBJECT))));
            block = account.allocate(64, 16, OBJECT);
            assertEquals(0, HeapAllocationMeter.minimumBytes(i -> block = account.reallocate(block, 64 + (i & 1023), 16, OBJECT)));
            account.free(block);
        }
    }

    @Test
    void reallocateAllocatesNoHeap()
    {
        block = leaf.allocate(64, 16, OBJECT);
        assertEquals(0, HeapAllocationMeter.minimumBytes(i ->
        {
            block = leaf.reallocate(block, 4096 + (i & 255), 16, OBJECT);
            block = leaf.reallocate(block, 32 + (i & 31), 16, OBJECT);
        }));
        leaf.free(block);
    }

    @Test
    void aRefusalByALimitAllocatesNoHeapWhileItsEventIsOff()
    {
        assertEquals(0, HeapAllocationMeter.minimumBytes(i -> refused += leaf.allocate(2 << 20, 16, OBJECT)));
        assertEquals(0, refused);
        assertTrue(leaf.failures() > HeapAllocationMeter.DEFAULT_WARM_UP);
    }

    @Test
    void manyLiveBlocksAllocateNoHeapOnceTheTableHasGrown()
    {
        final long[] blocks = new long[5000];
        final HeapAllocationMeter.Iteration fillAndEmpty = i ->
        {
            final int n = i % blocks.length;
            if (blocks[n] != 0)
            {
                leaf.free(blocks[n]);
            }
            blocks[n] = leaf.allocate(16, 8, OBJECT);
        };
        assertEquals(0, HeapAllocationMeter.minimumBytes(fillAndEmpty));
        for (final long b : blocks)
        {
            leaf.free(b);
        }
    }
}
