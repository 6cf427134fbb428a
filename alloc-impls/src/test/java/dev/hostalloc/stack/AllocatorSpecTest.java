package dev.hostalloc.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllocatorSpecTest
{
    @Test
    void parsesElementsOutermostFirstWithTheirArguments()
    {
        final AllocatorSpec spec = AllocatorSpec.parse("cookies,accounting:limit=256m:warn,tlsf:64m");
        assertEquals(3, spec.elements().size());
        assertEquals("cookies", spec.elements().get(0).name());
        assertTrue(spec.elements().get(0).args().isEmpty());

        final ElementArgs accounting = spec.elements().get(1).args();
        assertEquals("accounting", accounting.element());
        assertEquals(2, accounting.count());
        assertEquals(1, accounting.positionalCount());
        assertEquals("warn", accounting.positional(0));
        assertEquals("256m", accounting.named("limit"));

        assertEquals("tlsf", spec.base().name());
        assertEquals(64L << 20, spec.base().args().sizeArg(0));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "system|system",
        "  system  |system",
        "cookies , accounting , system|cookies,accounting,system",
        "tlsf: 64m ,system|tlsf:64m,system",
        "accounting:limit = 256m:warn,system|accounting:limit=256m:warn,system",
        "logging:trace.bin,tlsf:64m|logging:trace.bin,tlsf:64m",
        "x:key=a=b,system|x:key=a=b,system",
        "Guard-Pages_2.v1:1:2:3,system|Guard-Pages_2.v1:1:2:3,system",
    })
    void toStringIsCanonicalAndRoundTrips(final String text, final String canonical)
    {
        final AllocatorSpec spec = AllocatorSpec.parse(text);
        assertEquals(canonical, spec.toString());
        final AllocatorSpec again = AllocatorSpec.parse(spec.toString());
        assertEquals(spec, again);
        assertEquals(spec.hashCode(), again.hashCode());
        assertEquals(canonical, again.toString());
    }

    @Test
    void specsDifferingInArgumentsAreNotEqual()
    {
        assertNotEquals(AllocatorSpec.parse("tlsf:64m"), AllocatorSpec.parse("tlsf:32m"));
        assertNotEquals(AllocatorSpec.parse("tlsf:size=64m"), AllocatorSpec.parse("tlsf:64m"));
        assertNotEquals(AllocatorSpec.parse("a,system"), AllocatorSpec.parse("system"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "\t\n" })
    void emptySpecIsAnError(final String text)
    {
        final AllocatorSpecException e = assertThrows(AllocatorSpecException.class, () -> AllocatorSpec.parse(text));
        assertTrue(e.getMessage().startsWith("empty allocator spec"), e.getMessage());
        assertTrue(e.getMessage().contains("e.g. 'system'"), e.getMessage());
    }

    @Test
    void nullSpecIsANullPointerException()
    {
        assertThrows(NullPointerException.class, () -> AllocatorSpec.parse(null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "system,,|empty element 2 in 'system,,'",
        ",system|empty element 1 in ',system'",
        "cookies, ,system|empty element 2 in 'cookies, ,system'",
        "system,|empty element 2 in 'system,'",
    })
    void emptyElementIsAnError(final String text, final String expected)
    {
        assertMessageStarts(expected, text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sys tem|invalid element name 'sys tem' (element 1) in 'sys tem'",
        "1abc,system|invalid element name '1abc' (element 1) in '1abc,system'",
        "system,=x|invalid element name '=x' (element 2) in 'system,=x'",
        ":64m,system|invalid element name '' (element 1) in ':64m,system'",
        "tl$f:64m|invalid element name 'tl$f' (element 1) in 'tl$f:64m'",
    })
    void invalidElementNameIsAnError(final String text, final String expected)
    {
        final AllocatorSpecException e = assertMessageStarts(expected, text);
        assertTrue(e.getMessage().contains("start with a letter"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "tlsf:,system|empty argument 1 of 'tlsf' in 'tlsf:,system'",
        "tlsf:64m:,system|empty argument 2 of 'tlsf' in 'tlsf:64m:,system'",
        "tlsf:64m::x|empty argument 2 of 'tlsf' in 'tlsf:64m::x'",
        "acc:=5,system|argument 1 '=5' of 'acc' in 'acc:=5,system' has an empty key",
        "acc:1x=5,system|argument 1 '1x=5' of 'acc' in 'acc:1x=5,system' has an invalid key '1x'",
        "acc:limit=,system|argument 1 'limit=' of 'acc' in 'acc:limit=,system' has an empty value",
        "acc:limit=1:limit=2,system|duplicate argument 'limit' of 'acc' in 'acc:limit=1:limit=2,system'",
    })
    void malformedArgumentIsAnError(final String text, final String expected)
    {
        final AllocatorSpecException e = assertMessageStarts(expected, text);
        assertTrue(e.getMessage().contains("in '" + text + "'"), e.getMessage());
    }

    @Test
    void recordsValidateTheirParts()
    {
        assertThrows(AllocatorSpecException.class, () -> new AllocatorSpec(List.of()));
        assertThrows(NullPointerException.class, () -> new AllocatorSpec(null));
        assertThrows(AllocatorSpecException.class, () -> new ElementSpec("bad name"));
        final AllocatorSpecException e = assertThrows(
            AllocatorSpecException.class, () -> new ElementSpec("tlsf", ElementArgs.none("system")));
        assertEquals("arguments of 'system' given to element 'tlsf'", e.getMessage());
        assertEquals("tlsf:64m", new ElementSpec("tlsf", ElementArgs.of("tlsf", List.of("64m"))).toString());
        assertEquals("system", new AllocatorSpec(List.of(new ElementSpec("system"))).toString());
    }

    @Test
    void validNames()
    {
        assertTrue(AllocatorSpec.isValidName("a"));
        assertTrue(AllocatorSpec.isValidName("guard-pages_v2.1"));
        assertFalse(AllocatorSpec.isValidName(null));
        assertFalse(AllocatorSpec.isValidName(""));
        assertFalse(AllocatorSpec.isValidName("-a"));
        assertFalse(AllocatorSpec.isValidName("a b"));
        assertFalse(AllocatorSpec.isValidName("a:b"));
        assertFalse(AllocatorSpec.isValidName("é"));
    }

    private static AllocatorSpecException assertMessageStarts(final String expected, final String text)
    {
        final AllocatorSpecException e = assertThrows(AllocatorSpecException.class, () -> AllocatorSpec.parse(text));
        assertTrue(e.getMessage().startsWith(expected), "expected '" + expected + "...', got: " + e.getMessage());
        return e;
    }
}
