package dev.hostalloc.lwjgl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.accounting.LeakReport;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ReportedViolation;
import dev.hostalloc.api.Violation;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The JSON report of a {@link HostallocMemoryAllocator} (format {@value #FORMAT}, version {@value #VERSION}),
 * and its writing at JVM exit for {@code -Dhostalloc.report=<file>}:
 * <pre>
 * {
 *   "format": "hostalloc-lwjgl-report", "version": 1,
 *   "spec": "accounting,system",          // null when the callbacks were given, not configured
 *   "scope": "OBJECT", "defaultAlignment": 16,
 *   "throwables": 0,                      // throwables the stack threw into the allocator
 *   "violations": { "total": 1, "byKind": { "DOUBLE_FREE": 1 }, "details": [ "DOUBLE_FREE at 0x..." ] },
 *                                         // null when the handler is not a RecordingViolationHandler
 *   "accounting": [ { accounting-snapshot-v1 document } ... ],
 *   "leaks": [ { "allocator": "root", "liveBlocks": 1, "liveBytes": 4096,
 *                "blocks": [ { "account", "scope", "address": "0x...", "size", "alignment", "site" } ],
 *                "untracked": [ { "account", "scope", "blocks", "bytes" } ] } ... ]
 * }
 * </pre>
 * Live blocks at exit are leaks of the application (LWJGL's {@code MemoryStack} is a Java direct buffer,
 * not allocated through the allocator). Building the report allocates; it never runs on a hot path.
 */
final class LwjglAllocationReport
{
    /** The document's {@code format} field. */
    static final String FORMAT = "hostalloc-lwjgl-report";

    /** The document's {@code version} field. */
    static final int VERSION = 1;

    private static final JsonFactory FACTORY = new JsonFactory();

    private LwjglAllocationReport()
    {
    }

    /**
     * The report of {@code allocator} now.
     *
     * @param allocator the allocator.
     * @return the pretty-printed document.
     */
    static String toJson(final HostallocMemoryAllocator allocator)
    {
        Objects.requireNonNull(allocator, "allocator");
        final StringWriter out = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(out).useDefaultPrettyPrinter())
        {
            json.writeStartObject();
            json.writeStringField("format", FORMAT);
            json.writeNumberField("version", VERSION);
            json.writeStringField("spec", allocator.spec().orElse(null));
            json.writeStringField("scope", allocator.scope().name());
            json.writeNumberField("defaultAlignment", HostallocMemoryAllocator.DEFAULT_ALIGNMENT);
            json.writeNumberField("throwables", allocator.throwableCount());
            writeViolations(json, allocator);
            json.writeArrayFieldStart("accounting");
            for (final AccountingAllocator accounting : allocator.accounting())
            {
                json.writeRawValue(accounting.snapshot().toJson());
            }
            json.writeEndArray();
            json.writeArrayFieldStart("leaks");
            for (final AccountingAllocator accounting : allocator.accounting())
            {
                writeLeaks(json, accounting.leakReport());
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

    /**
     * A line a person can read: live blocks and violations.
     *
     * @param allocator the allocator.
     * @return e.g. {@code "2 live blocks (4160 bytes), 1 violation (DOUBLE_FREE 1)"}.
     */
    static String summary(final HostallocMemoryAllocator allocator)
    {
        long blocks = 0;
        long bytes = 0;
        for (final AccountingAllocator accounting : allocator.accounting())
        {
            final LeakReport leaks = accounting.leakReport();
            blocks += leaks.blocks().size();
            bytes += leaks.totalBytes();
            for (final LeakReport.Summary untracked : leaks.untracked())
            {
                blocks += untracked.blocks();
            }
        }
        final StringBuilder sb = new StringBuilder(96);
        if (allocator.accounting().isEmpty())
        {
            sb.append("no accounting element in the stack (live blocks unknown)");
        }
        else
        {
            sb.append(blocks).append(" live blocks (").append(bytes).append(" bytes)");
        }
        if (allocator.violationHandler() instanceof final RecordingViolationHandler recorded)
        {
            sb.append(", ").append(recorded.totalCount()).append(" violations");
            for (final Violation violation : Violation.values())
            {
                final long count = recorded.count(violation);
                if (count > 0)
                {
                    sb.append(' ').append(violation.name()).append('=').append(count);
                }
            }
        }
        return sb.toString();
    }

    /**
     * Registers a shutdown hook that writes {@link #toJson} to {@code file} and a summary line to
     * standard error.
     *
     * @param allocator the allocator.
     * @param file      where to write.
     */
    static void writeAtExit(final HostallocMemoryAllocator allocator, final Path file)
    {
        Objects.requireNonNull(allocator, "allocator");
        Objects.requireNonNull(file, "file");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> write(allocator, file), "hostalloc-lwjgl-report"));
    }

    private static void write(final HostallocMemoryAllocator allocator, final Path file)
    {
        try
        {
            final Path parent = file.toAbsolutePath().getParent();
            if (null != parent)
            {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toJson(allocator), StandardCharsets.UTF_8);
            System.err.println("hostalloc: LWJGL allocations (" + allocator.spec().orElse("?") + "): " +
                summary(allocator) + "; report written to " + file);
        }
        catch (final IOException | RuntimeException ex)
        {
            System.err.println("hostalloc: cannot write the LWJGL allocation report to " + file + ": " + ex);
        }
    }

    private static void writeViolations(final JsonGenerator json, final HostallocMemoryAllocator allocator)
        throws IOException
    {
        if (!(allocator.violationHandler() instanceof final RecordingViolationHandler recorded))
        {
            json.writeNullField("violations");
            return;
        }
        json.writeObjectFieldStart("violations");
        json.writeNumberField("total", recorded.totalCount());
        json.writeObjectFieldStart("byKind");
        for (final Violation violation : Violation.values())
        {
            final long count = recorded.count(violation);
            if (count > 0)
            {
                json.writeNumberField(violation.name(), count);
            }
        }
        json.writeEndObject();
        json.writeArrayFieldStart("details");
        for (final ReportedViolation violation : recorded.violations())
        {
            json.writeString(violation.toString());
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeLeaks(final JsonGenerator json, final LeakReport leaks) throws IOException
    {
        json.writeStartObject();
        json.writeStringField("allocator", leaks.allocator());
        json.writeNumberField("liveBlocks", leaks.blocks().size());
        json.writeNumberField("liveBytes", leaks.totalBytes());
        json.writeArrayFieldStart("blocks");
        for (final LeakReport.Block block : leaks.blocks())
        {
            json.writeStartObject();
            json.writeStringField("account", block.account());
            json.writeStringField("scope", block.scope().name());
            json.writeStringField("address", "0x" + Long.toHexString(block.address()));
            json.writeNumberField("size", block.size());
            json.writeNumberField("alignment", block.alignment());
            json.writeStringField("site", block.site().orElse(null));
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("untracked");
        for (final LeakReport.Summary summary : leaks.untracked())
        {
            json.writeStartObject();
            json.writeStringField("account", summary.account());
            json.writeStringField("scope", summary.scope().name());
            json.writeNumberField("blocks", summary.blocks());
            json.writeNumberField("bytes", summary.bytes());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
