package dev.hostalloc.logging;

import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.conformance.ConformanceReport;
import dev.hostalloc.conformance.ConformanceSuite;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.trace.ReplayResult;
import dev.hostalloc.trace.TraceReader;
import dev.hostalloc.trace.TraceRecord;
import dev.hostalloc.trace.TraceReplayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The logger keeps every promise of its delegate: the whole conformance suite through logging,system. */
class LoggingConformanceTest
{
    @TempDir
    Path dir;

    @Test
    void loggingOverSystemPassesTheConformanceSuiteAndItsTracesReplayCleanly() throws Exception
    {
        final List<LoggingAllocator> loggers = new ArrayList<>();
        final ConformanceReport report = ConformanceSuite.standard().runAll(() ->
        {
            final Path file = dir.resolve("check-" + loggers.size() + ".trace");
            final LoggingAllocator logging = (LoggingAllocator)Allocators.fromSpec(
                "logging:" + file + ":ring=4m,system", ViolationHandler.throwing());
            loggers.add(logging);
            return logging;
        });
        assertTrue(report.passed(), report.text());
        long records = 0;
        for (final LoggingAllocator logging : loggers)
        {
            logging.close();
            assertEquals(0, logging.recordsDropped(), logging.toString());
            final TraceReader trace = TraceReader.open(logging.file());
            records += trace.recordCount();
            final ReplayResult replay = TraceReplayer.replay(trace,
                Allocators.fromSpec("system"), false, TraceReplayer.Progress.NONE);
            assertEquals(0, replay.failures(), replay.text());
            final long threads = trace.readAll().stream().mapToInt(TraceRecord::thread).distinct().count();
            if (threads == 1)
            {
                assertEquals(0, replay.skippedTotal(), logging.file() + "\n" + replay.text());
            }
            else
            {
                // On several threads a reallocate that moves is logged after it returns, so another thread's
                // allocation that reused its old block can come first in the trace (docs/trace-format.md);
                // replay repairs such pairs. They must stay rare.
                assertTrue(replay.skippedTotal() * 1000 <= replay.records(), logging.file() + "\n" + replay.text());
            }
        }
        assertTrue(records > 1000, "the suite's calls were logged: " + records);
    }
}
