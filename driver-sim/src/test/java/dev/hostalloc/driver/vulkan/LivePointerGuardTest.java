package dev.hostalloc.driver.vulkan;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.system.SystemAllocator;
import org.junit.jupiter.api.Test;

/** The guard lets its delegate's own blocks through and refuses everything else. */
class LivePointerGuardTest
{
    private final LivePointerGuard guard = new LivePointerGuard(new SystemAllocator());

    @Test
    void tracksAllocateReallocateAndFree()
    {
        final long a = guard.allocate(64, 16, OBJECT);
        assertNotEquals(0L, a);
        final long b = guard.reallocate(a, 4096, 16, OBJECT);
        assertNotEquals(0L, b);
        assertEquals(1, guard.liveCount());
        final long c = guard.reallocate(0L, 32, 8, OBJECT);
        assertEquals(2, guard.liveCount());
        assertEquals(0L, guard.reallocate(c, 0, 8, OBJECT));
        assertEquals(1, guard.liveCount());
        guard.free(b);
        guard.free(0L);
        assertEquals(0, guard.liveCount());
        assertEquals(0, guard.refusedCount());
        assertTrue(guard.traits().threadSafe());
    }

    @Test
    void refusesForeignAndFreedPointers()
    {
        final long a = guard.allocate(64, 16, OBJECT);
        guard.free(a);
        guard.free(a);
        guard.free(0x1000L);
        assertEquals(0L, guard.reallocate(a, 128, 16, OBJECT));
        assertEquals(0L, guard.reallocate(0x2000L, 0, 16, OBJECT));
        assertEquals(4, guard.refusedCount());
        assertEquals(0, guard.liveCount());
    }
}
