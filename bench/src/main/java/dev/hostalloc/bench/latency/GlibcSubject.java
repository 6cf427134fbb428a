package dev.hostalloc.bench.latency;

import dev.hostalloc.api.DirectAllocation;
import org.HdrHistogram.Histogram;

import static org.lwjgl.system.MemoryUtil.memPutLong;
import static org.lwjgl.system.libc.LibCStdlib.naligned_alloc;
import static org.lwjgl.system.libc.LibCStdlib.nfree;
import static org.lwjgl.system.libc.LibCStdlib.nmalloc;

/** The baseline: glibc {@code malloc}/{@code free} (or {@code aligned_alloc} for alignments above 16) through LWJGL. */
@DirectAllocation(reason = "the benchmark baseline is the C library itself, called directly")
final class GlibcSubject implements Subject
{
    private static final long MALLOC_ALIGNMENT = 16;

    private long[] live = new long[0];

    @Override
    public String name()
    {
        return "glibc malloc/free (aligned_alloc above 16)";
    }

    @Override
    public void prepare(final Workload workload)
    {
        final long[] sizes = workload.initialSizes();
        live = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++)
        {
            live[i] = nmalloc(sizes[i]);
        }
    }

    @Override
    public long run(final Workload workload, final int start, final int operations, final Histogram histogram)
    {
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
            final long alignment = alignments[i];
            final long t0 = System.nanoTime();
            nfree(live[slot]);
            final long p = alignment <= MALLOC_ALIGNMENT ? nmalloc(sizes[i]) : naligned_alloc(alignment, sizes[i]);
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
            nfree(p);
        }
        live = new long[0];
    }
}
