package dev.hostalloc.accounting;

import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.Violation;
import dev.hostalloc.system.SystemAllocator;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.hostalloc.api.SystemAllocationScope.DEVICE;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Records a run with Flight Recorder, dumps it to a file and reads the events back with jdk.jfr.consumer. */
class AccountingEventsTest
{
    @TempDir
    Path dir;

    @Test
    void snapshotLimitAndViolationEventsAreRecorded() throws Exception
    {
        final RecordingViolationHandler counted = new RecordingViolationHandler(8);
        final Path file = dir.resolve("accounting.jfr");
        try (AccountingAllocator accounting = AccountingAllocator.builder(new SystemAllocator())
            .name("jfr-test").violationHandler(JfrViolationHandler.wrap(counted)).exportToConfiguredCounters(false)
            .onClose(r -> { }).build();
             Recording recording = new Recording())
        {
            recording.enable(AccountingEvents.ACCOUNT_SNAPSHOT).withPeriod(Duration.ofMillis(50));
            recording.enable(AccountingEvents.LIMIT_EXCEEDED).withStackTrace();
            recording.enable(AccountingEvents.VIOLATION);
            recording.start();

            final Account textures = accounting.root().child("textures", 4096);
            final long block = textures.allocate(1000, 16, DEVICE);
            assertEquals(0, textures.allocate(5000, 16, OBJECT), "refused by the limit");
            accounting.allocate(64, 3, OBJECT); // a violation: alignment 3
            Thread.sleep(300); // a few periodic snapshots
            recording.stop();
            recording.dump(file);
            textures.free(block);
        }
        assertEquals(1, counted.count(Violation.INVALID_ALIGNMENT), "the wrapped handler still saw it");

        final List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        final List<RecordedEvent> snapshots = named(events, AccountingEvents.ACCOUNT_SNAPSHOT).stream()
            .filter(e -> "jfr-test/textures".equals(e.getString("account"))).toList();
        assertFalse(snapshots.isEmpty(), "periodic snapshots of the account");
        final RecordedEvent last = snapshots.get(snapshots.size() - 1);
        assertEquals("jfr-test", last.getString("allocator"));
        assertEquals(1000, last.getLong("currentBytes"));
        assertEquals(1000, last.getLong("deviceBytes"));
        assertEquals(4096, last.getLong("limitBytes"));
        assertEquals(1, last.getLong("failures"));
        assertTrue(named(events, AccountingEvents.ACCOUNT_SNAPSHOT).stream()
            .anyMatch(e -> "jfr-test".equals(e.getString("account")) && e.getLong("limitBytes") == -1), "root, unlimited");

        final List<RecordedEvent> refusals = named(events, AccountingEvents.LIMIT_EXCEEDED);
        assertEquals(1, refusals.size());
        final RecordedEvent refusal = refusals.get(0);
        assertEquals("jfr-test/textures", refusal.getString("account"));
        assertEquals("jfr-test/textures", refusal.getString("requester"));
        assertEquals(5000, refusal.getLong("requestedBytes"));
        assertEquals("OBJECT", refusal.getString("scope"));
        assertEquals(4096, refusal.getLong("limitBytes"));
        assertNotNull(refusal.getStackTrace(), "the refused request's stack");
        assertTrue(refusal.getStackTrace().getFrames().stream()
            .anyMatch(f -> f.getMethod().getName().equals("snapshotLimitAndViolationEventsAreRecorded")));

        final List<RecordedEvent> violations = named(events, AccountingEvents.VIOLATION);
        assertEquals(1, violations.size());
        assertEquals("INVALID_ALIGNMENT", violations.get(0).getString("violation"));
        assertEquals(64, violations.get(0).getLong("size"));
        assertEquals("OBJECT", violations.get(0).getString("scope"));
    }

    @Test
    void anyDecoratorsHandlerCanBeWrapped()
    {
        final RecordingViolationHandler counted = new RecordingViolationHandler(8);
        final JfrViolationHandler handler = JfrViolationHandler.wrap(counted);
        final SystemAllocator system = new SystemAllocator(handler); // not an accounting decorator
        assertEquals(0, system.allocate(64, 6, OBJECT));
        assertEquals(1, counted.count(Violation.INVALID_ALIGNMENT));
        assertEquals(counted, handler.delegate());
    }

    private static List<RecordedEvent> named(final List<RecordedEvent> events, final String name)
    {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }
}
