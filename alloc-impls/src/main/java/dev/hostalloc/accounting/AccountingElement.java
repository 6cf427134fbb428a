package dev.hostalloc.accounting;

import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.ElementArgs;
import dev.hostalloc.stack.ElementFactory;

/**
 * The {@code accounting} element of allocator spec strings:
 * {@code accounting[:limit=<size>][:name=<name>][:sites=off|all|<n>][:blocks=on|off]}, e.g.
 * {@code accounting:name=vulkan:limit=256m,system}. It builds an {@link AccountingAllocator} over the
 * rest of the stack, reporting to the stack's violation handler; with {@code -Dhostalloc.counters=/path}
 * it also exports to that file. Code reaches the allocator with
 * {@link AccountingAllocator#named(String)} (or by casting the stack when accounting is outermost).
 */
public final class AccountingElement
{
    /** The element's name in spec strings. */
    public static final String NAME = "accounting";

    /** The root account's budget: a size with an optional k, m or g suffix. */
    public static final String LIMIT = "limit";

    /** The root account's name. */
    public static final String ROOT_NAME = "name";

    /** Allocation-site capture: {@code off}, {@code all} or one allocation in {@code n}. */
    public static final String SITES = "sites";

    /** Block tracking: {@code on} (default) or {@code off}, the lean mode. */
    public static final String BLOCKS = "blocks";

    private static final String USAGE = NAME + "[:" + LIMIT + "=<size>][:" + ROOT_NAME + "=<name>][:" + SITES +
        "=off|all|<n>][:" + BLOCKS + "=on|off]  budgets and statistics per account (root named <name>, default " +
        AccountingAllocator.DEFAULT_NAME + "); requests past <size> (k/m/g suffixes) get NULL; " +
        "blocks=off tracks no blocks one by one (leaner; leak reports count per account and scope); " +
        "-D" + AccountingCounters.PROPERTY + "=<file> exports live counters for 'hostalloc stat'";

    private AccountingElement()
    {
    }

    /**
     * The element's factory, for {@code Allocators.registerBuiltIns}.
     *
     * @return a decorator factory.
     */
    public static ElementFactory factory()
    {
        return ElementFactory.of(ElementFactory.Kind.DECORATOR, USAGE, AccountingElement::validate,
            (args, delegate, handler) -> builder(args, delegate).violationHandler(handler).build());
    }

    private static void validate(final ElementArgs args)
    {
        args.requireNoneBeyond(0, LIMIT, ROOT_NAME, SITES, BLOCKS);
        args.namedSizeArg(LIMIT, Account.UNLIMITED);
        try
        {
            if (args.hasNamed(ROOT_NAME))
            {
                Account.checkName(args.named(ROOT_NAME), args.named(ROOT_NAME));
            }
            if (args.hasNamed(SITES))
            {
                SiteCapture.parse(args.named(SITES));
            }
            final boolean tracked = blocks(args);
            if (!tracked && SiteCapture.parse(args.named(SITES, "off")).enabled())
            {
                throw new IllegalArgumentException("sites=" + args.named(SITES) + " needs blocks=on");
            }
        }
        catch (final IllegalArgumentException ex)
        {
            if (ex instanceof AllocatorSpecException)
            {
                throw ex;
            }
            throw new AllocatorSpecException("'" + NAME + "': " + ex.getMessage(), ex);
        }
    }

    private static AccountingAllocator.Builder builder(final ElementArgs args, final dev.hostalloc.api.AllocationCallbacks delegate)
    {
        return AccountingAllocator.builder(delegate)
            .name(args.named(ROOT_NAME, AccountingAllocator.DEFAULT_NAME))
            .limit(args.namedSizeArg(LIMIT, Account.UNLIMITED))
            .siteCapture(SiteCapture.parse(args.named(SITES, "off")))
            .trackBlocks(blocks(args));
    }

    private static boolean blocks(final ElementArgs args)
    {
        final String value = args.named(BLOCKS, "on");
        return switch (value.toLowerCase(java.util.Locale.ROOT))
        {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("blocks=" + value + " is invalid: expected on or off");
        };
    }
}
