package dev.hostalloc.accounting;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostalloc.api.SystemAllocationScope;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every account of an {@link AccountingAllocator} at one moment, in tree order (each parent before its
 * children), as a versioned JSON document for tools ({@link #toJson()}, read back with
 * {@link #fromJson(String)}; schema {@code docs/schema/accounting-snapshot-v1.json}, in the spirit of
 * VMA's {@code vmaBuildStatsString}) and as a plain-text table for people ({@link #toTable()}).
 *
 * <p>JSON, version 1: an object with {@code "format": "hostalloc-accounting-snapshot"},
 * {@code "version": 1}, {@code "allocator"} (the root's name), {@code "takenAt"} (ISO-8601 UTC) and
 * {@code "accounts"}: one object per account with the fields of {@link AccountSnapshot} ({@code limitBytes}
 * is {@code null} when unlimited), {@code "scopes"} an object keyed by scope name and
 * {@code "histogram"} an array of the non-empty buckets.
 *
 * @param version   the document version, {@link #VERSION}.
 * @param allocator the root account's name.
 * @param takenAt   when the figures were read.
 * @param accounts  every account, parents before children.
 */
public record AccountingSnapshot(int version, String allocator, Instant takenAt, List<AccountSnapshot> accounts)
{
    /** The JSON document's {@code format} value. */
    public static final String FORMAT = "hostalloc-accounting-snapshot";

    /** The document version this class writes and reads. */
    public static final int VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    private static final SystemAllocationScope[] SCOPES = SystemAllocationScope.values();
    private static final String[] SCOPE_HEADINGS = { "COMMAND", "OBJECT", "CACHE", "DEVICE", "INSTANCE" };

    /**
     * Validates the snapshot and makes the list immutable.
     *
     * @throws NullPointerException when a reference is {@code null}.
     */
    public AccountingSnapshot
    {
        Objects.requireNonNull(allocator, "allocator");
        Objects.requireNonNull(takenAt, "takenAt");
        accounts = List.copyOf(accounts);
    }

    /**
     * The account with this path.
     *
     * @param path a full path, e.g. {@code vulkan/renderer}.
     * @return its figures.
     * @throws IllegalArgumentException when no account has that path.
     */
    public AccountSnapshot account(final String path)
    {
        for (final AccountSnapshot account : accounts)
        {
            if (account.path().equals(path))
            {
                return account;
            }
        }
        throw new IllegalArgumentException("no account '" + path + "' in the snapshot of '" + allocator + "'");
    }

    /**
     * The root account's figures.
     *
     * @return the first account.
     */
    public AccountSnapshot root()
    {
        return accounts.get(0);
    }

    /**
     * The JSON document, pretty-printed.
     *
     * @return the document (schema {@code docs/schema/accounting-snapshot-v1.json}).
     */
    public String toJson()
    {
        final StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out).useDefaultPrettyPrinter())
        {
            json.writeStartObject();
            json.writeStringField("format", FORMAT);
            json.writeNumberField("version", version);
            json.writeStringField("allocator", allocator);
            json.writeStringField("takenAt", takenAt.toString());
            json.writeArrayFieldStart("accounts");
            for (final AccountSnapshot a : accounts)
            {
                writeAccount(json, a);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("writing JSON to a string cannot fail", ex);
        }
        return out.toString();
    }

    private static void writeAccount(final JsonGenerator json, final AccountSnapshot a) throws IOException
    {
        json.writeStartObject();
        json.writeStringField("path", a.path());
        json.writeStringField("name", a.name());
        json.writeNumberField("depth", a.depth());
        if (a.limited())
        {
            json.writeNumberField("limitBytes", a.limitBytes());
        }
        else
        {
            json.writeNullField("limitBytes");
        }
        json.writeBooleanField("ownsPool", a.ownsPool());
        json.writeNumberField("currentBytes", a.currentBytes());
        json.writeNumberField("peakBytes", a.peakBytes());
        json.writeNumberField("liveBlocks", a.liveBlocks());
        json.writeNumberField("allocations", a.allocations());
        json.writeNumberField("reallocations", a.reallocations());
        json.writeNumberField("frees", a.frees());
        json.writeNumberField("failures", a.failures());
        json.writeNumberField("poolFailures", a.poolFailures());
        json.writeNumberField("internalBytes", a.internalBytes());
        json.writeObjectFieldStart("scopes");
        for (final ScopeFigures s : a.scopes())
        {
            json.writeObjectFieldStart(s.scope().name());
            json.writeNumberField("currentBytes", s.currentBytes());
            json.writeNumberField("peakBytes", s.peakBytes());
            json.writeNumberField("liveBlocks", s.liveBlocks());
            json.writeNumberField("allocations", s.allocations());
            json.writeEndObject();
        }
        json.writeEndObject();
        json.writeArrayFieldStart("histogram");
        for (final HistogramBucket b : a.histogram())
        {
            json.writeStartObject();
            json.writeNumberField("minBytes", b.minBytes());
            json.writeNumberField("maxBytes", b.maxBytes());
            json.writeNumberField("allocations", b.allocations());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /**
     * Reads a document written by {@link #toJson()}.
     *
     * @param json the document.
     * @return the snapshot; {@code fromJson(s.toJson())} equals {@code s}.
     * @throws IllegalArgumentException when the text is not JSON, not a {@value #FORMAT} document, of
     *                                  another version, or misses or mistypes a field (the message names it).
     */
    public static AccountingSnapshot fromJson(final String json)
    {
        final JsonNode root;
        try
        {
            root = MAPPER.readTree(Objects.requireNonNull(json, "json"));
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalArgumentException("not a JSON document: " + ex.getOriginalMessage(), ex);
        }
        if (null == root || !root.isObject() || !FORMAT.equals(root.path("format").asText(null)))
        {
            throw new IllegalArgumentException("not a " + FORMAT + " document (\"format\" must be \"" + FORMAT + "\")");
        }
        final int version = (int)number(root, "version", "");
        if (version != VERSION)
        {
            throw new IllegalArgumentException("unsupported " + FORMAT + " version " + version + "; this reader reads version " + VERSION);
        }
        final Instant takenAt;
        try
        {
            takenAt = Instant.parse(text(root, "takenAt", ""));
        }
        catch (final DateTimeParseException ex)
        {
            throw new IllegalArgumentException("\"takenAt\" is not an ISO-8601 instant: " + root.get("takenAt"), ex);
        }
        final JsonNode accountNodes = root.get("accounts");
        if (null == accountNodes || !accountNodes.isArray())
        {
            throw new IllegalArgumentException("\"accounts\" must be an array");
        }
        final List<AccountSnapshot> accounts = new ArrayList<>();
        for (int i = 0; i < accountNodes.size(); i++)
        {
            accounts.add(readAccount(accountNodes.get(i), "accounts[" + i + "]."));
        }
        return new AccountingSnapshot(version, text(root, "allocator", ""), takenAt, accounts);
    }

    private static AccountSnapshot readAccount(final JsonNode node, final String where)
    {
        final JsonNode limit = node.get("limitBytes");
        if (null == limit || !(limit.isNull() || limit.canConvertToLong()))
        {
            throw new IllegalArgumentException(where + "limitBytes must be a number or null");
        }
        final JsonNode scopesNode = node.get("scopes");
        if (null == scopesNode || !scopesNode.isObject())
        {
            throw new IllegalArgumentException(where + "scopes must be an object");
        }
        final List<ScopeFigures> scopes = new ArrayList<>();
        for (final SystemAllocationScope scope : SCOPES)
        {
            final JsonNode s = scopesNode.get(scope.name());
            final String at = where + "scopes." + scope.name() + ".";
            if (null == s || !s.isObject())
            {
                throw new IllegalArgumentException(at + " is missing");
            }
            scopes.add(new ScopeFigures(scope, number(s, "currentBytes", at), number(s, "peakBytes", at),
                number(s, "liveBlocks", at), number(s, "allocations", at)));
        }
        final JsonNode histogramNode = node.get("histogram");
        if (null == histogramNode || !histogramNode.isArray())
        {
            throw new IllegalArgumentException(where + "histogram must be an array");
        }
        final List<HistogramBucket> histogram = new ArrayList<>();
        for (int i = 0; i < histogramNode.size(); i++)
        {
            final JsonNode b = histogramNode.get(i);
            final String at = where + "histogram[" + i + "].";
            histogram.add(new HistogramBucket(number(b, "minBytes", at), number(b, "maxBytes", at), number(b, "allocations", at)));
        }
        final JsonNode ownsPool = node.get("ownsPool");
        if (null == ownsPool || !ownsPool.isBoolean())
        {
            throw new IllegalArgumentException(where + "ownsPool must be true or false");
        }
        return new AccountSnapshot(
            text(node, "path", where),
            (int)number(node, "depth", where),
            limit.isNull() ? Account.UNLIMITED : limit.asLong(),
            ownsPool.asBoolean(),
            number(node, "currentBytes", where),
            number(node, "peakBytes", where),
            number(node, "liveBlocks", where),
            number(node, "allocations", where),
            number(node, "reallocations", where),
            number(node, "frees", where),
            number(node, "failures", where),
            number(node, "poolFailures", where),
            number(node, "internalBytes", where),
            scopes,
            histogram);
    }

    private static long number(final JsonNode node, final String field, final String where)
    {
        final JsonNode value = node.get(field);
        if (null == value || !value.isIntegralNumber() || !value.canConvertToLong())
        {
            throw new IllegalArgumentException(where + field + " must be an integer");
        }
        return value.asLong();
    }

    private static String text(final JsonNode node, final String field, final String where)
    {
        final JsonNode value = node.get(field);
        if (null == value || !value.isTextual())
        {
            throw new IllegalArgumentException(where + field + " must be a string");
        }
        return value.asText();
    }

    /**
     * A table for people: one row per account (indented by depth) with current, peak, limit, live blocks,
     * allocations, failures and the current bytes per scope.
     *
     * @return the table, lines ending in {@code '\n'}.
     */
    public String toTable()
    {
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "ACCOUNT", "CURRENT", "PEAK", "LIMIT", "LIVE", "ALLOCS", "FAILS",
            SCOPE_HEADINGS[0], SCOPE_HEADINGS[1], SCOPE_HEADINGS[2], SCOPE_HEADINGS[3], SCOPE_HEADINGS[4] });
        for (final AccountSnapshot a : accounts)
        {
            final String[] row = new String[7 + SCOPES.length];
            row[0] = "  ".repeat(a.depth()) + (a.depth() == 0 ? a.path() : a.name());
            row[1] = ByteUnits.format(a.currentBytes());
            row[2] = ByteUnits.format(a.peakBytes());
            row[3] = a.limited() ? ByteUnits.format(a.limitBytes()) : "-";
            row[4] = Long.toString(a.liveBlocks());
            row[5] = Long.toString(a.allocations());
            row[6] = Long.toString(a.failures());
            for (final SystemAllocationScope scope : SCOPES)
            {
                row[7 + scope.ordinal()] = ByteUnits.format(a.scope(scope).currentBytes());
            }
            rows.add(row);
        }
        final StringBuilder sb = new StringBuilder();
        sb.append("accounting '").append(allocator).append("' at ").append(takenAt).append('\n');
        sb.append(formatTable(rows));
        return sb.toString();
    }

    /**
     * Lays out rows as columns: the first left-aligned, the others right-aligned, two spaces apart.
     *
     * @param rows the heading row first; every row as long as the first.
     * @return the lines, each ending in {@code '\n'}.
     */
    public static String formatTable(final List<String[]> rows)
    {
        final int columns = rows.get(0).length;
        final int[] widths = new int[columns];
        for (final String[] row : rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        final StringBuilder sb = new StringBuilder();
        for (final String[] row : rows)
        {
            for (int c = 0; c < columns; c++)
            {
                if (c > 0)
                {
                    sb.append("  ");
                }
                final String pad = " ".repeat(widths[c] - row[c].length());
                sb.append(c == 0 ? row[c] + (c == columns - 1 ? "" : pad) : pad + row[c]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
