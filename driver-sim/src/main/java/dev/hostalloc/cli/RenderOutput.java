package dev.hostalloc.cli;

import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.render.RenderReport;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The end-of-run text of {@code render}/{@code run}, and the JSON and HTML reports. */
final class RenderOutput
{
    static final String REPORT_FORMAT = "hostalloc-render-report";
    static final int REPORT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RenderOutput()
    {
    }

    /**
     * Prints the per-scope table, violations, leaks, validation messages and where files went.
     *
     * @param out    where to print.
     * @param report the run.
     * @param reportPath the report written, or {@code null}.
     */
    static void print(final PrintWriter out, final RenderReport report, final Path reportPath)
    {
        out.println("device: " + (report.device().isEmpty() ? "-" : report.device()) + ", frames rendered: " +
            report.framesRendered() + "/" + report.framesRequested() + ", " + report.elapsedMillis() + " ms");
        out.println();
        out.println("host allocations per scope (driver = through pAllocator; app = the renderer's own; lwjgl = LWJGL's " +
            "allocator; per frame = frames " + (report.framesRendered() - report.measuredFrames()) + ".." +
            report.framesRendered() + "):");
        out.print(report.scopeTable());
        out.println("LWJGL's own allocations: " + report.lwjglRouting());
        if (report.lwjgl().liveBlocks() > 0)
        {
            out.println("  " + report.lwjgl().liveBlocks() + " lwjgl blocks (" + report.lwjgl().currentBytes() +
                " B) stay live: LWJGL keeps two small blocks per callback type it has used for the JVM's lifetime; " +
                "they are LWJGL's, not counted as leaks");
        }
        out.println();
        out.println(String.format(Locale.ROOT, "render thread Java heap per frame: %.1f bytes (frames %d..%d, a short " +
            "run: until C2 has compiled them, LWJGL's FFM downcalls and the stack's first calls allocate; the " +
            "renderer's zero-heap test measures 0 after warm-up)",
            report.heapBytesPerFrame(), report.framesRendered() - report.measuredFrames(), report.framesRendered()));
        out.println("violations: " + report.violations());
        if (!report.violationReport().isEmpty())
        {
            out.println(report.violationReport());
        }
        out.println("leaks: " + report.liveBlocksAtExit() + " blocks live after teardown");
        if (!report.leakReport().isEmpty())
        {
            out.print(report.leakReport());
        }
        if (report.validation())
        {
            out.println("validation messages (warning/error): " + report.validationMessages().size());
            for (final String message : report.validationMessages())
            {
                out.println("  " + message);
            }
        }
        if (!report.failure().isEmpty())
        {
            out.println("FAILED: " + report.failure());
        }
        out.println("png: " + (null == report.png() ? "-" : report.png().toAbsolutePath()));
        out.println("report: " + (null == reportPath ? "-" : reportPath.toAbsolutePath()));
    }

    /**
     * Writes the report as JSON, or as HTML when the name ends in {@code .html}/{@code .htm}.
     *
     * @param path   the file.
     * @param report the run.
     * @param backend which backend ran.
     * @throws IOException when writing fails.
     */
    static void write(final Path path, final RenderReport report, final String backend) throws IOException
    {
        final String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        final Path parent = path.toAbsolutePath().getParent();
        if (null != parent)
        {
            Files.createDirectories(parent);
        }
        final String text = name.endsWith(".html") || name.endsWith(".htm") ? html(report, backend) : json(report, backend);
        Files.writeString(path, text, StandardCharsets.UTF_8);
    }

    static String json(final RenderReport report, final String backend)
    {
        final ObjectNode root = JSON.createObjectNode();
        root.put("format", REPORT_FORMAT);
        root.put("version", REPORT_VERSION);
        root.put("backend", backend);
        root.put("device", report.device());
        root.put("callbacks", report.callbacks());
        root.put("framesRequested", report.framesRequested());
        root.put("framesRendered", report.framesRendered());
        root.put("validation", report.validation());
        final ArrayNode messages = root.putArray("validationMessages");
        report.validationMessages().forEach(messages::add);
        root.put("failure", report.failure());
        root.put("passed", report.passed());
        root.put("elapsedMillis", report.elapsedMillis());
        final ObjectNode window = root.putObject("perFrameWindow");
        window.put("frames", report.measuredFrames());
        scopes(window.putObject("driverAllocations"), report.driverPerWindow());
        scopes(window.putObject("appAllocations"), report.appPerWindow());
        scopes(window.putObject("lwjglAllocations"), report.lwjglPerWindow());
        window.put("heapBytesPerFrame", Math.round(report.heapBytesPerFrame() * 10) / 10.0);
        root.put("violations", report.violations());
        root.put("liveBlocksAtExit", report.liveBlocksAtExit());
        root.put("lwjglRouting", report.lwjglRouting());
        root.put("png", null == report.png() ? "" : report.png().toAbsolutePath().toString());
        try
        {
            root.set("accounting", JSON.readTree(report.snapshot().toJson()));
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        }
        catch (final JsonProcessingException ex)
        {
            throw new UncheckedIOException("the accounting snapshot is not JSON", ex);
        }
    }

    static String html(final RenderReport report, final String backend)
    {
        final StringBuilder sb = new StringBuilder(8192);
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>hostalloc render report</title>\n")
            .append("<style>body{font-family:sans-serif;margin:2em}pre{background:#f4f4f4;padding:1em}")
            .append(".pass{color:#080}.fail{color:#b00}</style></head><body>\n")
            .append("<h1>hostalloc ").append(escapeHtml(backend)).append(" run: <span class=\"")
            .append(report.passed() ? "pass\">PASSED" : "fail\">FAILED").append("</span></h1>\n")
            .append("<p>device ").append(escapeHtml(report.device())).append(", callbacks <code>")
            .append(escapeHtml(report.callbacks())).append("</code>, ").append(report.framesRendered()).append('/')
            .append(report.framesRequested()).append(" frames, validation ").append(report.validation() ? "on" : "off")
            .append(", ").append(report.elapsedMillis()).append(" ms</p>\n")
            .append("<h2>Host allocations per scope</h2>\n<pre>").append(escapeHtml(report.scopeTable())).append("</pre>\n")
            .append("<h2>Accounting snapshot at exit</h2>\n<pre>").append(escapeHtml(report.snapshot().toTable()))
            .append("</pre>\n<p>violations: ").append(report.violations()).append(", blocks live after teardown: ")
            .append(report.liveBlocksAtExit()).append("</p>\n");
        if (!report.failure().isEmpty())
        {
            sb.append("<p class=\"fail\">").append(escapeHtml(report.failure())).append("</p>\n");
        }
        if (!report.validationMessages().isEmpty())
        {
            sb.append("<h2>Validation messages</h2>\n<pre>")
                .append(escapeHtml(String.join("\n", report.validationMessages()))).append("</pre>\n");
        }
        if (!report.leakReport().isEmpty())
        {
            sb.append("<h2>Leaks</h2>\n<pre>").append(escapeHtml(report.leakReport())).append("</pre>\n");
        }
        sb.append("<h2>JSON</h2>\n<pre>").append(escapeHtml(json(report, backend))).append("</pre>\n</body></html>\n");
        return sb.toString();
    }

    private static void scopes(final ObjectNode into, final long[] perScope)
    {
        for (final SystemAllocationScope scope : SystemAllocationScope.values())
        {
            into.put(scope.name(), perScope[scope.ordinal()]);
        }
    }

    private static String escapeHtml(final String s)
    {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
