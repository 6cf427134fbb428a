package dev.hostalloc.accounting;

import org.agrona.concurrent.status.CountersReader;

/**
 * Layout of the live counters file an {@link AccountingCounters} writes and {@code hostalloc stat}
 * ({@link AccountingCountersReader}) reads from another process: a header, then Agrona's counters
 * metadata and values buffers, as Aeron lays out its CnC file.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+  0
 *  |                        MAGIC ("HACC")                         |
 *  +---------------------------------------------------------------+  4
 *  |                           VERSION                             |
 *  +---------------------------------------------------------------+  8
 *  |                        HEADER_LENGTH                          |
 *  +---------------------------------------------------------------+ 12
 *  |                       METADATA_LENGTH                         |
 *  +---------------------------------------------------------------+ 16
 *  |                        VALUES_LENGTH                          |
 *  +---------------------------------------------------------------+ 20
 *  |                          (reserved)                           |
 *  +---------------------------------------------------------------+ 24
 *  |                   PID of the writing process                  |
 *  +                                                               + 32
 *  |               START: epoch milliseconds of creation           |
 *  +                                                               + 40
 *  |   HEARTBEAT: epoch ms of the last publication (release store) |
 *  +                                                               + 48
 *  |             INTERVAL: publication period in milliseconds      |
 *  +                                                               + 56
 *  | DROPPED: accounts and counters not exported: the file is full  |
 *  +---------------------------------------------------------------+ 64
 *  |                    (reserved up to HEADER_LENGTH)             |
 *  +---------------------------------------------------------------+ HEADER_LENGTH (128)
 *  |          counters metadata buffer (METADATA_LENGTH bytes,     |
 *  |          CountersReader.METADATA_LENGTH per counter)          |
 *  +---------------------------------------------------------------+ HEADER_LENGTH + METADATA_LENGTH
 *  |          counters values buffer (VALUES_LENGTH bytes,         |
 *  |          CountersReader.COUNTER_LENGTH per counter)           |
 *  +---------------------------------------------------------------+ file length
 * </pre>
 *
 * <p>Each counter's type id is an {@link AccountFigure}'s {@link AccountFigure#typeId()}; its key holds
 * the allocator's serial number, the account id, the scope ({@link #NO_SCOPE} for whole-account figures)
 * and the account's depth (layout below); its label is {@code "<account path>: <figure>[ <SCOPE>]"}, e.g.
 * {@code "vulkan/renderer: scope-current-bytes OBJECT"}.
 *
 * <pre>
 *   key: 0 ALLOCATOR (long) | 8 ACCOUNT (int) | 12 SCOPE (int) | 16 DEPTH (int)
 * </pre>
 *
 * <p>Other components export single values into the same file ({@link ExportedCounter}, e.g. the logging
 * allocator's records written and its overrun count): type id {@link #EXPORTED_COUNTER_TYPE_ID}, label
 * {@code "<component>: <what>"}, key 0 the exporter's serial number. Readers that only know accounts skip
 * them (they skip every type id that is not an {@link AccountFigure}'s), so the version stays 1.
 */
public final class CountersFileDescriptor
{
    /** "HACC" in ASCII, read as a little-endian int. */
    public static final int MAGIC = 0x43434148;
    /** The layout version this class describes. */
    public static final int VERSION = 1;

    /** Offset of {@link #MAGIC}. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the header length. */
    public static final int HEADER_LENGTH_OFFSET = 8;
    /** Offset of the metadata buffer's length. */
    public static final int METADATA_LENGTH_OFFSET = 12;
    /** Offset of the values buffer's length. */
    public static final int VALUES_LENGTH_OFFSET = 16;
    /** Offset of the writer's process id. */
    public static final int PID_OFFSET = 24;
    /** Offset of the creation time, epoch milliseconds. */
    public static final int START_OFFSET = 32;
    /** Offset of the last publication's time, epoch milliseconds. */
    public static final int HEARTBEAT_OFFSET = 40;
    /** Offset of the publication period in milliseconds. */
    public static final int INTERVAL_OFFSET = 48;
    /** Offset of the number of accounts (and exported counters) not exported for lack of room. */
    public static final int DROPPED_OFFSET = 56;
    /** Length of the header; the metadata buffer starts here (a multiple of the cache line). */
    public static final int HEADER_LENGTH = 128;

    /** Key offset of the allocator's serial number. */
    public static final int KEY_ALLOCATOR_OFFSET = 0;
    /** Key offset of the account id. */
    public static final int KEY_ACCOUNT_OFFSET = 8;
    /** Key offset of the scope value, or {@link #NO_SCOPE}. */
    public static final int KEY_SCOPE_OFFSET = 12;
    /** Key offset of the account's depth. */
    public static final int KEY_DEPTH_OFFSET = 16;
    /** Length of a key. */
    public static final int KEY_LENGTH = 20;
    /** The scope of a whole-account figure. */
    public static final int NO_SCOPE = -1;

    /**
     * The type id of a counter another component exports ({@link ExportedCounter}), e.g. logging's records
     * written and dropped: its label is all a reader needs ({@code "logging app.trace: records dropped"}),
     * its key holds only the exporting counter's serial number at {@link #KEY_ALLOCATOR_OFFSET}. Outside the
     * {@link AccountFigure} type ids.
     */
    public static final int EXPORTED_COUNTER_TYPE_ID = 0x4841_0100;

    /** A counter id not allocated yet (Agrona's ids start at 0). */
    public static final int NO_COUNTER = -1;

    /** The value of {@link AccountFigure#LIMIT_BYTES} for an unlimited account. */
    public static final long UNLIMITED = -1;

    /** Separates the account path from the figure in a label. */
    public static final String LABEL_SEPARATOR = ": ";

    private CountersFileDescriptor()
    {
    }

    /**
     * Length of the values buffer for a number of counters.
     *
     * @param maxCounters the counters the file holds.
     * @return {@code maxCounters * CountersReader.COUNTER_LENGTH}.
     */
    public static int valuesLength(final int maxCounters)
    {
        return maxCounters * CountersReader.COUNTER_LENGTH;
    }

    /**
     * Length of the metadata buffer for a number of counters.
     *
     * @param maxCounters the counters the file holds.
     * @return {@code maxCounters * CountersReader.METADATA_LENGTH}.
     */
    public static int metadataLength(final int maxCounters)
    {
        return maxCounters * CountersReader.METADATA_LENGTH;
    }

    /**
     * Offset of the metadata buffer.
     *
     * @return {@link #HEADER_LENGTH}.
     */
    public static int metadataOffset()
    {
        return HEADER_LENGTH;
    }

    /**
     * Offset of the values buffer.
     *
     * @param metadataLength the metadata buffer's length.
     * @return {@code HEADER_LENGTH + metadataLength}.
     */
    public static int valuesOffset(final int metadataLength)
    {
        return HEADER_LENGTH + metadataLength;
    }

    /**
     * The file's length.
     *
     * @param metadataLength the metadata buffer's length.
     * @param valuesLength   the values buffer's length.
     * @return header plus both buffers.
     */
    public static long fileLength(final int metadataLength, final int valuesLength)
    {
        return (long)HEADER_LENGTH + metadataLength + valuesLength;
    }
}
