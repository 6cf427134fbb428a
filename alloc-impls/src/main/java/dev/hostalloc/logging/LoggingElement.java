package dev.hostalloc.logging;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.ElementArgs;
import dev.hostalloc.stack.ElementFactory;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The spec element {@code logging:<file>[:ring=<size>][:clock=cached|precise]}: a {@link LoggingAllocator}
 * writing {@code <file>} (relative to the working directory; it cannot contain {@code ','} or
 * {@code ':'}, the spec's separators) through a ring of {@code <size>} bytes, stamping records with the
 * writer's cached clock or with {@code System.nanoTime()} per record.
 */
public final class LoggingElement
{
    /** The element's name in specs. */
    public static final String NAME = "logging";

    /** The element's usage line. */
    public static final String USAGE =
        "logging:<file>[:ring=<size>][:clock=cached|precise]  writes every call to the binary trace <file> " +
        "(hostalloc trace print/replay/report read it) through a never-blocking ring of <size> bytes " +
        "(a power of two, default 1m); clock=precise stamps each record with System.nanoTime() instead " +
        "of the writer's cached clock (about 1 ms resolution)";

    /** The named argument for the ring capacity. */
    public static final String RING = "ring";

    /** The named argument for the clock: {@value #CLOCK_CACHED} (default) or {@value #CLOCK_PRECISE}. */
    public static final String CLOCK = "clock";

    /** {@code clock=cached}: the writer thread's cached reading, about 1 ms resolution, cheapest. */
    public static final String CLOCK_CACHED = "cached";

    /** {@code clock=precise}: {@code System.nanoTime()} per record. */
    public static final String CLOCK_PRECISE = "precise";

    private LoggingElement()
    {
    }

    /**
     * The factory {@code Allocators} registers under {@link #NAME}.
     *
     * @return a decorator factory checking the arguments with {@link #validate} and building with
     *         {@link #create}.
     */
    public static ElementFactory factory()
    {
        return ElementFactory.of(ElementFactory.Kind.DECORATOR, USAGE, LoggingElement::validate, LoggingElement::create);
    }

    /**
     * Checks the arguments: one positional file name, an optional {@code ring=<size>}.
     *
     * @param args the element's arguments.
     * @throws AllocatorSpecException naming what is wrong.
     */
    public static void validate(final ElementArgs args)
    {
        args.requireNoneBeyond(1, RING, CLOCK);
        file(args);
        ringCapacity(args);
        precise(args);
    }

    /**
     * Opens the logger.
     *
     * @param args     valid arguments.
     * @param delegate the allocator to log.
     * @param handler  unused: logging reports no violations of its own.
     * @return the running logger.
     * @throws AllocatorSpecException when the file cannot be opened (the message names it).
     */
    public static AllocationCallbacks create(
        final ElementArgs args, final AllocationCallbacks delegate, final ViolationHandler handler)
    {
        try
        {
            return LoggingAllocator.builder(file(args), delegate).ringCapacity(ringCapacity(args))
                .preciseClock(precise(args)).open();
        }
        catch (final java.io.UncheckedIOException ex)
        {
            throw new AllocatorSpecException("'logging' cannot write its trace: " + ex.getCause(), ex);
        }
    }

    private static Path file(final ElementArgs args)
    {
        if (args.positionalCount() != 1)
        {
            throw new AllocatorSpecException("'" + NAME + "' needs the trace file, e.g. logging:run.trace");
        }
        final String name = args.positional(0);
        try
        {
            return Path.of(name);
        }
        catch (final InvalidPathException ex)
        {
            throw new AllocatorSpecException("'logging' got an invalid file name '" + name + "': " + ex.getReason(), ex);
        }
    }

    private static boolean precise(final ElementArgs args)
    {
        final String clock = args.named(CLOCK, CLOCK_CACHED);
        if (!CLOCK_CACHED.equals(clock) && !CLOCK_PRECISE.equals(clock))
        {
            throw new AllocatorSpecException("clock=" + clock + " for 'logging' must be " + CLOCK_CACHED +
                " (the writer's cached clock, about 1 ms resolution, cheapest) or " + CLOCK_PRECISE +
                " (System.nanoTime() per record)");
        }
        return CLOCK_PRECISE.equals(clock);
    }

    private static long ringCapacity(final ElementArgs args)
    {
        final long bytes = args.namedSizeArg(RING, LoggingAllocator.DEFAULT_RING_CAPACITY);
        if (bytes < LoggingAllocator.MIN_RING_CAPACITY || bytes > LoggingAllocator.MAX_RING_CAPACITY ||
            Long.bitCount(bytes) != 1)
        {
            throw new AllocatorSpecException("ring=" + bytes + " for 'logging' must be a power of two from " +
                LoggingAllocator.MIN_RING_CAPACITY + " to " + LoggingAllocator.MAX_RING_CAPACITY + " bytes, e.g. 64k, 1m, 16m");
        }
        return bytes;
    }
}
