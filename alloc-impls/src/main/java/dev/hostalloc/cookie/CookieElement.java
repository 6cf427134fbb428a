package dev.hostalloc.cookie;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.ElementArgs;
import dev.hostalloc.stack.ElementFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * The {@code cookies} spec element: {@code cookies[:strict|:header][:poison][:sites][:canary=<bytes>]
 * [:registry=<blocks>]}, a {@link CookieAllocator} over the rest of the stack.
 *
 * <ul>
 *   <li>{@code strict}: a registry of live blocks instead of reading headers
 *       ({@link CookieOptions#strict()}); {@code header}: header mode even where strict is the default;</li>
 *   <li>{@code poison}: fill freed blocks with {@link CookieAllocator#POISON_BYTE};</li>
 *   <li>{@code sites}: record and report allocating Java frames;</li>
 *   <li>{@code canary=<bytes>}: 0 or a multiple of 8 up to 64 (default 8);</li>
 *   <li>{@code registry=<blocks>}: strict mode's capacity (default 256k blocks; k/m suffixes).</li>
 * </ul>
 * Stacked directly on a {@link PageGuarded} allocator ({@code cookies,guard}) the defaults become strict
 * mode, because the delegate makes freed memory inaccessible and reading a freed block's header would
 * fault, and, when the delegate guards the blocks' ends, {@code canary=0}, so every block still ends
 * flush against its guard page.
 */
public final class CookieElement
{
    /** The element's name in specs. */
    public static final String NAME = "cookies";

    /** Flag: strict mode. */
    public static final String STRICT = "strict";
    /** Flag: header mode. */
    public static final String HEADER = "header";
    /** Flag: poison freed blocks. */
    public static final String POISON = "poison";
    /** Flag: capture allocation sites. */
    public static final String SITES = "sites";
    /** Named argument: canary bytes. */
    public static final String CANARY = "canary";
    /** Named argument: strict mode's registry capacity. */
    public static final String REGISTRY = "registry";

    private static final Set<String> FLAGS = Set.of(STRICT, HEADER, POISON, SITES);
    private static final String USAGE = "cookies[:strict|:header][:poison][:sites][:canary=<bytes>][:registry=<blocks>]" +
        "  catches foreign, double and mixed frees (a cookie header before each block) and overflows (a canary " +
        "after it); strict: a registry of live blocks, no header read for unknown pointers (the default over " +
        "guard, with canary=0 so blocks end flush against the guard page)";

    private CookieElement()
    {
    }

    /**
     * The factory {@code dev.hostalloc.stack.Allocators} registers as {@value #NAME}.
     *
     * @return a stateless factory.
     */
    public static ElementFactory factory()
    {
        return ElementFactory.of(ElementFactory.Kind.DECORATOR, USAGE, CookieElement::validate, CookieElement::create);
    }

    /**
     * The options a spec element's arguments ask for, over a given delegate.
     *
     * @param args     the element's arguments.
     * @param delegate the allocator it will wrap.
     * @return the options.
     * @throws AllocatorSpecException when the arguments are invalid.
     */
    public static CookieOptions options(final ElementArgs args, final AllocationCallbacks delegate)
    {
        validate(args);
        final boolean overGuard = delegate instanceof PageGuarded;
        final boolean strict = hasFlag(args, STRICT) || overGuard && !hasFlag(args, HEADER);
        final int defaultCanary = overGuard && ((PageGuarded)delegate).blockEndsAtGuardPage() ?
            0 : CookieOptions.DEFAULT_CANARY_LENGTH;
        final long canary = args.namedSizeArg(CANARY, defaultCanary);
        final long registry = args.namedSizeArg(REGISTRY, CookieOptions.DEFAULT_REGISTRY_CAPACITY);
        return new CookieOptions(strict, hasFlag(args, POISON), hasFlag(args, SITES), (int)canary, (int)registry);
    }

    private static void validate(final ElementArgs args)
    {
        args.requireNoneBeyond(FLAGS.size(), CANARY, REGISTRY);
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.positionalCount(); i++)
        {
            final String flag = args.positional(i);
            if (!FLAGS.contains(flag))
            {
                throw new AllocatorSpecException("unknown flag '" + flag + "' of '" + NAME +
                    "'; flags: strict, header, poison, sites");
            }
            if (!seen.add(flag))
            {
                throw new AllocatorSpecException("flag '" + flag + "' of '" + NAME + "' given twice");
            }
        }
        if (seen.contains(STRICT) && seen.contains(HEADER))
        {
            throw new AllocatorSpecException("'" + NAME + "' takes strict or header, not both");
        }
        final long canary = args.namedSizeArg(CANARY, CookieOptions.DEFAULT_CANARY_LENGTH);
        if (canary > CookieBlockDescriptor.MAX_CANARY_LENGTH || canary % Long.BYTES != 0)
        {
            throw new AllocatorSpecException("canary=" + canary + " of '" + NAME +
                "': 0 or a multiple of 8 up to " + CookieBlockDescriptor.MAX_CANARY_LENGTH + " bytes");
        }
        final long registry = args.namedSizeArg(REGISTRY, CookieOptions.DEFAULT_REGISTRY_CAPACITY);
        if (registry < 1 || registry > CookieOptions.MAX_REGISTRY_CAPACITY)
        {
            throw new AllocatorSpecException("registry=" + registry + " of '" + NAME + "': 1 to " +
                CookieOptions.MAX_REGISTRY_CAPACITY + " blocks");
        }
    }

    private static AllocationCallbacks create(
        final ElementArgs args, final AllocationCallbacks delegate, final ViolationHandler handler)
    {
        return new CookieAllocator(delegate, handler, options(args, delegate));
    }

    private static boolean hasFlag(final ElementArgs args, final String flag)
    {
        for (int i = 0; i < args.positionalCount(); i++)
        {
            if (flag.equals(args.positional(i)))
            {
                return true;
            }
        }
        return false;
    }
}
