package dev.hostalloc.bench.latency;

import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.system.SystemAllocator;
import org.HdrHistogram.Histogram;

import static org.lwjgl.system.MemoryUtil.memPutLong;

/** hostalloc's {@link SystemAllocator}: glibc behind the Vulkan-exact header, for reference. */
final class SystemSubject implements Subject
{
    private final SystemAllocator allocator = new SystemAllocator();
    private long[] live = new long[0];

    @Override
    public String name()
    {
        return "hostalloc system (glibc + 16-byte header)";
    }

    @Override
    public void prepare(final Workload workload)
    {
        final long[] sizes = workload.initialSizes();
        live = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++)
        {
            live[i] = allocator.allocate(sizes[i], 8, SystemAllocationScope.OBJECT);
        }
    }

    @Override
    public long run(final Workload workload, final int start, final int operations, final Histogram histogram)
    {
        final SystemAllocator allocator = this.allocator;
        final long[] live = this.live;
        final long[] sizes = workload.sizes();
        final long[] alignments = workload.alignments();
        final int[] slots = workload.slots();
        final int mask = workload.mask();
        long failures = 0;
        for (int n = 0; n < operations; n++)
        {
            final int i = (start + n) & mask;
            final int slot = slots[i];
            final long t0 = System.nanoTime();
            allocator.free(live[slot]);
            final long p = allocator.allocate(sizes[i], alignments[i], SystemAllocationScope.OBJECT);
            final long t1 = System.nanoTime();
            live[slot] = p;
            if (p == 0)
            {
                failures++;
                continue;
            }
            memPutLong(p, n);
            if (null != histogram)
            {
                histogram.recordValue(t1 - t0);
            }
        }
        return failures;
    }

    @Override
    public void close()
    {
        for (final long p : live)
        {
            allocator.free(p);
        }
        live = new long[0];
    }
}
