package dev.hostalloc.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ElementArgsTest
{
    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "4096, 4096",
        "64k, 65536",
        "64K, 65536",
        "256m, 268435456",
        "3M, 3145728",
        "1g, 1073741824",
        "8589934591g, 9223372035781033984",
        "9223372036854775807, 9223372036854775807",
        "007, 7",
    })
    void parsesSizesWithBinarySuffixes(final String text, final long expected)
    {
        assertEquals(expected, ElementArgs.parseSize(text));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "k", "64x", "-1", "+1", "1.5m", "64mb", "6 4", "0x10", "1t", "m64" })
    void rejectsMalformedSizes(final String text)
    {
        final AllocatorSpecException e = assertThrows(AllocatorSpecException.class, () -> ElementArgs.parseSize(text));
        assertEquals("bad size '" + text + "': expected a number of bytes with an optional k, m or g suffix " +
            "(KiB, MiB, GiB), e.g. 4096, 64k, 256m, 1g", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "9223372036854775808", "8589934592g", "99999999999999999999", "9007199254740992k" })
    void rejectsSizesAboveLongMax(final String text)
    {
        final AllocatorSpecException e = assertThrows(AllocatorSpecException.class, () -> ElementArgs.parseSize(text));
        assertTrue(e.getMessage().startsWith("size '" + text + "' is too large"), e.getMessage());
    }

    @Test
    void sizeArgumentErrorsNameTheElementAndArgument()
    {
        final ElementArgs args = ElementArgs.of("tlsf", List.of("64x", "limit=2q"));
        AllocatorSpecException e = assertThrows(AllocatorSpecException.class, () -> args.sizeArg(0));
        assertTrue(e.getMessage().startsWith("bad size '64x' for argument 1 of 'tlsf': expected"), e.getMessage());
        e = assertThrows(AllocatorSpecException.class, () -> args.namedSizeArg("limit"));
        assertTrue(e.getMessage().startsWith("bad size '2q' for argument limit of 'tlsf': expected"), e.getMessage());
        e = assertThrows(AllocatorSpecException.class, () -> args.sizeArg(1));
        assertEquals("'tlsf' needs positional argument 2", e.getMessage());
        e = assertThrows(AllocatorSpecException.class, () -> args.namedSizeArg("pool"));
        assertEquals("'tlsf' needs argument pool=<value>", e.getMessage());
        assertEquals(5, args.sizeArg(1, 5));
        assertEquals(6, args.namedSizeArg("pool", 6));
    }

    @Test
    void positionalAndNamedAccessors()
    {
        final ElementArgs args = ElementArgs.of("logging", List.of("trace.bin", " level = debug ", "64k"));
        assertEquals("logging", args.element());
        assertEquals(3, args.count());
        assertEquals(2, args.positionalCount());
        assertEquals("trace.bin", args.positional(0));
        assertEquals("64k", args.positional(1));
        assertEquals(64 * 1024, args.sizeArg(1));
        assertEquals("dflt", args.positional(2, "dflt"));
        assertEquals("dflt", args.positional(-1, "dflt"));
        assertTrue(args.hasNamed("level"));
        assertFalse(args.hasNamed("trace.bin"));
        assertEquals("debug", args.named("level"));
        assertEquals("x", args.named("other", "x"));
        assertEquals("trace.bin:level=debug:64k", args.toString());
        assertThrows(AllocatorSpecException.class, () -> args.positional(2));
    }

    @Test
    void requireNoneBeyondNamesTheFirstUnexpectedArgument()
    {
        final ElementArgs none = ElementArgs.none("system");
        assertDoesNotThrow(none::requireNone);
        assertTrue(none.isEmpty());
        assertEquals("", none.toString());

        final ElementArgs one = ElementArgs.of("system", List.of("x"));
        AllocatorSpecException e = assertThrows(AllocatorSpecException.class, one::requireNone);
        assertEquals("unexpected argument 'x' to 'system'; it takes no arguments", e.getMessage());

        final ElementArgs args = ElementArgs.of("accounting", List.of("256m", "limit=1g", "verbose=yes"));
        assertDoesNotThrow(() -> args.requireNoneBeyond(1, "limit", "verbose"));
        e = assertThrows(AllocatorSpecException.class, () -> args.requireNoneBeyond(1, "limit"));
        assertEquals("unexpected argument 'verbose=yes' to 'accounting'; it takes at most 1 positional argument, " +
            "limit=<value>", e.getMessage());
        e = assertThrows(AllocatorSpecException.class, () -> args.requireNoneBeyond(0, "limit", "verbose"));
        assertEquals("unexpected argument '256m' to 'accounting'; it takes limit=<value>, verbose=<value>",
            e.getMessage());
    }

    @Test
    void ofRejectsSeparatorsInsideArguments()
    {
        assertThrows(AllocatorSpecException.class, () -> ElementArgs.of("x", List.of("a:b")));
        assertThrows(AllocatorSpecException.class, () -> ElementArgs.of("x", List.of("a,b")));
        assertThrows(NullPointerException.class, () -> ElementArgs.none(null));
    }

    @Test
    void equalityCoversElementKeysAndValues()
    {
        assertEquals(ElementArgs.of("a", List.of("1", "k=v")), ElementArgs.of("a", List.of(" 1 ", "k = v")));
        assertFalse(ElementArgs.of("a", List.of("1")).equals(ElementArgs.of("b", List.of("1"))));
        assertFalse(ElementArgs.of("a", List.of("k=1")).equals(ElementArgs.of("a", List.of("1"))));
    }
}
