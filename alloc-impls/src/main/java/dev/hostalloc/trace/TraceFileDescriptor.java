package dev.hostalloc.trace;

import java.nio.charset.StandardCharsets;

/**
 * Layout of a trace file: a 64-byte header, then packed {@link TraceRecordDescriptor records}, then
 * (when the logger was closed) a footer as long as one record. Every number is little-endian.
 *
 * <pre>
 *   file:   +--------+----------+----------+-----+----------+--------+
 *           | header | record 0 | record 1 | ... | record n | footer |
 *           +--------+----------+----------+-----+----------+--------+
 *            64 B     48 B each                               48 B, absent if the process died
 *
 *   header: 0          8        12       16       20       24
 *           +----------+--------+--------+--------+--------+
 *           | magic    | version| hdrLen | recLen | clock  |
 *           +----------+--------+--------+--------+--------+
 *           24                  32                  40        44        48        56        64
 *           +-------------------+-------------------+---------+---------+---------+---------+
 *           | startClock (long) | startEpochNanos   | ringCap | reserved| pid     | reserved|
 *           +-------------------+-------------------+---------+---------+---------+---------+
 *
 *   footer: 0          8                   16                  24                  32        48
 *           +----------+-------------------+-------------------+-------------------+---------+
 *           | magic    | recordsWritten    | recordsDropped    | endClock (long)   | reserved|
 *           +----------+-------------------+-------------------+-------------------+---------+
 *
 *   magic          : ASCII "HATRACE" + version digit ("HATRACE1"); footer "HATRACE$"
 *   clock          : {@link #CLOCK_NANO_TIME} or {@link #CLOCK_CACHED_NANO_TIME}: System.nanoTime() of the
 *                    recording JVM, read per record or cached by the writer thread (about 1 ms resolution)
 *   startClock     : that clock when the trace was opened; startEpochNanos the wall clock then
 *   ringCap        : the logging ring's capacity in bytes (a hint for how gaps arose)
 *   recordsDropped : records lost because the ring was full: the trace has gaps when above 0
 * </pre>
 *
 * <p>A file without a footer was not closed (the process died): the complete records before its
 * end are still valid; a partial last record is ignored.
 */
public final class TraceFileDescriptor
{
    /** The only format version so far. */
    public static final int VERSION = 1;

    /** Header magic, 8 ASCII bytes. */
    public static final byte[] HEADER_MAGIC = "HATRACE1".getBytes(StandardCharsets.US_ASCII);
    /** Footer magic, 8 ASCII bytes. */
    public static final byte[] FOOTER_MAGIC = "HATRACE$".getBytes(StandardCharsets.US_ASCII);

    /** Clock id: {@code System.nanoTime()} read per record, monotonic nanoseconds of the recording JVM. */
    public static final int CLOCK_NANO_TIME = 1;

    /**
     * Clock id: the same clock, read by the logger's writer thread and cached for the callers: exact to
     * within the writer's idle period (at most about 1 ms), never decreasing within a thread.
     */
    public static final int CLOCK_CACHED_NANO_TIME = 2;

    /** Offset of the magic (8 bytes). */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version ({@code int}). */
    public static final int VERSION_OFFSET = MAGIC_OFFSET + Long.BYTES;
    /** Offset of the header length ({@code int}). */
    public static final int HEADER_LENGTH_OFFSET = VERSION_OFFSET + Integer.BYTES;
    /** Offset of the record length ({@code int}). */
    public static final int RECORD_LENGTH_OFFSET = HEADER_LENGTH_OFFSET + Integer.BYTES;
    /** Offset of the clock id ({@code int}). */
    public static final int CLOCK_OFFSET = RECORD_LENGTH_OFFSET + Integer.BYTES;
    /** Offset of the clock reading at open ({@code long}). */
    public static final int START_CLOCK_OFFSET = CLOCK_OFFSET + Integer.BYTES;
    /** Offset of the wall clock at open, nanoseconds since the epoch ({@code long}). */
    public static final int START_EPOCH_NANOS_OFFSET = START_CLOCK_OFFSET + Long.BYTES;
    /** Offset of the ring capacity ({@code int}). */
    public static final int RING_CAPACITY_OFFSET = START_EPOCH_NANOS_OFFSET + Long.BYTES;
    /** Offset of a reserved {@code int}. */
    public static final int HEADER_RESERVED_OFFSET = RING_CAPACITY_OFFSET + Integer.BYTES;
    /** Offset of the process id ({@code long}). */
    public static final int PID_OFFSET = HEADER_RESERVED_OFFSET + Integer.BYTES;
    /** Offset of a reserved {@code long}. */
    public static final int HEADER_RESERVED2_OFFSET = PID_OFFSET + Long.BYTES;
    /** Bytes of header. */
    public static final int HEADER_LENGTH = HEADER_RESERVED2_OFFSET + Long.BYTES;

    /** Offset of the footer magic (8 bytes). */
    public static final int FOOTER_MAGIC_OFFSET = 0;
    /** Offset of the records written ({@code long}). */
    public static final int RECORDS_WRITTEN_OFFSET = FOOTER_MAGIC_OFFSET + Long.BYTES;
    /** Offset of the records dropped ({@code long}). */
    public static final int RECORDS_DROPPED_OFFSET = RECORDS_WRITTEN_OFFSET + Long.BYTES;
    /** Offset of the clock reading at close ({@code long}). */
    public static final int END_CLOCK_OFFSET = RECORDS_DROPPED_OFFSET + Long.BYTES;
    /** Bytes of footer: one record's length, so the file is always header + a multiple of it. */
    public static final int FOOTER_LENGTH = TraceRecordDescriptor.RECORD_LENGTH;

    private TraceFileDescriptor()
    {
    }

    /**
     * Where record {@code index} starts in the file.
     *
     * @param index 0-based.
     * @return {@code HEADER_LENGTH + index * RECORD_LENGTH}.
     */
    public static long recordOffset(final long index)
    {
        return HEADER_LENGTH + index * TraceRecordDescriptor.RECORD_LENGTH;
    }
}
