package dev.hostalloc.tlsf;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.Allocators;
import org.junit.jupiter.api.Test;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlsfElementTest
{
    @Test
    void tlsfIsABuiltInBaseElement()
    {
        assertTrue(Allocators.elementNames().contains("tlsf"));
        assertTrue(Allocators.usage().contains("tlsf:<size>"), Allocators.usage());
        final RecordingViolationHandler handler = new RecordingViolationHandler(4);
        final AllocationCallbacks callbacks = Allocators.fromSpec("tlsf:64m", handler);
        final TlsfAllocator pool = assertInstanceOf(TlsfAllocator.class, callbacks);
        try
        {
            assertEquals(64L << 20, pool.capacity());
            assertEquals(ThreadingMode.SHARED, pool.threadingMode());
            assertEquals(TlsfAllocator.DEFAULT_SPINS, pool.spins());
            assertSame(handler, pool.violationHandler());
            assertTrue(pool.traits().realtimeSafe() && pool.traits().threadSafe() && pool.traits().boundedCapacity());
            final long p = pool.allocate(1000, 4096, OBJECT);
            assertNotEquals(0, p);
            pool.free(p);
        }
        finally
        {
            pool.close();
        }
    }

    @Test
    void threadsAndSpinsAreNamedArguments()
    {
        try (TlsfAllocator pool = (TlsfAllocator)Allocators.fromSpec("tlsf:4k:threads=owned:spins=0"))
        {
            assertEquals(4096, pool.capacity());
            assertEquals(ThreadingMode.OWNED, pool.threadingMode());
            assertEquals(0, pool.spins());
            assertTrue(!pool.traits().threadSafe());
        }
    }

    @Test
    void badArgumentsAreClearErrors()
    {
        assertMessage("tlsf", "needs positional argument 1");
        assertMessage("tlsf:lots", "bad size 'lots'");
        assertMessage("tlsf:10", "out of range");
        assertMessage("tlsf:1m:threads=many", "valid: shared, owned");
        assertMessage("tlsf:1m:spins=-1", "spins=-1 is invalid");
        assertMessage("tlsf:1m:spins=x", "spins=x is invalid");
        assertMessage("tlsf:1m:colour=red", "unexpected argument 'colour=red'");
        assertMessage("tlsf:1m:2m", "unexpected argument '2m'");
    }

    private static void assertMessage(final String spec, final String expected)
    {
        final AllocatorSpecException ex = assertThrows(AllocatorSpecException.class, () -> Allocators.fromSpec(spec));
        assertTrue(ex.getMessage().contains(expected), spec + ": " + ex.getMessage());
    }
}
