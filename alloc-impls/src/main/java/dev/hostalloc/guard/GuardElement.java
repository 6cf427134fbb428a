package dev.hostalloc.guard;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.ElementArgs;
import dev.hostalloc.stack.ElementFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * The {@code guard} spec element: {@code guard[:below][:sites][:quarantine=<size>]}, a
 * {@link GuardPageAllocator} as the stack's base.
 *
 * <ul>
 *   <li>{@code below}: {@link GuardMode#UNDERFLOW}, the guard page before each block;</li>
 *   <li>{@code sites}: record and report allocating Java frames;</li>
 *   <li>{@code quarantine=<size>}: bytes of freed mappings kept {@code PROT_NONE}, their memory held until
 *       the oldest are unmapped (default 64m; 0 unmaps at once; k/m/g suffixes).</li>
 * </ul>
 */
public final class GuardElement
{
    /** The element's name in specs. */
    public static final String NAME = "guard";

    /** Flag: underflow mode. */
    public static final String BELOW = "below";
    /** Flag: capture allocation sites. */
    public static final String SITES = "sites";
    /** Named argument: the quarantine budget. */
    public static final String QUARANTINE = "quarantine";

    private static final Set<String> FLAGS = Set.of(BELOW, SITES);
    private static final String USAGE = "guard[:below][:sites][:quarantine=<size>]  every block in its own mapping, " +
        "its last byte against a PROT_NONE page (below: its first byte after one); freed blocks stay PROT_NONE " +
        "in a FIFO quarantine of <size> bytes (default 64m); Linux only";

    private GuardElement()
    {
    }

    /**
     * The factory {@code dev.hostalloc.stack.Allocators} registers as {@value #NAME}.
     *
     * @return a stateless factory.
     */
    public static ElementFactory factory()
    {
        return ElementFactory.of(ElementFactory.Kind.BASE, USAGE, GuardElement::validate, GuardElement::create);
    }

    /**
     * The options a spec element's arguments ask for.
     *
     * @param args the element's arguments.
     * @return the options.
     * @throws AllocatorSpecException when the arguments are invalid.
     */
    public static GuardOptions options(final ElementArgs args)
    {
        validate(args);
        boolean below = false;
        boolean sites = false;
        for (int i = 0; i < args.positionalCount(); i++)
        {
            below |= BELOW.equals(args.positional(i));
            sites |= SITES.equals(args.positional(i));
        }
        return new GuardOptions(below ? GuardMode.UNDERFLOW : GuardMode.OVERFLOW,
            args.namedSizeArg(QUARANTINE, GuardOptions.DEFAULT_QUARANTINE_BYTES), sites);
    }

    private static void validate(final ElementArgs args)
    {
        args.requireNoneBeyond(FLAGS.size(), QUARANTINE);
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.positionalCount(); i++)
        {
            final String flag = args.positional(i);
            if (!FLAGS.contains(flag))
            {
                throw new AllocatorSpecException("unknown flag '" + flag + "' of '" + NAME + "'; flags: below, sites");
            }
            if (!seen.add(flag))
            {
                throw new AllocatorSpecException("flag '" + flag + "' of '" + NAME + "' given twice");
            }
        }
        args.namedSizeArg(QUARANTINE, GuardOptions.DEFAULT_QUARANTINE_BYTES);
        if (!Pages.supported())
        {
            try
            {
                Pages.requireSupported();
            }
            catch (final UnsupportedOperationException ex)
            {
                throw new AllocatorSpecException("'" + NAME + "' is unavailable: " + ex.getMessage(), ex);
            }
        }
    }

    private static AllocationCallbacks create(
        final ElementArgs args, final AllocationCallbacks delegate, final ViolationHandler handler)
    {
        return new GuardPageAllocator(handler, options(args));
    }
}
