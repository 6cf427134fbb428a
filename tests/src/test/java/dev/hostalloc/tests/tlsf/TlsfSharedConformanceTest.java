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
 * The conformance kit on a shared TLSF pool (thread-safe, so the kit's concurrent check runs too),
 * each check on a fresh pool whose 40 MiB arena comes from the system allocator.
 */
class TlsfSharedConformanceTest extends AllocationCallbacksConformanceTest
{
    static final long ARENA_BYTES = 40L << 20;

    private final List<TlsfAllocator> pools = new ArrayList<>();

    @Override
    protected AllocationCallbacks createCallbacks()
    {
        final TlsfAllocator pool =
            new TlsfAllocator(new SystemAllocator(), ARENA_BYTES, ThreadingMode.SHARED, ViolationHandler.throwing());
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void checkAndClosePools()
    {
        for (final TlsfAllocator pool : pools)
        {
            pool.check();
            pool.close();
        }
    }
}
