package dev.hostalloc.testkit;

import java.lang.management.ManagementFactory;

/**
 * Measures the Java heap bytes the current thread allocates in a loop, after a warm-up long enough
 * for C2 to compile it (the interpreter allocates where compiled code does not).
 *
 * <p>It measures up to {@code rounds} times and keeps the smallest figure: a one-off allocation by the
 * runtime itself (an OSR transition, a deoptimization, a class being loaded) lands in one round only,
 * whereas a real per-call allocation of even 8 bytes shows as at least {@code iterations * 8} bytes in
 * every round. Measuring stops at the first round that reads 0.
 *
 * <p>Reads {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}: heap (TLAB)
 * bytes only, not off-heap memory.
 *
 * <p>The measured code runs behind an interface call that sees many lambdas in one test JVM, so C2
 * compiles each body on its own rather than inlined into this loop. Allocation-free code measures 0
 * either way; code that relies on escape analysis after inlining into its caller (LWJGL's FFM
 * downcalls, which box their arguments otherwise) can show bytes here that a caller's own loop would
 * not: measure such code with a loop in the test itself.
 */
public final class HeapAllocationMeter
{
    /** Iterations run before measuring. */
    public static final int DEFAULT_WARM_UP = 200_000;
    /** Iterations per measured round. */
    public static final int DEFAULT_ITERATIONS = 100_000;
    /** Measured rounds at most. */
    public static final int DEFAULT_ROUNDS = 10;

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    /** The code measured, given its iteration number. */
    @FunctionalInterface
    public interface Iteration
    {
        /**
         * Runs one iteration.
         *
         * @param iteration 0, 1, 2, ... within the warm-up and within each round.
         */
        void run(int iteration);
    }

    private HeapAllocationMeter()
    {
    }

    /**
     * Measures with the defaults.
     *
     * @param iteration the code to measure.
     * @return the fewest heap bytes one round of {@link #DEFAULT_ITERATIONS} iterations allocated.
     * @throws UnsupportedOperationException when the JVM cannot measure thread allocation.
     */
    public static long minimumBytes(final Iteration iteration)
    {
        return minimumBytes(iteration, DEFAULT_WARM_UP, DEFAULT_ITERATIONS, DEFAULT_ROUNDS);
    }

    /**
     * Measures.
     *
     * @param iteration  the code to measure.
     * @param warmUp     iterations before measuring.
     * @param iterations iterations per round, at least 1.
     * @param rounds     rounds at most, at least 1.
     * @return the fewest heap bytes one round allocated.
     * @throws IllegalArgumentException      when {@code iterations} or {@code rounds} is below 1.
     * @throws UnsupportedOperationException when the JVM cannot measure thread allocation.
     */
    public static long minimumBytes(final Iteration iteration, final int warmUp, final int iterations, final int rounds)
    {
        if (iterations < 1 || rounds < 1)
        {
            throw new IllegalArgumentException("iterations and rounds must be at least 1: " + iterations + ", " + rounds);
        }
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled())
        {
            throw new UnsupportedOperationException("this JVM does not measure per-thread heap allocation");
        }
        for (int i = 0; i < warmUp; i++)
        {
            iteration.run(i);
        }
        long minimum = Long.MAX_VALUE;
        for (int round = 0; round < rounds && minimum != 0; round++)
        {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < iterations; i++)
            {
                iteration.run(i);
            }
            minimum = Math.min(minimum, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        return minimum;
    }
}
