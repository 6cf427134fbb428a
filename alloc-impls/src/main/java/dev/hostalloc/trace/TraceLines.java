package dev.hostalloc.trace;

import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;

/**
 * One line per record, for {@code hostalloc trace print}: a text form for people and a JSON Lines
 * form for tools. Records are flat numbers and names, so the JSON is written by hand here: addresses
 * as hex strings (JSON numbers lose precision past 2^53), sizes and alignments as unsigned decimal
 * numbers, times in nanoseconds since the trace started.
 */
public final class TraceLines
{
    private static final String NONE = "-";

    private TraceLines()
    {
    }

    /**
     * The text form, e.g. {@code "#12  +1.204 ms  t1  ALLOCATE 4096 align 16 OBJECT -> 0x7f3a10"}.
     *
     * @param record the record.
     * @param header its trace's header, for the time origin.
     * @return one line without a line separator.
     */
    public static String text(final TraceRecord record, final TraceHeader header)
    {
        final StringBuilder sb = new StringBuilder(96);
        sb.append('#').append(record.index())
            .append(String.format("  +%.6f ms  t%d  ", header.elapsedNanos(record.timestamp()) / 1e6, record.thread()));
        switch (record.operation())
        {
            case ALLOCATE -> sb.append("ALLOCATE ").append(Long.toUnsignedString(record.size()))
                .append(" align ").append(Long.toUnsignedString(record.alignment())).append(' ')
                .append(scopeName(record)).append(" -> ").append(hex(record.result()));
            case REALLOCATE -> sb.append("REALLOCATE ").append(hex(record.address())).append(" to ")
                .append(Long.toUnsignedString(record.size())).append(" align ")
                .append(Long.toUnsignedString(record.alignment())).append(' ').append(scopeName(record))
                .append(" -> ").append(hex(record.result()));
            case FREE -> sb.append("FREE ").append(hex(record.address()));
            case INTERNAL_ALLOCATION, INTERNAL_FREE -> sb.append(record.operation()).append(' ')
                .append(Long.toUnsignedString(record.size())).append(' ').append(typeName(record)).append(' ')
                .append(scopeName(record));
        }
        return sb.toString();
    }

    /**
     * The JSON Lines form: one flat object, keys {@code i, t_ns, thread, op, size, alignment, scope,
     * type, address, result} (absent fields are omitted for the operation: a free has no size).
     *
     * @param record the record.
     * @param header its trace's header, for the time origin.
     * @return one JSON object without a line separator.
     */
    public static String json(final TraceRecord record, final TraceHeader header)
    {
        final StringBuilder sb = new StringBuilder(160);
        sb.append("{\"i\":").append(record.index())
            .append(",\"t_ns\":").append(header.elapsedNanos(record.timestamp()))
            .append(",\"thread\":").append(record.thread())
            .append(",\"op\":\"").append(record.operation().name()).append('"');
        final TraceOperation op = record.operation();
        if (op != TraceOperation.FREE)
        {
            sb.append(",\"size\":").append(Long.toUnsignedString(record.size()));
        }
        if (op == TraceOperation.ALLOCATE || op == TraceOperation.REALLOCATE)
        {
            sb.append(",\"alignment\":").append(Long.toUnsignedString(record.alignment()));
        }
        if (op != TraceOperation.FREE)
        {
            sb.append(",\"scope\":").append(quotedOrNull(record.scope()));
        }
        if (op == TraceOperation.INTERNAL_ALLOCATION || op == TraceOperation.INTERNAL_FREE)
        {
            final InternalAllocationType type = record.type();
            sb.append(",\"type\":").append(null == type ? "null" : "\"" + type.name() + "\"");
        }
        if (op == TraceOperation.REALLOCATE || op == TraceOperation.FREE)
        {
            sb.append(",\"address\":\"").append(hex(record.address())).append('"');
        }
        if (op == TraceOperation.ALLOCATE || op == TraceOperation.REALLOCATE)
        {
            sb.append(",\"result\":\"").append(hex(record.result())).append('"');
        }
        return sb.append('}').toString();
    }

    /**
     * An address as people and JSON readers see it.
     *
     * @param address the address.
     * @return {@code "0x"} and lowercase hex digits; {@code "0x0"} for NULL.
     */
    public static String hex(final long address)
    {
        return "0x" + Long.toHexString(address);
    }

    private static String quotedOrNull(final SystemAllocationScope scope)
    {
        return null == scope ? "null" : "\"" + scope.name() + "\"";
    }

    private static String scopeName(final TraceRecord record)
    {
        final SystemAllocationScope scope = record.scope();
        return null == scope ? NONE : scope.name();
    }

    private static String typeName(final TraceRecord record)
    {
        final InternalAllocationType type = record.type();
        return null == type ? NONE : type.name();
    }
}
