package dev.hostalloc.trace;

/**
 * Layout of one trace record: 48 bytes, little-endian, the same bytes in the logging ring buffer
 * (as the payload of an Agrona ring record) and in the trace file (packed after the
 * {@link TraceFileDescriptor header}). Fixed size, so a reader can seek to record {@code i} at
 * {@code HEADER_LENGTH + i * RECORD_LENGTH} and the caller's write is a handful of stores.
 *
 * <pre>
 *   0                   8                   16                  24
 *   +-------------------+-------------------+-------------------+
 *   | timestamp (long)  | size (long)       | alignment (long)  |
 *   +-------------------+-------------------+-------------------+
 *   24                  32                  40        44 45 46 47 48
 *   +-------------------+-------------------+---------+--+--+--+--+
 *   | address (long)    | result (long)     | thread  |op|sc|ty|rs|
 *   +-------------------+-------------------+---------+--+--+--+--+
 *
 *   timestamp : the header's clock (System.nanoTime) when the call returned (free: when it began)
 *   size      : bytes asked for (allocate, reallocate, internal notifications); 0 for free
 *   alignment : alignment asked for (allocate, reallocate); 0 otherwise
 *   address   : reallocate's original pointer, free's pointer; 0 otherwise
 *   result    : what allocate or reallocate returned (0 = NULL); 0 otherwise
 *   thread    : low 32 bits of the calling Java thread's Thread.threadId()
 *   op        : a {@link TraceOperation} code, 1..5
 *   sc        : the VkSystemAllocationScope value 0..4, or {@link #NO_SCOPE} (free, or a null scope)
 *   ty        : the VkInternalAllocationType value for notifications, else {@link #NO_TYPE}
 *   rs        : reserved, 0
 * </pre>
 */
public final class TraceRecordDescriptor
{
    /** Offset of the timestamp ({@code long}). */
    public static final int TIMESTAMP_OFFSET = 0;
    /** Offset of the size ({@code long}). */
    public static final int SIZE_OFFSET = TIMESTAMP_OFFSET + Long.BYTES;
    /** Offset of the alignment ({@code long}). */
    public static final int ALIGNMENT_OFFSET = SIZE_OFFSET + Long.BYTES;
    /** Offset of the address passed in ({@code long}). */
    public static final int ADDRESS_OFFSET = ALIGNMENT_OFFSET + Long.BYTES;
    /** Offset of the result returned ({@code long}). */
    public static final int RESULT_OFFSET = ADDRESS_OFFSET + Long.BYTES;
    /** Offset of the thread id ({@code int}). */
    public static final int THREAD_OFFSET = RESULT_OFFSET + Long.BYTES;
    /** Offset of the operation code ({@code byte}). */
    public static final int OPERATION_OFFSET = THREAD_OFFSET + Integer.BYTES;
    /** Offset of the scope ({@code byte}). */
    public static final int SCOPE_OFFSET = OPERATION_OFFSET + 1;
    /** Offset of the internal allocation type ({@code byte}). */
    public static final int TYPE_OFFSET = SCOPE_OFFSET + 1;
    /** Offset of the reserved byte. */
    public static final int RESERVED_OFFSET = TYPE_OFFSET + 1;
    /** Bytes per record. */
    public static final int RECORD_LENGTH = RESERVED_OFFSET + 1;

    /** Scope byte of a record without a scope (free) or whose call passed a {@code null} scope. */
    public static final byte NO_SCOPE = (byte)0xFF;
    /** Type byte of a record that is not an internal notification, or whose type was {@code null}. */
    public static final byte NO_TYPE = (byte)0xFF;

    private TraceRecordDescriptor()
    {
    }

    /**
     * The unsigned value of a scope or type byte.
     *
     * @param value the byte as stored.
     * @return 0..255; {@code 255} is {@link #NO_SCOPE} / {@link #NO_TYPE}.
     */
    public static int unsigned(final byte value)
    {
        return value & 0xFF;
    }
}
