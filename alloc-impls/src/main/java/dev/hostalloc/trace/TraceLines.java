package dev.hostalloc.trace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;

/**
 * One line per record, for {@code hostalloc trace print}: a text form for people and a JSON Lines
 * form for tools (written with Jackson's streaming generator, the JSON library the project uses):
 * addresses as hex strings (JSON numbers lose precision past 2^53), sizes and alignments as unsigned
 * decimal numbers, times in nanoseconds since the trace started.
 */
public final class TraceLines
{
    private static final String NONE = "-";
    private static final JsonFactory JSON = JsonFactory.builder().build();

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
        final StringWriter out = new StringWriter(160);
        try (JsonGenerator json = JSON.createGenerator(out))
        {
            final TraceOperation op = record.operation();
            final boolean allocating = op == TraceOperation.ALLOCATE || op == TraceOperation.REALLOCATE;
            final boolean notification = op == TraceOperation.INTERNAL_ALLOCATION || op == TraceOperation.INTERNAL_FREE;
            json.writeStartObject();
            json.writeNumberField("i", record.index());
            json.writeNumberField("t_ns", header.elapsedNanos(record.timestamp()));
            json.writeNumberField("thread", record.thread());
            json.writeStringField("op", op.name());
            if (op != TraceOperation.FREE)
            {
                json.writeFieldName("size");
                json.writeNumber(unsigned(record.size()));
            }
            if (allocating)
            {
                json.writeFieldName("alignment");
                json.writeNumber(unsigned(record.alignment()));
            }
            if (op != TraceOperation.FREE)
            {
                final SystemAllocationScope scope = record.scope();
                json.writeStringField("scope", null == scope ? null : scope.name());
            }
            if (notification)
            {
                final InternalAllocationType type = record.type();
                json.writeStringField("type", null == type ? null : type.name());
            }
            if (op == TraceOperation.REALLOCATE || op == TraceOperation.FREE)
            {
                json.writeStringField("address", hex(record.address()));
            }
            if (allocating)
            {
                json.writeStringField("result", hex(record.result()));
            }
            json.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("writing JSON to a StringWriter cannot fail", ex);
        }
        return out.toString();
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

    private static BigInteger unsigned(final long value)
    {
        return value >= 0 ? BigInteger.valueOf(value) : new BigInteger(Long.toUnsignedString(value));
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
