package dev.hostalloc.bench.latency;

import org.HdrHistogram.Histogram;

/**
 * A control row: a fixed chain of dependent multiply-adds that takes about as long as an
 * allocate+free pair, touching no memory. Its tail is what the machine (timer interrupts,
 * hypervisor exits, preemption) adds to any operation of that length; an allocator's tail beyond
 * it is the allocator's own.
 */
final class ArithmeticSubject implements Subject
{
    /** Multiply-adds per timed operation (a 64-bit multiply chain: roughly 1 ns each). */
    static final int STEPS = 40;

    private static final long MULTIPLIER = 6364136223846793005L;
    private static final long INCREMENT = 1442695040888963407L;

    private long state = 1;
    private long multiplier = MULTIPLIER; // fields, not constants: the JIT cannot fold the chain
    private long increment = INCREMENT;

    @Override
    public String name()
    {
        return "(control: " + STEPS + " dependent multiply-adds, no memory)";
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
        final long m = multiplier;
        final long c = increment;
        for (int n = 0; n < operations; n++)
        {
            final long t0 = System.nanoTime();
            // Seeded by t0 and stored before t1, so the JIT cannot move the chain out of the timed span.
            long x = t0 + slots[(start + n) & mask];
            for (int k = 0; k < STEPS; k++)
            {
                x = x * m + c;
            }
            state = x;
            final long t1 = System.nanoTime();
            if (null != histogram)
            {
                histogram.recordValue(t1 - t0);
            }
        }
        return 0;
    }

    @Override
    public void close()
    {
    }
}
