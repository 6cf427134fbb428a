package dev.hostalloc.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import static dev.hostalloc.trace.TraceFileDescriptor.FOOTER_LENGTH;
import static dev.hostalloc.trace.TraceFileDescriptor.HEADER_LENGTH;
import static dev.hostalloc.trace.TraceRecordDescriptor.RECORD_LENGTH;

/**
 * Reads a trace file ({@link TraceFileDescriptor}): the header and footer when opened, the records
 * streamed by {@link #forEach}. A trace without a footer (its process died before the logger was
 * closed) reads fine: {@link #footer()} is {@code null} and a partial last record is ignored.
 * Immutable once opened; each {@link #forEach} reads the file again.
 */
public final class TraceReader
{
    private static final int RECORDS_PER_READ = 4096;

    private final Path file;
    private final TraceHeader header;
    private final TraceFooter footer;
    private final long recordCount;
    private final long ignoredBytes;

    private TraceReader(
        final Path file, final TraceHeader header, final TraceFooter footer, final long recordCount,
        final long ignoredBytes)
    {
        this.file = file;
        this.header = header;
        this.footer = footer;
        this.recordCount = recordCount;
        this.ignoredBytes = ignoredBytes;
    }

    /**
     * Opens a trace: reads and checks its header and looks for its footer.
     *
     * @param file the trace file.
     * @return the reader.
     * @throws TraceFormatException when the file is too short, has no hostalloc trace magic, or has
     *                              a version or layout this reader does not know.
     * @throws IOException          when the file cannot be read.
     */
    public static TraceReader open(final Path file) throws IOException
    {
        Objects.requireNonNull(file, "file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long length = channel.size();
            if (length < HEADER_LENGTH)
            {
                throw new TraceFormatException(file + " is not a hostalloc trace: " + length +
                    " bytes, shorter than the " + HEADER_LENGTH + "-byte header");
            }
            final ByteBuffer bytes = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, bytes, 0);
            final TraceHeader header = parseHeader(file, bytes);

            final long body = length - HEADER_LENGTH;
            TraceFooter footer = null;
            long records = body / RECORD_LENGTH;
            final long ignored = body % RECORD_LENGTH;
            if (ignored == 0 && records > 0)
            {
                final ByteBuffer last = ByteBuffer.allocate(FOOTER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
                readFully(channel, last, length - FOOTER_LENGTH);
                if (hasMagic(last, TraceFileDescriptor.FOOTER_MAGIC_OFFSET, TraceFileDescriptor.FOOTER_MAGIC))
                {
                    footer = new TraceFooter(
                        last.getLong(TraceFileDescriptor.RECORDS_WRITTEN_OFFSET),
                        last.getLong(TraceFileDescriptor.RECORDS_DROPPED_OFFSET),
                        last.getLong(TraceFileDescriptor.END_CLOCK_OFFSET));
                    records--;
                }
            }
            return new TraceReader(file, header, footer, records, ignored);
        }
    }

    /**
     * The file read.
     *
     * @return its path.
     */
    public Path file()
    {
        return file;
    }

    /**
     * The header.
     *
     * @return the header.
     */
    public TraceHeader header()
    {
        return header;
    }

    /**
     * The footer, present when the logger was closed.
     *
     * @return the footer, or {@code null} when the trace was not closed.
     */
    public TraceFooter footer()
    {
        return footer;
    }

    /**
     * Whether the logger was closed and wrote its footer.
     *
     * @return {@code footer() != null}.
     */
    public boolean isComplete()
    {
        return null != footer;
    }

    /**
     * Complete records in the file.
     *
     * @return the count.
     */
    public long recordCount()
    {
        return recordCount;
    }

    /**
     * Bytes at the end that do not make a whole record (a write cut short when the process died).
     *
     * @return 0 for a closed trace.
     */
    public long ignoredBytes()
    {
        return ignoredBytes;
    }

    /**
     * Records known lost: the footer's dropped count.
     *
     * @return the count; 0 when there is no footer (unknown).
     */
    public long recordsDropped()
    {
        return null == footer ? 0 : footer.recordsDropped();
    }

    /**
     * A one-paragraph description for people: records, duration, gaps, completeness.
     *
     * @return the text.
     */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder(160);
        sb.append(file).append(": hostalloc trace v").append(header.version()).append(", ")
            .append(recordCount).append(" records, pid ").append(header.pid());
        if (null == footer)
        {
            sb.append("; NOT CLOSED (no footer: the recording process ended without closing the logger");
            if (ignoredBytes > 0)
            {
                sb.append(", a partial record of ").append(ignoredBytes).append(" bytes ignored");
            }
            sb.append(')');
        }
        else
        {
            sb.append("; closed after ").append(String.format("%.3f", header.elapsedNanos(footer.endClock()) / 1e9))
                .append(" s");
            if (footer.hasGaps())
            {
                sb.append("; HAS GAPS: ").append(footer.recordsDropped())
                    .append(" records dropped (the logging ring of ").append(header.ringCapacity())
                    .append(" bytes was full)");
            }
            else
            {
                sb.append(", no records dropped");
            }
        }
        return sb.toString();
    }

    /**
     * Streams every record in file order.
     *
     * @param action called once per record.
     * @throws TraceFormatException when a record has an unknown operation code.
     * @throws IOException          when the file cannot be read.
     */
    public void forEach(final Consumer<? super TraceRecord> action) throws IOException
    {
        forEach(Long.MAX_VALUE, action);
    }

    /**
     * Streams the first records in file order, reading no further.
     *
     * @param maxRecords how many records at most; not negative.
     * @param action     called once per record.
     * @throws IllegalArgumentException when {@code maxRecords} is negative.
     * @throws TraceFormatException     when a record has an unknown operation code.
     * @throws IOException              when the file cannot be read.
     */
    public void forEach(final long maxRecords, final Consumer<? super TraceRecord> action) throws IOException
    {
        Objects.requireNonNull(action, "action");
        if (maxRecords < 0)
        {
            throw new IllegalArgumentException("maxRecords must not be negative: " + maxRecords);
        }
        final long recordCount = Math.min(this.recordCount, maxRecords);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(RECORDS_PER_READ * RECORD_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            long index = 0;
            while (index < recordCount)
            {
                final int batch = (int)Math.min(RECORDS_PER_READ, recordCount - index);
                bytes.clear().limit(batch * RECORD_LENGTH);
                readFully(channel, bytes, TraceFileDescriptor.recordOffset(index));
                for (int i = 0; i < batch; i++)
                {
                    action.accept(decode(bytes, i * RECORD_LENGTH, index + i));
                }
                index += batch;
            }
        }
    }

    /**
     * Every record, in a list; for small traces.
     *
     * @return a new list.
     * @throws IOException as {@link #forEach}.
     */
    public List<TraceRecord> readAll() throws IOException
    {
        final List<TraceRecord> records = new ArrayList<>((int)Math.min(recordCount, Integer.MAX_VALUE - 8));
        forEach(records::add);
        return records;
    }

    private TraceRecord decode(final ByteBuffer bytes, final int offset, final long index) throws TraceFormatException
    {
        final int code = bytes.get(offset + TraceRecordDescriptor.OPERATION_OFFSET);
        final TraceOperation operation = TraceOperation.fromCodeOrNull(code);
        if (null == operation)
        {
            throw new TraceFormatException(file + ": record " + index + " has unknown operation code " + code +
                " (not a hostalloc v" + TraceFileDescriptor.VERSION + " trace, or damaged)");
        }
        return new TraceRecord(
            index,
            bytes.getLong(offset + TraceRecordDescriptor.TIMESTAMP_OFFSET),
            operation,
            bytes.getLong(offset + TraceRecordDescriptor.SIZE_OFFSET),
            bytes.getLong(offset + TraceRecordDescriptor.ALIGNMENT_OFFSET),
            bytes.getLong(offset + TraceRecordDescriptor.ADDRESS_OFFSET),
            bytes.getLong(offset + TraceRecordDescriptor.RESULT_OFFSET),
            bytes.getInt(offset + TraceRecordDescriptor.THREAD_OFFSET),
            TraceRecordDescriptor.unsigned(bytes.get(offset + TraceRecordDescriptor.SCOPE_OFFSET)),
            TraceRecordDescriptor.unsigned(bytes.get(offset + TraceRecordDescriptor.TYPE_OFFSET)));
    }

    private static TraceHeader parseHeader(final Path file, final ByteBuffer bytes) throws TraceFormatException
    {
        if (!hasMagic(bytes, TraceFileDescriptor.MAGIC_OFFSET, TraceFileDescriptor.HEADER_MAGIC))
        {
            throw new TraceFormatException(file + " is not a hostalloc trace: it does not start with \"HATRACE1\"");
        }
        final int version = bytes.getInt(TraceFileDescriptor.VERSION_OFFSET);
        final int headerLength = bytes.getInt(TraceFileDescriptor.HEADER_LENGTH_OFFSET);
        final int recordLength = bytes.getInt(TraceFileDescriptor.RECORD_LENGTH_OFFSET);
        final int clock = bytes.getInt(TraceFileDescriptor.CLOCK_OFFSET);
        if (version != TraceFileDescriptor.VERSION || headerLength != HEADER_LENGTH || recordLength != RECORD_LENGTH)
        {
            throw new TraceFormatException(file + ": trace version " + version + " (header " + headerLength +
                " B, records " + recordLength + " B); this reader knows version " + TraceFileDescriptor.VERSION +
                " (header " + HEADER_LENGTH + " B, records " + RECORD_LENGTH + " B)");
        }
        if (clock != TraceFileDescriptor.CLOCK_NANO_TIME && clock != TraceFileDescriptor.CLOCK_CACHED_NANO_TIME)
        {
            throw new TraceFormatException(file + ": unknown clock id " + clock);
        }
        return new TraceHeader(version, recordLength, clock,
            bytes.getLong(TraceFileDescriptor.START_CLOCK_OFFSET),
            bytes.getLong(TraceFileDescriptor.START_EPOCH_NANOS_OFFSET),
            bytes.getInt(TraceFileDescriptor.RING_CAPACITY_OFFSET),
            bytes.getLong(TraceFileDescriptor.PID_OFFSET));
    }

    private static boolean hasMagic(final ByteBuffer bytes, final int offset, final byte[] magic)
    {
        final byte[] found = new byte[magic.length];
        bytes.get(offset, found);
        return Arrays.equals(found, magic);
    }

    private static void readFully(final FileChannel channel, final ByteBuffer bytes, final long position)
        throws IOException
    {
        long at = position;
        while (bytes.hasRemaining())
        {
            final int read = channel.read(bytes, at);
            if (read < 0)
            {
                throw new TraceFormatException("unexpected end of trace file at byte " + at);
            }
            at += read;
        }
        bytes.flip();
    }
}
