package dev.hostalloc.stack;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.system.SystemAllocator;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllocatorsTest
{
    private static final Function<String, String> NOTHING_SET = key -> null;

    /** A decorator that only remembers what it wraps, for checking stack order and arguments. */
    record Wrapper(String label, AllocationCallbacks delegate, ViolationHandler handler) implements AllocationCallbacks
    {
        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            return delegate.allocate(size, alignment, scope);
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            return delegate.reallocate(original, size, alignment, scope);
        }

        @Override
        public void free(final long memory)
        {
            delegate.free(memory);
        }
    }

    /** A base allocator standing in for a pool of {@code size} bytes. */
    record Pool(long size) implements AllocationCallbacks
    {
        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            return 0;
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            return 0;
        }

        @Override
        public void free(final long memory)
        {
        }
    }

    private final AtomicInteger created = new AtomicInteger();

    /** The built-ins plus test elements: decorators 'wrap' and 'tag:<label>', base 'pool:<size>'. */
    private ElementRegistry testRegistry()
    {
        final ElementRegistry registry = new ElementRegistry();
        Allocators.registerBuiltIns(registry);
        registry.register("wrap", ElementFactory.of(
            ElementFactory.Kind.DECORATOR, "wrap  test decorator", ElementArgs::requireNone,
            (args, delegate, handler) -> count(new Wrapper("wrap", delegate, handler))));
        registry.register("tag", ElementFactory.of(
            ElementFactory.Kind.DECORATOR, "tag:<label>  test decorator with a label",
            args -> args.requireNoneBeyond(1), (args, delegate, handler) ->
                count(new Wrapper(args.positional(0, "tag"), delegate, handler))));
        registry.register("pool", ElementFactory.of(
            ElementFactory.Kind.BASE, "pool:<size>  a test pool of <size> bytes (k/m/g suffixes)",
            args ->
            {
                args.requireNoneBeyond(1);
                args.sizeArg(0);
            },
            (args, delegate, handler) -> count(new Pool(args.sizeArg(0)))));
        return registry;
    }

    private AllocationCallbacks count(final AllocationCallbacks allocator)
    {
        created.incrementAndGet();
        return allocator;
    }

    @Test
    void defaultsAndBuiltIns()
    {
        assertEquals("system", Allocators.DEFAULT_SPEC);
        assertEquals("hostalloc.callbacks", Allocators.CALLBACKS_PROPERTY);
        assertEquals("HOSTALLOC_CALLBACKS", Allocators.CALLBACKS_ENV);
        assertTrue(Allocators.elementNames().contains("system"));
        assertThrows(UnsupportedOperationException.class, () -> Allocators.elementNames().add("x"));
        assertTrue(Allocators.usage().contains("system  the C library's malloc"), Allocators.usage());
    }

    @Test
    void systemSpecBuildsASystemAllocatorWithItsOwnRecordingHandler()
    {
        final AllocationCallbacks callbacks = Allocators.fromSpec("system");
        final SystemAllocator system = assertInstanceOf(SystemAllocator.class, callbacks);
        final RecordingViolationHandler handler = assertInstanceOf(RecordingViolationHandler.class, system.violationHandler());

        final long p = callbacks.allocate(100, 256, SystemAllocationScope.OBJECT);
        assertNotEquals(0, p);
        callbacks.free(p);
        assertEquals(0, callbacks.allocate(8, 3, SystemAllocationScope.OBJECT));
        assertEquals(1, handler.count(Violation.INVALID_ALIGNMENT));

        final SystemAllocator other = (SystemAllocator)Allocators.fromSpec(" system ");
        assertNotEquals(handler, other.violationHandler(), "each stack gets a new handler");
    }

    @Test
    void givenHandlerIsUsed()
    {
        final ViolationHandler handler = ViolationHandler.throwing();
        assertSame(handler, ((SystemAllocator)Allocators.fromSpec("system", handler)).violationHandler());
        assertThrows(NullPointerException.class, () -> Allocators.fromSpec("system", null));
        assertThrows(NullPointerException.class, () -> Allocators.fromSpec(null));
    }

    @Test
    void decoratorsWrapWhatFollowsOutermostFirstSharingOneHandler()
    {
        final RecordingViolationHandler handler = ViolationHandler.recordAndCount();
        final AllocationCallbacks stack = testRegistry().build("tag:outer,wrap,tag:inner,pool:64m", handler);

        final Wrapper outer = assertInstanceOf(Wrapper.class, stack);
        assertEquals("outer", outer.label());
        final Wrapper wrap = assertInstanceOf(Wrapper.class, outer.delegate());
        assertEquals("wrap", wrap.label());
        final Wrapper inner = assertInstanceOf(Wrapper.class, wrap.delegate());
        assertEquals("inner", inner.label());
        assertEquals(new Pool(64L << 20), inner.delegate());
        for (final Wrapper w : List.of(outer, wrap, inner))
        {
            assertSame(handler, w.handler());
        }

        final Wrapper onSystem = assertInstanceOf(Wrapper.class, testRegistry().build("wrap,system", handler));
        assertInstanceOf(SystemAllocator.class, onSystem.delegate());
        assertSame(handler, ((SystemAllocator)onSystem.delegate()).violationHandler());
    }

    @Test
    void unknownElementListsTheValidOnesAndTheirUsage()
    {
        final AllocatorSpecException e =
            assertThrows(AllocatorSpecException.class, () -> Allocators.fromSpec("cokies,system"));
        final String valid = String.join(", ", Allocators.elementNames());
        assertTrue(e.getMessage().startsWith("unknown allocator element 'cokies' in 'cokies,system'; "), e.getMessage());
        assertTrue(e.getMessage().contains("valid elements: " + valid + System.lineSeparator()), e.getMessage());
        assertTrue(e.getMessage().contains("  system  the C library's malloc"), e.getMessage());

        final AllocatorSpecException local =
            assertThrows(AllocatorSpecException.class, () -> testRegistry().build("cokies,system", ViolationHandler.recordAndCount()));
        assertTrue(local.getMessage().startsWith("unknown allocator element 'cokies' in 'cokies,system'; " +
            "did you mean 'cookies'? valid elements: " + String.join(", ", testRegistry().names()) +
            System.lineSeparator()),
            local.getMessage());
        assertTrue(local.getMessage().contains("  pool:<size>  a test pool"), local.getMessage());
    }

    @Test
    void unknownElementWithoutACloseNameSuggestsNothing()
    {
        final AllocatorSpecException e =
            assertThrows(AllocatorSpecException.class, () -> Allocators.fromSpec("jemalloc"));
        assertTrue(e.getMessage().startsWith("unknown allocator element 'jemalloc' in 'jemalloc'; valid elements: "),
            e.getMessage());
        final AllocatorSpecException typo = assertThrows(AllocatorSpecException.class, () -> Allocators.fromSpec("sytem"));
        assertTrue(typo.getMessage().contains("did you mean 'system'?"), typo.getMessage());
    }

    @Test
    void baseAllocatorMustBeLast()
    {
        final AllocatorSpecException e = assertThrows(AllocatorSpecException.class,
            () -> testRegistry().build("system,wrap", ViolationHandler.recordAndCount()));
        assertEquals("'system' is a base allocator and must be last in 'system,wrap'", e.getMessage());

        final AllocatorSpecException two = assertThrows(AllocatorSpecException.class,
            () -> testRegistry().build("pool:1m,system", ViolationHandler.recordAndCount()));
        assertEquals("'pool' is a base allocator and must be last in 'pool:1m,system'", two.getMessage());
    }

    @Test
    void lastElementMustBeABaseAllocator()
    {
        final AllocatorSpecException e = assertThrows(AllocatorSpecException.class,
            () -> testRegistry().build("wrap", ViolationHandler.recordAndCount()));
        assertEquals("the last element of 'wrap' must be a base allocator (one of: guard, pool, system, tlsf)", e.getMessage());

        final AllocatorSpecException two = assertThrows(AllocatorSpecException.class,
            () -> testRegistry().build("tag:a,wrap", ViolationHandler.recordAndCount()));
        assertEquals("the last element of 'tag:a,wrap' must be a base allocator (one of: guard, pool, system, tlsf)",
            two.getMessage());
    }

    @Test
    void syntaxErrorsComeFromTheParser()
    {
        AllocatorSpecException e = assertThrows(AllocatorSpecException.class, () -> Allocators.fromSpec(""));
        assertTrue(e.getMessage().startsWith("empty allocator spec"), e.getMessage());
        e = assertThrows(AllocatorSpecException.class, () -> Allocators.fromSpec("system,,"));
        assertTrue(e.getMessage().startsWith("empty element 2 in 'system,,'"), e.getMessage());
    }

    @Test
    void badSizeNamesTheArgumentTheSpecAndTheUsage()
    {
        final AllocatorSpecException e = assertThrows(AllocatorSpecException.class,
            () -> testRegistry().build("pool:64x", ViolationHandler.recordAndCount()));
        assertEquals("bad size '64x' for argument 1 of 'pool' in 'pool:64x': expected a number of bytes with an " +
            "optional k, m or g suffix (KiB, MiB, GiB), e.g. 4096, 64k, 256m, 1g " +
            "(usage: pool:<size>  a test pool of <size> bytes (k/m/g suffixes))", e.getMessage());

        final AllocatorSpecException missing = assertThrows(AllocatorSpecException.class,
            () -> testRegistry().build("wrap,pool", ViolationHandler.recordAndCount()));
        assertTrue(missing.getMessage().startsWith("'pool' in 'wrap,pool' needs positional argument 1 (usage: pool:"),
            missing.getMessage());
    }

    @Test
    void unexpectedArgumentToSystemIsAnError()
    {
        final AllocatorSpecException e =
            assertThrows(AllocatorSpecException.class, () -> Allocators.fromSpec("system:64m"));
        assertTrue(e.getMessage().startsWith("unexpected argument '64m' to 'system' in 'system:64m'; " +
            "it takes no arguments (usage: system  "), e.getMessage());
        assertThrows(AllocatorSpecException.class, () -> Allocators.fromSpec("system:fast=yes"));
    }

    @Test
    void everyElementIsValidatedBeforeAnyIsCreated()
    {
        final ElementRegistry registry = testRegistry();
        final AllocatorSpecException e = assertThrows(AllocatorSpecException.class,
            () -> registry.build("tag:a:b,wrap,pool:1m", ViolationHandler.recordAndCount()));
        assertTrue(e.getMessage().startsWith("unexpected argument 'b' to 'tag'"), e.getMessage());
        assertEquals(0, created.get(), "nothing may be created when any element's arguments are bad");

        registry.build("tag:a,wrap,pool:1m", ViolationHandler.recordAndCount());
        assertEquals(3, created.get());
    }

    @Test
    void factoryErrorsWithoutTheSpecGetItPrefixed()
    {
        final ElementRegistry registry = new ElementRegistry();
        registry.register("picky", ElementFactory.of(ElementFactory.Kind.BASE, "picky:<n>  wants n >= 4096",
            args ->
            {
                if (args.sizeArg(0) < 4096)
                {
                    throw new IllegalArgumentException("picky needs at least 4096 bytes, got " + args.sizeArg(0));
                }
            }, (args, delegate, handler) -> new Pool(args.sizeArg(0))));
        final AllocatorSpecException e = assertThrows(AllocatorSpecException.class,
            () -> registry.build("picky:1k", ViolationHandler.recordAndCount()));
        assertEquals("in 'picky:1k': picky needs at least 4096 bytes, got 1024 (usage: picky:<n>  wants n >= 4096)",
            e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertEquals(new Pool(8192), registry.build("picky:8k", ViolationHandler.recordAndCount()));
    }

    @Test
    void factoryReturningNullIsAnError()
    {
        final ElementRegistry registry = new ElementRegistry();
        registry.register("broken", ElementFactory.of(ElementFactory.Kind.BASE, "broken  returns null",
            args -> {}, (args, delegate, handler) -> null));
        final IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> registry.build("broken", ViolationHandler.recordAndCount()));
        assertEquals("the factory of allocator element 'broken' returned null for 'broken'", e.getMessage());
    }

    @Test
    void registerRejectsDuplicatesAndBadNamesAndFactories()
    {
        final ElementFactory base = ElementFactory.of(
            ElementFactory.Kind.BASE, "x  test", ElementArgs::requireNone, (args, delegate, handler) -> new Pool(1));
        final IllegalArgumentException dup =
            assertThrows(IllegalArgumentException.class, () -> Allocators.register("system", base));
        assertTrue(dup.getMessage().startsWith("allocator element 'system' is already registered"), dup.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Allocators.register("bad name", base));
        assertThrows(IllegalArgumentException.class, () -> Allocators.register("a,b", base));
        assertThrows(NullPointerException.class, () -> Allocators.register("x", null));
        assertThrows(IllegalArgumentException.class, () -> Allocators.register("blank-usage", ElementFactory.of(
            ElementFactory.Kind.BASE, " ", args -> {}, (args, delegate, handler) -> new Pool(1))));
        assertThrows(NullPointerException.class, () -> ElementFactory.of(null, "u", args -> {}, (a, d, h) -> null));
    }

    @Test
    void registerAddsAnElementForLaterSpecs()
    {
        final String name = "registered-by-allocators-test";
        Allocators.register(name, ElementFactory.of(ElementFactory.Kind.DECORATOR, name + "  test decorator",
            ElementArgs::requireNone, (args, delegate, handler) -> new Wrapper(name, delegate, handler)));
        assertTrue(Allocators.elementNames().contains(name));
        final Wrapper w = assertInstanceOf(Wrapper.class, Allocators.fromSpec(name + ",system"));
        assertInstanceOf(SystemAllocator.class, w.delegate());
        assertTrue(Allocators.usage().contains(name + "  test decorator"));
    }

    @Test
    void configuredSpecPrefersThePropertyThenTheEnvironmentThenTheDefault()
    {
        final Function<String, String> env = Map.of(Allocators.CALLBACKS_ENV, "cookies,system")::get;
        final Function<String, String> props = Map.of(Allocators.CALLBACKS_PROPERTY, " tlsf:64m ")::get;
        final Function<String, String> blankProps = Map.of(Allocators.CALLBACKS_PROPERTY, "  ")::get;
        final Function<String, String> blankEnv = Map.of(Allocators.CALLBACKS_ENV, "")::get;

        assertEquals("tlsf:64m", Allocators.configuredSpec(props, env));
        assertEquals("cookies,system", Allocators.configuredSpec(NOTHING_SET, env));
        assertEquals("cookies,system", Allocators.configuredSpec(blankProps, env));
        assertEquals(Allocators.DEFAULT_SPEC, Allocators.configuredSpec(NOTHING_SET, NOTHING_SET));
        assertEquals(Allocators.DEFAULT_SPEC, Allocators.configuredSpec(blankProps, blankEnv));
    }

    @Test
    void configuredSpecReadsTheSystemProperty()
    {
        final String saved = System.getProperty(Allocators.CALLBACKS_PROPERTY);
        try
        {
            System.setProperty(Allocators.CALLBACKS_PROPERTY, "system");
            assertEquals("system", Allocators.configuredSpec());
            assertInstanceOf(SystemAllocator.class, Allocators.configured());

            System.setProperty(Allocators.CALLBACKS_PROPERTY, "cokies,system");
            assertEquals("cokies,system", Allocators.configuredSpec());
            final AllocatorSpecException e = assertThrows(AllocatorSpecException.class, Allocators::configured);
            assertTrue(e.getMessage().startsWith("unknown allocator element 'cokies'"), e.getMessage());
            assertTrue(e.getMessage().endsWith("(the spec came from system property hostalloc.callbacks)"),
                e.getMessage());

            System.clearProperty(Allocators.CALLBACKS_PROPERTY);
            final String env = System.getenv(Allocators.CALLBACKS_ENV);
            assertEquals(null == env || env.isBlank() ? Allocators.DEFAULT_SPEC : env.trim(), Allocators.configuredSpec());
        }
        finally
        {
            if (null == saved)
            {
                System.clearProperty(Allocators.CALLBACKS_PROPERTY);
            }
            else
            {
                System.setProperty(Allocators.CALLBACKS_PROPERTY, saved);
            }
        }
    }

    @Test
    void configuredFromTheEnvironmentNamesItWhenBad()
    {
        final Function<String, String> env = Map.of(Allocators.CALLBACKS_ENV, "system:1")::get;
        final AllocatorSpecException e =
            assertThrows(AllocatorSpecException.class, () -> Allocators.configured(NOTHING_SET, env));
        assertTrue(e.getMessage().startsWith("unexpected argument '1' to 'system'"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(the spec came from environment variable HOSTALLOC_CALLBACKS)"),
            e.getMessage());
        assertInstanceOf(SystemAllocator.class, Allocators.configured(NOTHING_SET, NOTHING_SET));
    }
}
