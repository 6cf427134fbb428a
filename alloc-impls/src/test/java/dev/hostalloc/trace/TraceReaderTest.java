package dev.hostalloc.trace;

import dev.hostalloc.api.SystemAllocationScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceReaderTest
{
    @TempDir
    Path dir;

    @Test
    void descriptorsMatchTheDocumentedLayout()
    {
        assertEquals(48, TraceRecordDescriptor.RECORD_LENGTH);
        assertEquals(44, TraceRecordDescriptor.OPERATION_OFFSET);
        assertEquals(64, TraceFileDescriptor.HEADER_LENGTH);
        assertEquals(TraceRecordDescriptor.RECORD_LENGTH, TraceFileDescriptor.FOOTER_LENGTH);
        assertEquals(32, TraceFileDescriptor.END_CLOCK_OFFSET + Long.BYTES);
        assertEquals(64 + 48 * 3, TraceFileDescriptor.recordOffset(3));
    }

    @Test
    void aClosedTraceHasItsFooter() throws Exception
    {
        final Path file = new TraceFixture().allocate(64, 16, SystemAllocationScope.OBJECT, 0x1000).free(0x1000)
            .footer(3).write(dir.resolve("closed.trace"));
        final TraceReader reader = TraceReader.open(file);
        assertTrue(reader.isComplete());
        assertEquals(2, reader.recordCount());
        assertEquals(new TraceFooter(2, 3, TraceFixture.START + 3000), reader.footer());
        assertEquals(3, reader.recordsDropped());
        assertEquals(42, reader.header().pid());
        assertTrue(reader.describe().contains("HAS GAPS: 3 records dropped"), reader.describe());
        final TraceRecord first = reader.readAll().get(0);
        assertEquals(new TraceRecord(0, TraceFixture.START + 1000, TraceOperation.ALLOCATE, 64, 16, 0, 0x1000, 7,
            SystemAllocationScope.OBJECT.value(), 0xFF), first);
    }

    @Test
    void anUnclosedTraceReadsItsCompleteRecordsAndIgnoresAPartialOne() throws Exception
    {
        final Path file = new TraceFixture().allocate(64, 16, SystemAllocationScope.OBJECT, 0x1000)
            .raw(new byte[20]).write(dir.resolve("died.trace"));
        final TraceReader reader = TraceReader.open(file);
        assertFalse(reader.isComplete());
        assertNull(reader.footer());
        assertEquals(1, reader.recordCount());
        assertEquals(20, reader.ignoredBytes());
        assertTrue(reader.describe().contains("NOT CLOSED"), reader.describe());
        assertEquals(1, reader.readAll().size());
    }

    @Test
    void otherFilesAreRefusedWithAClearMessage() throws Exception
    {
        final Path text = Files.writeString(dir.resolve("notes.txt"), "x".repeat(100), StandardCharsets.US_ASCII);
        assertTrue(assertThrows(TraceFormatException.class, () -> TraceReader.open(text)).getMessage()
            .contains("is not a hostalloc trace: it does not start with \"HATRACE1\""));
        final Path tiny = Files.write(dir.resolve("tiny.trace"), new byte[10]);
        assertTrue(assertThrows(TraceFormatException.class, () -> TraceReader.open(tiny)).getMessage()
            .contains("shorter than the 64-byte header"));
        final Path badOp = new TraceFixture().record(TraceOperation.FREE, 0, 0, 0, 0, 0xFF, 0xFF).write(dir.resolve("op.trace"));
        final byte[] bytes = Files.readAllBytes(badOp);
        bytes[TraceFileDescriptor.HEADER_LENGTH + TraceRecordDescriptor.OPERATION_OFFSET] = 9;
        Files.write(badOp, bytes);
        assertTrue(assertThrows(TraceFormatException.class, () -> TraceReader.open(badOp).readAll()).getMessage()
            .contains("record 0 has unknown operation code 9"));
    }

    @Test
    void linesAreTextAndFlatJson() throws Exception
    {
        final Path file = new TraceFixture().allocate(64, 16, SystemAllocationScope.OBJECT, 0xabc0)
            .reallocate(0xabc0, 128, 16, SystemAllocationScope.OBJECT, 0)
            .free(0xabc0)
            .record(TraceOperation.INTERNAL_ALLOCATION, 4096, 0, 0, 0, SystemAllocationScope.CACHE.value(), 0)
            .write(dir.resolve("lines.trace"));
        final TraceReader reader = TraceReader.open(file);
        final var records = reader.readAll();
        final TraceHeader header = reader.header();
        assertEquals("{\"i\":0,\"t_ns\":1000,\"thread\":7,\"op\":\"ALLOCATE\",\"size\":64,\"alignment\":16," +
            "\"scope\":\"OBJECT\",\"result\":\"0xabc0\"}", TraceLines.json(records.get(0), header));
        assertEquals("{\"i\":1,\"t_ns\":2000,\"thread\":7,\"op\":\"REALLOCATE\",\"size\":128,\"alignment\":16," +
            "\"scope\":\"OBJECT\",\"address\":\"0xabc0\",\"result\":\"0x0\"}", TraceLines.json(records.get(1), header));
        assertEquals("{\"i\":2,\"t_ns\":3000,\"thread\":7,\"op\":\"FREE\",\"address\":\"0xabc0\"}",
            TraceLines.json(records.get(2), header));
        assertEquals("{\"i\":3,\"t_ns\":4000,\"thread\":7,\"op\":\"INTERNAL_ALLOCATION\",\"size\":4096," +
            "\"scope\":\"CACHE\",\"type\":\"EXECUTABLE\"}", TraceLines.json(records.get(3), header));
        assertEquals("#0  +0.001000 ms  t7  ALLOCATE 64 align 16 OBJECT -> 0xabc0", TraceLines.text(records.get(0), header));
        assertEquals("#2  +0.003000 ms  t7  FREE 0xabc0", TraceLines.text(records.get(2), header));
    }
}
