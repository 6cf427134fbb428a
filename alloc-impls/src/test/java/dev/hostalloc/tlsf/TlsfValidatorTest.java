package dev.hostalloc.tlsf;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.testkit.AllocationStatistics;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Vulkan-like workload recorded by the testkit's {@link RecordingAllocator} and replayed through
 * the CTS validator: every call is legal, nothing is left live, no two live blocks overlap.
 */
class TlsfValidatorTest
{
    private static final SystemAllocationScope[] SCOPES = SystemAllocationScope.values();

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void aMixedWorkloadPassesTheCtsValidator(final ThreadingMode mode)
    {
        final RecordingViolationHandler handler = new RecordingViolationHandler(8);
        try (TlsfAllocator pool = TlsfAllocator.mapped(4L << 20, mode, handler))
        {
            final RecordingAllocator recorder = new RecordingAllocator(pool);
            final SplittableRandom random = new SplittableRandom(7);
            final long[] blocks = new long[256];
            final long[] alignments = new long[256];
            final SystemAllocationScope[] scopes = new SystemAllocationScope[256];
            final TreeMap<Long, Long> live = new TreeMap<>();
            for (int op = 0; op < 40_000; op++)
            {
                final int s = random.nextInt(blocks.length);
                if (blocks[s] == 0)
                {
                    final long size = randomSize(random);
                    final long alignment = 1L << random.nextInt(13);
                    final SystemAllocationScope scope = SCOPES[random.nextInt(SCOPES.length)];
                    final long p = random.nextInt(8) == 0 ?
                        recorder.reallocate(0, size, alignment, scope) : recorder.allocate(size, alignment, scope);
                    if (p != 0)
                    {
                        assertTrue(Alignment.isAligned(p, alignment));
                        addLive(live, p, size);
                        blocks[s] = p;
                        alignments[s] = alignment;
                        scopes[s] = scope;
                    }
                    continue;
                }
                final int choice = random.nextInt(10);
                if (choice < 4)
                {
                    live.remove(blocks[s]);
                    if (choice == 0)
                    {
                        assertEquals(0, recorder.reallocate(blocks[s], 0, alignments[s], scopes[s]));
                    }
                    else
                    {
                        recorder.free(blocks[s]);
                    }
                    blocks[s] = 0;
                }
                else
                {
                    final long size = Math.max(1, randomSize(random)); // size 0 would be a free
                    final long p = recorder.reallocate(blocks[s], size, alignments[s], scopes[s]);
                    if (p != 0)
                    {
                        assertTrue(Alignment.isAligned(p, alignments[s]));
                        live.remove(blocks[s]);
                        addLive(live, p, size);
                        blocks[s] = p;
                    }
                }
            }
            for (final long p : blocks)
            {
                recorder.free(p);
            }
            pool.check();
            final ValidationReport report = recorder.validate().check(0);
            assertTrue(report.passed(), report.text());
            final AllocationStatistics statistics = report.statistics();
            assertTrue(statistics.toString().length() > 0);
            assertEquals(0, pool.usedBlocks());
            assertEquals(0, handler.totalCount(), handler.report());
        }
    }

    private static long randomSize(final SplittableRandom random)
    {
        final int kind = random.nextInt(100);
        if (kind < 5)
        {
            return 0;
        }
        if (kind < 70)
        {
            return random.nextLong(1, 257);
        }
        if (kind < 95)
        {
            return random.nextLong(257, 8193);
        }
        return random.nextLong(8193, 128 * 1024);
    }

    private static void addLive(final TreeMap<Long, Long> live, final long p, final long size)
    {
        final long end = p + Math.max(size, 1);
        final Map.Entry<Long, Long> below = live.floorEntry(p);
        if (null != below && below.getKey() + Math.max(below.getValue(), 1) > p)
        {
            throw new AssertionError("block 0x" + Long.toHexString(p) + " overlaps 0x" + Long.toHexString(below.getKey()));
        }
        final Map.Entry<Long, Long> above = live.ceilingEntry(p);
        if (null != above && above.getKey() < end)
        {
            throw new AssertionError("block 0x" + Long.toHexString(p) + " overlaps 0x" + Long.toHexString(above.getKey()));
        }
        live.put(p, size);
    }
}
