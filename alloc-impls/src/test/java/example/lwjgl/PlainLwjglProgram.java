package example.lwjgl;

import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.vulkan.VkExtent3D;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;

/**
 * An LWJGL program that knows nothing of hostalloc: it allocates with plain LWJGL ({@code memAlloc},
 * {@code memCalloc}, {@code memRealloc}, a struct's {@code malloc()}/{@code calloc()},
 * {@code memAlignedAlloc}, a {@code MemoryStack} frame) and prints what it asked for, so a test running
 * it with hostalloc's allocator selected on the command line can compare.
 *
 * <p>Arguments: {@code clean} frees everything; {@code leak} also leaks one {@link #LEAK_SIZE}-byte block
 * from {@link #leakOne()}; {@code double-free} frees one block twice.
 */
public final class PlainLwjglProgram
{
    /** The size of the block {@code leak} does not free: unusual, so the report can be searched for it. */
    public static final int LEAK_SIZE = 12_345;

    private PlainLwjglProgram()
    {
    }

    private static int allocations;
    private static int reallocations;
    private static int frees;
    private static long liveBytes;
    private static long peakBytes;

    /**
     * Runs one scenario and prints what it asked for:
     * {@code allocations=<n> reallocations=<n> frees=<n> liveBytes=<n> peakBytes=<n> allocator=<class>}.
     *
     * @param args {@code clean}, {@code leak} or {@code double-free}.
     */
    public static void main(final String[] args)
    {
        final String scenario = args.length > 0 ? args[0] : "clean";

        ByteBuffer buffer = MemoryUtil.memAlloc(1000);
        took(1000);
        buffer.put(0, (byte)1);

        final ByteBuffer zeroed = MemoryUtil.memCalloc(10, 100);
        took(1000);
        check(zeroed.get(999) == 0, "memCalloc zeroes");

        buffer = MemoryUtil.memRealloc(buffer, 2000);
        resized(1000, 2000);
        check(buffer.get(0) == 1, "memRealloc keeps the contents");

        final VkExtent3D mallocked = VkExtent3D.malloc();
        took(VkExtent3D.SIZEOF);
        mallocked.set(1, 2, 3);

        final VkExtent3D callocked = VkExtent3D.calloc();
        took(VkExtent3D.SIZEOF);
        check(callocked.width() == 0, "struct calloc zeroes");

        final ByteBuffer aligned = MemoryUtil.memAlignedAlloc(64, 4096);
        took(4096);
        check(MemoryUtil.memAddress(aligned) % 64 == 0, "memAlignedAlloc aligns");

        final IntBuffer ints = MemoryUtil.memAllocInt(16);
        took(16 * Integer.BYTES);

        try (MemoryStack stack = MemoryStack.stackPush())
        {
            // A MemoryStack frame: LWJGL's thread-local stack, not an allocation of the allocator.
            stack.mallocInt(4).put(0, 7);
        }

        MemoryUtil.memFree(buffer);
        gave(2000);
        MemoryUtil.memFree(zeroed);
        gave(1000);
        mallocked.free();
        gave(VkExtent3D.SIZEOF);
        callocked.free();
        gave(VkExtent3D.SIZEOF);
        MemoryUtil.memAlignedFree(aligned);
        gave(4096);
        MemoryUtil.memFree(ints);
        gave(16 * Integer.BYTES);

        if ("leak".equals(scenario))
        {
            leakOne();
            took(LEAK_SIZE);
        }
        else if ("double-free".equals(scenario))
        {
            final ByteBuffer twice = MemoryUtil.memAlloc(64);
            took(64);
            MemoryUtil.memFree(twice);
            gave(64);
            MemoryUtil.memFree(twice);
            System.out.println("SURVIVED the double free");
        }
        System.out.println("allocations=" + allocations + " reallocations=" + reallocations + " frees=" + frees +
            " liveBytes=" + liveBytes + " peakBytes=" + peakBytes +
            " allocator=" + MemoryUtil.getAllocator().getClass().getName());
    }

    private static void took(final long bytes)
    {
        allocations++;
        liveBytes += bytes;
        peakBytes = Math.max(peakBytes, liveBytes);
    }

    private static void resized(final long from, final long to)
    {
        reallocations++;
        liveBytes += to - from;
        peakBytes = Math.max(peakBytes, liveBytes);
    }

    private static void gave(final long bytes)
    {
        frees++;
        liveBytes -= bytes;
    }

    /** Allocates {@link #LEAK_SIZE} bytes and forgets them: the leak a report must name. */
    static void leakOne()
    {
        MemoryUtil.memAlloc(LEAK_SIZE).put(0, (byte)42);
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(what);
        }
    }
}
