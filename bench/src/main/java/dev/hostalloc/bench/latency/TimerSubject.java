package dev.hostalloc.bench.latency;

import org.HdrHistogram.Histogram;

/** Two back-to-back {@link System#nanoTime()} reads: the floor every other row includes. */
final class TimerSubject implements Subject
{
    private long sink;

    @Override
    public String name()
    {
        return "(timer alone: two nanoTime reads)";
    }

    @Override
    public void prepare(final Workload workload)
    {
    }

    @Override
    public long run(final Workload workload, final int start, final int operations, final Histogram histogram)
    {
        final int[] slots = workload.slots();
        final int mask = workload.mask();
        long sum = 0;
        for (int n = 0; n < operations; n++)
        {
            final int i = (start + n) & mask;
            final long t0 = System.nanoTime();
            final long t1 = System.nanoTime();
            sum += slots[i];
            if (null != histogram)
            {
                histogram.recordValue(t1 - t0);
            }
        }
        sink += sum;
        return 0;
    }

    @Override
    public void close()
    {
    }

    @Override
    public String toString()
    {
        return name() + " " + sink;
    }
}
