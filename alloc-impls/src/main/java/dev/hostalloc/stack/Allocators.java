package dev.hostalloc.stack;

import dev.hostalloc.accounting.AccountingElement;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.cookie.CookieElement;
import dev.hostalloc.guard.GuardElement;
import dev.hostalloc.logging.LoggingElement;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.tlsf.TlsfElement;

import java.util.Objects;
import java.util.SortedSet;
import java.util.function.Function;

/**
 * Builds an allocator stack from one spec string, e.g. {@code cookies,accounting:limit=256m,system}
 * (syntax: {@link AllocatorSpec}). The application chooses it with
 * {@code -Dhostalloc.callbacks=...} or, failing that, the environment variable
 * {@code HOSTALLOC_CALLBACKS}; without either it is {@link #DEFAULT_SPEC}.
 *
 * <p>The last element is the base allocator; every earlier element is a decorator wrapping the
 * allocator made from the elements after it, so the first element is the one callers reach first.
 * The built-in elements are listed in one place, the static {@code registerBuiltIns} table;
 * integrators add their own with {@link #register}. Thread-safe.
 */
public final class Allocators
{
    /** The spec used when none is configured: plain libc. */
    public static final String DEFAULT_SPEC = "system";

    /** The system property read first: {@code -Dhostalloc.callbacks=cookies,system}. */
    public static final String CALLBACKS_PROPERTY = "hostalloc.callbacks";

    /** The environment variable read when the property is unset or blank. */
    public static final String CALLBACKS_ENV = "HOSTALLOC_CALLBACKS";

    /** Name of the libc base allocator element. */
    static final String SYSTEM = "system";

    private static final ElementRegistry REGISTRY = new ElementRegistry();

    static
    {
        registerBuiltIns(REGISTRY);
    }

    private Allocators()
    {
    }

    /**
     * THE list of built-in elements. Add each new built-in here, one line per element.
     *
     * @param registry where to register them.
     */
    static void registerBuiltIns(final ElementRegistry registry)
    {
        registry.register(SYSTEM, ElementFactory.of(
            ElementFactory.Kind.BASE,
            "system  the C library's malloc/realloc/free, every power-of-two alignment up to 1 GiB; no arguments",
            ElementArgs::requireNone,
            (args, delegate, handler) -> new SystemAllocator(handler)));
        registry.register(TlsfElement.NAME, TlsfElement.factory());
        registry.register(CookieElement.NAME, CookieElement.factory());
        registry.register(GuardElement.NAME, GuardElement.factory());
        registry.register(AccountingElement.NAME, AccountingElement.factory());
        registry.register(LoggingElement.NAME, LoggingElement.factory());
    }

    /**
     * Builds a stack whose elements share a new {@link dev.hostalloc.api.RecordingViolationHandler}.
     *
     * @param spec e.g. {@code "cookies,accounting,system"}.
     * @return the outermost allocator of the stack.
     * @throws AllocatorSpecException when the spec is empty or malformed, names an unknown element,
     *                                puts a base allocator anywhere but last or a decorator last, or
     *                                gives an element arguments it does not accept. The message
     *                                quotes the spec and lists what would be valid.
     * @throws NullPointerException   when {@code spec} is {@code null}.
     */
    public static AllocationCallbacks fromSpec(final String spec)
    {
        return fromSpec(spec, ViolationHandler.recordAndCount());
    }

    /**
     * Builds a stack whose elements report to {@code handler}.
     *
     * @param spec    e.g. {@code "cookies,accounting,system"}.
     * @param handler where every element reports violations.
     * @return the outermost allocator of the stack.
     * @throws AllocatorSpecException as {@link #fromSpec(String)}.
     * @throws NullPointerException   when {@code spec} or {@code handler} is {@code null}.
     */
    public static AllocationCallbacks fromSpec(final String spec, final ViolationHandler handler)
    {
        return REGISTRY.build(spec, handler);
    }

    /**
     * The configured spec: the system property {@value #CALLBACKS_PROPERTY} if set and not blank,
     * else the environment variable {@value #CALLBACKS_ENV} if set and not blank, else
     * {@link #DEFAULT_SPEC}.
     *
     * @return the spec text, trimmed; not checked.
     */
    public static String configuredSpec()
    {
        return configuredSpec(System::getProperty, System::getenv);
    }

    /**
     * Builds the configured stack: {@code fromSpec(configuredSpec())}.
     *
     * @return the outermost allocator of the stack.
     * @throws AllocatorSpecException as {@link #fromSpec(String)}, the message also naming where the
     *                                spec came from.
     */
    public static AllocationCallbacks configured()
    {
        return configured(System::getProperty, System::getenv);
    }

    /**
     * Registers an element for every later spec.
     *
     * @param name    the element's name in specs: a letter followed by letters, digits, {@code '-'},
     *                {@code '_'} or {@code '.'}.
     * @param factory makes the element's allocator.
     * @throws IllegalArgumentException when the name is invalid or already registered, or the
     *                                  factory has no kind or a blank usage line.
     * @throws NullPointerException     when either is {@code null}.
     */
    public static void register(final String name, final ElementFactory factory)
    {
        REGISTRY.register(name, factory);
    }

    /**
     * The registered element names.
     *
     * @return a sorted, unmodifiable snapshot.
     */
    public static SortedSet<String> elementNames()
    {
        return REGISTRY.names();
    }

    /**
     * Every registered element's usage line, for help texts.
     *
     * @return one indented line per element, sorted by name.
     */
    public static String usage()
    {
        return REGISTRY.usage();
    }

    static String configuredSpec(
        final Function<String, String> properties, final Function<String, String> environment)
    {
        return configuredSource(properties, environment).spec();
    }

    static AllocationCallbacks configured(
        final Function<String, String> properties, final Function<String, String> environment)
    {
        final ConfiguredSpec configured = configuredSource(properties, environment);
        try
        {
            return fromSpec(configured.spec());
        }
        catch (final AllocatorSpecException ex)
        {
            throw new AllocatorSpecException(ex.getMessage() + System.lineSeparator() +
                "(the spec came from " + configured.source() + ")", ex);
        }
    }

    private static ConfiguredSpec configuredSource(
        final Function<String, String> properties, final Function<String, String> environment)
    {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(environment, "environment");
        final String property = properties.apply(CALLBACKS_PROPERTY);
        if (null != property && !property.isBlank())
        {
            return new ConfiguredSpec(property.trim(), "system property " + CALLBACKS_PROPERTY);
        }
        final String env = environment.apply(CALLBACKS_ENV);
        if (null != env && !env.isBlank())
        {
            return new ConfiguredSpec(env.trim(), "environment variable " + CALLBACKS_ENV);
        }
        return new ConfiguredSpec(DEFAULT_SPEC, "Allocators.DEFAULT_SPEC");
    }

    private record ConfiguredSpec(String spec, String source)
    {
    }
}
