package dev.hostalloc.bench.latency;

import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.tlsf.ThreadingMode;
import dev.hostalloc.tlsf.TlsfAllocator;
import org.HdrHistogram.Histogram;

import static org.lwjgl.system.MemoryUtil.memPutLong;

/** hostalloc's {@link TlsfAllocator} over a populated 64 MiB mapping, in either threading mode. */
final class TlsfSubject implements Subject
{
    /** Arena size: about twenty times the working set, as a pool sized with headroom would be. */
    static final long ARENA_BYTES = 64L << 20;

    private final ThreadingMode mode;
    private TlsfAllocator pool;
    private long[] live = new long[0];

    TlsfSubject(final ThreadingMode mode)
    {
        this.mode = mode;
    }

    @Override
    public String name()
    {
        return "hostalloc tlsf, " + (mode == ThreadingMode.OWNED ? "owned (no lock)" : "shared (uncontended spin lock)");
    }

    @Override
    public void prepare(final Workload workload)
    {
        pool = TlsfAllocator.mapped(ARENA_BYTES, mode, ViolationHandler.recordAndCount());
        final long[] sizes = workload.initialSizes();
        live = new long[sizes.length];
        for (int i = 0; i < sizes.length; i++)
        {
            live[i] = pool.allocate(sizes[i], 8, SystemAllocationScope.OBJECT);
        }
    }

    @Override
    public long run(final Workload workload, final int start, final int operations, final Histogram histogram)
    {
        final TlsfAllocator pool = this.pool;
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
            pool.free(live[slot]);
            final long p = pool.allocate(sizes[i], alignments[i], SystemAllocationScope.OBJECT);
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
        if (null != pool)
        {
            pool.close();
            pool = null;
        }
        live = new long[0];
    }
}
