package dev.hostalloc.tlsf;

import dev.hostalloc.api.RecordingViolationHandler;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One shared pool for everything without a budget of its own, and per-component pools carved from
 * it: a plugin that exhausts its budget gets 0 while the others and the shared pool carry on.
 */
class TlsfSubPoolTest
{
    private final RecordingViolationHandler handler = new RecordingViolationHandler(16);

    @Test
    void perPluginBudgetsAreCarvedFromTheHostPoolNextToTheSharedPool() throws Exception
    {
        try (TlsfAllocator host = TlsfAllocator.mapped(16L << 20, ThreadingMode.SHARED, handler))
        {
            final TlsfAllocator reverb = host.subPool(1L << 20, ThreadingMode.OWNED);
            final TlsfAllocator synth = host.subPool(2L << 20, ThreadingMode.OWNED);
            assertEquals(2, host.usedBlocks(), "each budget is one block of the host pool");

            // The reverb exhausts its budget on its own thread ...
            final List<Long> reverbBlocks = new ArrayList<>();
            final Thread reverbThread = new Thread(() ->
            {
                long p;
                while ((p = reverb.allocate(4096, 64, OBJECT)) != 0)
                {
                    reverbBlocks.add(p);
                }
                reverb.releaseOwnership();
            });
            reverbThread.start();
            reverbThread.join();
            assertTrue(reverbBlocks.size() > 200 && reverbBlocks.size() < 256, "1 MiB / 4 KiB: " + reverbBlocks.size());
            reverb.releaseOwnership();
            assertEquals(0, reverb.allocate(4096, 64, OBJECT), "the reverb's budget is spent");
            reverb.releaseOwnership();

            // ... while the synth's budget and the shared pool are untouched.
            final long voice = synth.allocate(1L << 20, 16, OBJECT);
            assertNotEquals(0, voice);
            final long shared = host.allocate(8L << 20, 16, OBJECT);
            assertNotEquals(0, shared);

            // Unloading the reverb gives its whole budget back at once, its live blocks included.
            reverb.close();
            assertEquals(2, host.usedBlocks(), "the synth's budget and the shared block");
            assertNotEquals(0, host.allocate(1L << 20, 16, OBJECT), "the reverb's megabyte is back");

            synth.free(voice);
            synth.check();
            synth.close();
            host.check();
            assertTrue(host.statistics().freeBlocks() >= 1);
            assertEquals(0, handler.totalCount(), handler.report());
        }
    }

    @Test
    void aBudgetLargerThanWhatIsLeftIsRefusedClearly()
    {
        try (TlsfAllocator host = TlsfAllocator.mapped(1L << 20, ThreadingMode.SHARED, handler))
        {
            final IllegalStateException ex =
                assertThrows(IllegalStateException.class, () -> host.subPool(2L << 20, ThreadingMode.OWNED));
            assertTrue(ex.getMessage().contains("could not provide"), ex.getMessage());
            try (TlsfAllocator nested = host.subPool(512 * 1024, ThreadingMode.SHARED);
                 TlsfAllocator inner = nested.subPool(64 * 1024, ThreadingMode.OWNED))
            {
                assertNotEquals(0, inner.allocate(1000, 256, OBJECT));
                assertEquals(1, nested.usedBlocks());
            }
            assertEquals(0, host.usedBlocks());
            host.check();
        }
    }
}
