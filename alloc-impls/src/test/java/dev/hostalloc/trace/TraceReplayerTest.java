package dev.hostalloc.trace;

import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.logging.LoggingAllocator;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.DeterministicFailAllocator;
import dev.hostalloc.testkit.RecordingAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceReplayerTest
{
    @TempDir
    Path dir;

    @Test
    void aRecordedWorkloadReplaysWithTheSamePeakAndNoViolations() throws Exception
    {
        final Path file = dir.resolve("workload.trace");
        final RecordingAllocator original = new RecordingAllocator(new SystemAllocator());
        try (LoggingAllocator logging = LoggingAllocator.open(file, original))
        {
            workload(logging, 5_000);
        }
        // without the logger's own ring and staging buffer, allocated first and freed last
        final long originalPeak = dev.hostalloc.testkit.CallbackValidator.validate(
            original.records().subList(2, original.recordCount() - 2)).statistics().peakLiveBytes();
        final TraceReader trace = TraceReader.open(file);
        final long[] progress = { 0, 0 };
        final ReplayResult result = TraceReplayer.replay(trace, new SystemAllocator(), true, (done, total) ->
        {
            progress[0]++;
            progress[1] = done;
        });
        assertTrue(result.passed(), result.text());
        assertEquals(trace.recordCount(), result.replayed());
        assertEquals(originalPeak, result.peakBytes(), result.text());
        assertEquals(Map.of(), result.skipped());
        assertEquals(trace.recordCount(), progress[1]);
        assertTrue(progress[0] >= 1);
        assertTrue(result.liveAtEnd() > 0, "the workload leaves blocks live on purpose");
        assertTrue(result.text().contains("never freed by the recorded program"), result.text());
    }

    @Test
    void aTraceWithGapsReplaysWhatIsConsistentAndSaysWhatItSkipped() throws Exception
    {
        final Path file = new TraceFixture()
            .allocate(100, 8, SystemAllocationScope.OBJECT, 0x1000)
            .free(0x2000)                                                        // its allocation was dropped
            .reallocate(0x3000, 64, 8, SystemAllocationScope.OBJECT, 0x3000)    // so was this one's
            .allocate(50, 8, SystemAllocationScope.OBJECT, 0x1000)              // 0x1000's free was dropped
            .free(0x1000)
            .footer(3)
            .write(dir.resolve("gaps.trace"));
        final ReplayResult result = TraceReplayer.replay(TraceReader.open(file), new SystemAllocator(), true,
            TraceReplayer.Progress.NONE);
        assertTrue(result.passed(), result.text());
        assertEquals(Map.of(ReplayResult.SkipReason.FREE_OF_UNKNOWN_BLOCK, 1L,
            ReplayResult.SkipReason.REALLOCATE_OF_UNKNOWN_BLOCK, 1L,
            ReplayResult.SkipReason.IMPLIED_FREE, 1L), result.skipped());
        assertEquals(3, result.replayed());
        assertEquals(100, result.peakBytes());
        assertEquals(0, result.liveAtEnd());
        assertTrue(result.text().contains("the trace dropped 3 records; skipped 3"), result.text());
    }

    @Test
    void aTargetThatRefusesIsCountedAndTheSequenceStaysConsistent() throws Exception
    {
        final Path file = new TraceFixture()
            .allocate(100, 8, SystemAllocationScope.OBJECT, 0x1000)
            .reallocate(0x1000, 200, 8, SystemAllocationScope.OBJECT, 0x5000)
            .allocate(30, 8, SystemAllocationScope.COMMAND, 0)                 // failed in the recording too
            .free(0x5000)
            .footer(0)
            .write(dir.resolve("refused.trace"));
        final DeterministicFailAllocator failing =
            new DeterministicFailAllocator(new SystemAllocator(), DeterministicFailAllocator.Mode.COUNT_AND_FAIL, 1);
        final ReplayResult result = TraceReplayer.replay(TraceReader.open(file), failing, true, TraceReplayer.Progress.NONE);
        assertEquals(1, result.failures(), result.text());
        assertEquals(1, result.recordedFailures(), result.text());
        assertTrue(result.violations().isEmpty(), result.text());
        assertEquals(0, result.liveAtEnd(), "the free of the recorded new address freed the block that stayed put");
        assertFalse(result.passed());
    }

    @Test
    void aReplayCanBeLoggedAgainAndGivesTheSameSequence() throws Exception
    {
        final Path first = dir.resolve("first.trace");
        try (LoggingAllocator logging = LoggingAllocator.open(first, new SystemAllocator()))
        {
            workload(logging, 2_000);
        }
        final Path second = dir.resolve("second.trace");
        final ReplayResult result;
        try (LoggingAllocator logging = LoggingAllocator.open(second, new SystemAllocator()))
        {
            result = TraceReplayer.replay(TraceReader.open(first), logging, true, TraceReplayer.Progress.NONE);
        }
        assertTrue(result.passed(), result.text());
        final List<TraceRecord> a = TraceReader.open(first).readAll();
        final List<TraceRecord> b = TraceReader.open(second).readAll();
        assertEquals(a.size() + result.liveAtEnd(), b.size(), "then the replayer frees what the trace leaked");
        for (int i = a.size(); i < b.size(); i++)
        {
            assertEquals(TraceOperation.FREE, b.get(i).operation());
        }
        for (int i = 0; i < a.size(); i++)
        {
            assertEquals(a.get(i).operation(), b.get(i).operation(), "record " + i);
            assertEquals(a.get(i).size(), b.get(i).size(), "record " + i);
            assertEquals(a.get(i).alignment(), b.get(i).alignment(), "record " + i);
            assertEquals(a.get(i).scopeValue(), b.get(i).scopeValue(), "record " + i);
            assertEquals(a.get(i).result() == 0, b.get(i).result() == 0, "record " + i);
        }
    }

    @Test
    void theReportIsOneSelfContainedPage() throws Exception
    {
        final Path file = dir.resolve("report.trace");
        try (LoggingAllocator logging = LoggingAllocator.open(file, new SystemAllocator()))
        {
            workload(logging, 3_000);
        }
        final Path html = dir.resolve("report.html");
        final TraceAnalysis analysis = TraceReport.write(TraceReader.open(file), html);
        final String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("<svg"), "inline SVG chart");
        assertTrue(page.contains("Live bytes over time, per scope"));
        assertTrue(page.contains("Allocation sizes"));
        assertTrue(page.contains("Top allocation sizes"));
        assertTrue(page.contains("Peaks per scope"));
        assertTrue(page.contains("Never freed"));
        assertFalse(page.contains("http://") || page.contains("https://") || page.contains(" src=") ||
            page.contains("<link") || page.contains("<script") || page.contains("@import"), "nothing fetched at view time");
        assertEquals(TraceReplayer.replay(TraceReader.open(file), new SystemAllocator(), false, TraceReplayer.Progress.NONE)
            .peakBytes(), analysis.peakBytes());
        assertFalse(analysis.leaks().isEmpty());
    }

    /** Mixed sizes and scopes, some reallocations and frees in random order, a few blocks left live. */
    static void workload(final dev.hostalloc.api.AllocationCallbacks callbacks, final int operations)
    {
        final SplittableRandom random = new SplittableRandom(7);
        final List<Long> live = new ArrayList<>();
        final SystemAllocationScope[] scopes = SystemAllocationScope.values();
        for (int i = 0; i < operations; i++)
        {
            final int choice = random.nextInt(10);
            if (choice < 5 || live.isEmpty())
            {
                final long size = 1L << random.nextInt(14);
                final long block = callbacks.allocate(size + random.nextInt(16), 16, scopes[random.nextInt(scopes.length)]);
                live.add(block);
            }
            else if (choice < 7)
            {
                final int at = random.nextInt(live.size());
                final long grown = callbacks.reallocate(live.get(at), 1 + random.nextInt(8192), 16, SystemAllocationScope.OBJECT);
                live.set(at, grown);
            }
            else
            {
                callbacks.free(live.remove(random.nextInt(live.size())));
            }
        }
        for (int i = 0; i < live.size() / 2; i++)
        {
            callbacks.free(live.get(i));
        }
    }
}
