package dev.hostalloc.bench.suite;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.stack.Allocators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One hostalloc stack built for a benchmark trial from a spec as the suite names it: a bare
 * {@code logging} element gets a fresh temporary trace file ({@code logging:<tmp>}), deleted on
 * {@link #close()}; every element reports to one {@link RecordingViolationHandler}, and a trial that saw
 * a violation fails on close (a benchmark of a misbehaving stack measures nothing).
 */
public final class BenchStack implements AutoCloseable
{
    /** The suite's name for the logging element without arguments (its file is chosen here). */
    public static final String LOGGING = "logging";

    private static final Pattern BARE_LOGGING = Pattern.compile("(^|,)" + LOGGING + "(?=,|$)");
    private static final int VIOLATIONS_KEPT = 4;

    private final AllocationCallbacks callbacks;
    private final RecordingViolationHandler handler;
    private final Path trace;

    private BenchStack(final AllocationCallbacks callbacks, final RecordingViolationHandler handler, final Path trace)
    {
        this.callbacks = callbacks;
        this.handler = handler;
        this.trace = trace;
    }

    /**
     * Builds the stack.
     *
     * @param spec the suite's spec, e.g. {@code cookies,accounting,logging,system}.
     * @return the stack; close it at the end of the trial.
     * @throws UncheckedIOException when the temporary trace file cannot be made.
     * @throws dev.hostalloc.stack.AllocatorSpecException when the spec is invalid.
     */
    public static BenchStack open(final String spec)
    {
        Path trace = null;
        String resolved = spec;
        final Matcher logging = BARE_LOGGING.matcher(spec);
        if (logging.find())
        {
            try
            {
                trace = Files.createTempFile("hostalloc-bench", ".trace");
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            resolved = logging.replaceFirst("$1" + Matcher.quoteReplacement(LOGGING + ":" + trace));
        }
        final RecordingViolationHandler handler = new RecordingViolationHandler(VIOLATIONS_KEPT);
        return new BenchStack(Allocators.fromSpec(resolved, handler), handler, trace);
    }

    /**
     * The stack's outermost allocator.
     *
     * @return the callbacks to measure.
     */
    public AllocationCallbacks callbacks()
    {
        return callbacks;
    }

    /**
     * Closes the stack (when it is closeable: logging flushes and stops its writer), deletes the trace.
     *
     * @throws IllegalStateException when the handler recorded a violation during the trial.
     * @throws Exception             when closing the stack fails.
     */
    @Override
    public void close() throws Exception
    {
        try
        {
            if (callbacks instanceof AutoCloseable closeable)
            {
                closeable.close();
            }
        }
        finally
        {
            if (null != trace)
            {
                Files.deleteIfExists(trace);
            }
        }
        if (handler.hasViolations())
        {
            throw new IllegalStateException(handler.report());
        }
    }
}
