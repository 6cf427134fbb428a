package dev.hostalloc.lwjgl;

import dev.hostalloc.accounting.AccountSnapshot;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.system.SystemAllocator;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.vulkan.VkExtent2D;

import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;

/**
 * A child JVM's main for {@link HostallocMemoryAllocatorInstallTest}: installs an allocator on an
 * accounting stack before any LWJGL memory use, checks LWJGL allocates through it (Java methods and
 * native function pointers), then checks a second install is refused. Prints {@code INSTALL OK}.
 */
public final class InstallProgram
{
    private InstallProgram()
    {
    }

    /**
     * Runs the checks; any failure throws, exiting non-zero.
     *
     * @param args ignored.
     * @throws Throwable on a failed check.
     */
    public static void main(final String[] args) throws Throwable
    {
        final AccountingAllocator accounting = AccountingAllocator.builder(new SystemAllocator()).name("app").build();
        final HostallocMemoryAllocator installed = HostallocMemoryAllocator.install(accounting);
        check(MemoryUtil.getAllocator() == installed, "MemoryUtil.getAllocator() is the installed allocator");
        check(HostallocMemoryAllocator.current().orElseThrow() == installed, "current() finds it");
        check(Configuration.MEMORY_ALLOCATOR.get() == installed, "Configuration.MEMORY_ALLOCATOR holds it");

        final ByteBuffer buffer = MemoryUtil.memAlloc(100);
        final VkExtent2D extent = VkExtent2D.calloc();
        final ByteBuffer aligned = MemoryUtil.memAlignedAlloc(256, 512);
        MemoryUtil.memFree(buffer);
        extent.free();
        MemoryUtil.memAlignedFree(aligned);
        final MethodHandle malloc = HostallocMemoryAllocatorNativeTest.downcall(
            MemoryUtil.getAllocator().getMalloc(), MemoryAllocatorUpcalls.MALLOC);
        final MethodHandle free = HostallocMemoryAllocatorNativeTest.downcall(
            MemoryUtil.getAllocator().getFree(), MemoryAllocatorUpcalls.FREE);
        free.invokeExact((long)malloc.invokeExact(24L));

        final AccountSnapshot root = accounting.snapshot().root();
        check(root.allocations() == 4, "4 allocations accounted: " + root);
        check(root.frees() == 4, "4 frees accounted: " + root);
        check(root.peakBytes() == 100 + VkExtent2D.SIZEOF + 512, "peak bytes accounted: " + root);
        check(root.liveBlocks() == 0, "nothing live: " + root);

        try
        {
            HostallocMemoryAllocator.install(new SystemAllocator());
            throw new AssertionError("a second install must be refused");
        }
        catch (final IllegalStateException expected)
        {
            System.out.println("REFUSED " + expected.getMessage());
        }
        check(Configuration.MEMORY_ALLOCATOR.get() == installed, "the refused install restored the configuration");
        check(MemoryUtil.getAllocator() == installed, "MemoryUtil keeps the first allocator");
        System.out.println("INSTALL OK");
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(what);
        }
    }
}
