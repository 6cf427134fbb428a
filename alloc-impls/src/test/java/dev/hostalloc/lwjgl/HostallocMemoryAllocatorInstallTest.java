package dev.hostalloc.lwjgl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.testkit.ChildJvm;
import dev.hostalloc.system.SystemAllocator;
import org.junit.jupiter.api.Test;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryUtil;

import java.util.List;

/** {@link HostallocMemoryAllocator#install}: works before LWJGL's first allocation, refused after it. */
class HostallocMemoryAllocatorInstallTest
{
    @Test
    void installBeforeAnyLwjglMemoryUseRoutesLwjglAndASecondInstallIsRefused() throws Exception
    {
        final ChildJvm.Result child = ChildJvm.run(InstallProgram.class, List.of());
        assertEquals(0, child.exitCode(), child.describe());
        assertTrue(child.out().contains("INSTALL OK"), child.describe());
        assertTrue(child.out().contains("REFUSED LWJGL's MemoryUtil already allocates with HostallocMemoryAllocator["),
            child.describe());
    }

    @Test
    void installAfterLwjglInitializedItsAllocatorIsRefusedWithWhatToDo()
    {
        // This JVM's MemoryUtil uses LWJGL's default allocator (forced here if no other test did it first).
        final MemoryUtil.MemoryAllocator lwjgls = MemoryUtil.getAllocator(false);
        assertNotSame(HostallocMemoryAllocator.class, lwjgls.getClass());
        final Object configured = Configuration.MEMORY_ALLOCATOR.get();

        final IllegalStateException refused =
            assertThrows(IllegalStateException.class, () -> HostallocMemoryAllocator.install(new SystemAllocator()));
        final String message = refused.getMessage();
        assertTrue(message.contains(lwjgls.getClass().getName()), message);
        assertTrue(message.contains("before any LWJGL memory use"), message);
        assertTrue(message.contains("-Dorg.lwjgl.system.allocator=dev.hostalloc.lwjgl.HostallocMemoryAllocator"), message);
        assertTrue(message.contains("-Dhostalloc.callbacks=<spec>"), message);
        assertSame(configured, Configuration.MEMORY_ALLOCATOR.get(), "the configuration is restored");
        assertSame(lwjgls, MemoryUtil.getAllocator(false));
        assertTrue(HostallocMemoryAllocator.current().isEmpty());
    }
}
