package dev.hostalloc.tlsf;

import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.ElementArgs;
import dev.hostalloc.stack.ElementFactory;

import java.util.Locale;

/**
 * The spec element {@code tlsf:<size>[:threads=shared|owned][:spins=<n>]}: a base allocator that
 * is a {@link TlsfAllocator} over an anonymous mapping of {@code <size>} bytes (k/m/g suffixes),
 * e.g. {@code tlsf:64m} or {@code accounting,tlsf:16m:threads=owned}.
 *
 * <p>{@code threads} defaults to {@code shared} (any thread; a registered real-time thread fails
 * fast rather than wait), {@code spins} to {@link TlsfAllocator#DEFAULT_SPINS}.
 */
public final class TlsfElement
{
    /** The element's name in specs. */
    public static final String NAME = "tlsf";

    /** The named argument choosing the {@link ThreadingMode}. */
    public static final String THREADS = "threads";

    /** The named argument giving the spin bound. */
    public static final String SPINS = "spins";

    private static final String USAGE = NAME + ":<size>[:" + THREADS + "=shared|owned][:" + SPINS + "=<n>]" +
        "  a real-time TLSF pool over a fixed <size>-byte mapping (k/m/g suffixes), O(1) allocate/free, " +
        "every power-of-two alignment up to 1 GiB; shared (default) takes a spin lock that never parks";

    private TlsfElement()
    {
    }

    /**
     * The factory to register under {@link #NAME}.
     *
     * @return a factory making a mapped {@link TlsfAllocator}.
     */
    public static ElementFactory factory()
    {
        return ElementFactory.of(ElementFactory.Kind.BASE, USAGE, TlsfElement::validate,
            (args, delegate, handler) -> TlsfAllocator.mapped(capacity(args), mode(args), spins(args), handler));
    }

    private static void validate(final ElementArgs args)
    {
        args.requireNoneBeyond(1, THREADS, SPINS);
        capacity(args);
        mode(args);
        spins(args);
    }

    private static long capacity(final ElementArgs args)
    {
        final long size = args.sizeArg(0);
        if (size < TlsfAllocator.MIN_CAPACITY || size > TlsfAllocator.MAX_CAPACITY)
        {
            throw new AllocatorSpecException("'" + NAME + "' size " + args.positional(0) + " is out of range: from " +
                TlsfAllocator.MIN_CAPACITY + " bytes to " + TlsfAllocator.MAX_CAPACITY + " bytes (64 TiB)");
        }
        return size;
    }

    private static ThreadingMode mode(final ElementArgs args)
    {
        final String value = args.named(THREADS, "shared");
        return switch (value.toLowerCase(Locale.ROOT))
        {
            case "shared" -> ThreadingMode.SHARED;
            case "owned" -> ThreadingMode.OWNED;
            default -> throw new AllocatorSpecException(
                "'" + NAME + "' argument " + THREADS + "=" + value + " is invalid; valid: shared, owned");
        };
    }

    private static int spins(final ElementArgs args)
    {
        final String value = args.named(SPINS, null);
        if (null == value)
        {
            return TlsfAllocator.DEFAULT_SPINS;
        }
        try
        {
            final int spins = Integer.parseInt(value);
            if (spins >= 0)
            {
                return spins;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw new AllocatorSpecException("'" + NAME + "' argument " + SPINS + "=" + value +
            " is invalid; expected a whole number from 0 to " + Integer.MAX_VALUE);
    }
}
