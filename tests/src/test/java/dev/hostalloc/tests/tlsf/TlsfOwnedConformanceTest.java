package dev.hostalloc.tests.tlsf;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.tests.conformance.AllocationCallbacksConformanceTest;
import dev.hostalloc.tlsf.ThreadingMode;
import dev.hostalloc.tlsf.TlsfAllocator;
import org.junit.jupiter.api.AfterEach;

import java.util.ArrayList;
import java.util.List;

/**
 * The conformance kit on an owned TLSF pool (no synchronization: the kit skips its concurrent
 * check because the traits say the pool is not thread-safe).
 */
class TlsfOwnedConformanceTest extends AllocationCallbacksConformanceTest
{
    private final List<TlsfAllocator> pools = new ArrayList<>();

    @Override
    protected AllocationCallbacks createCallbacks()
    {
        final TlsfAllocator pool = new TlsfAllocator(new SystemAllocator(), TlsfSharedConformanceTest.ARENA_BYTES,
            ThreadingMode.OWNED, ViolationHandler.throwing());
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void checkAndClosePools()
    {
        for (final TlsfAllocator pool : pools)
        {
            pool.releaseOwnership();
            pool.check();
            pool.close();
        }
    }
}
