package dev.hostalloc.guard;

import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.Allocators;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code guard} spec element. */
class GuardElementTest
{
    private final RecordingViolationHandler handler = ViolationHandler.recordAndCount();

    private GuardPageAllocator build(final String spec)
    {
        return assertInstanceOf(GuardPageAllocator.class, Allocators.fromSpec(spec, handler));
    }

    @Test
    void registeredWithItsUsage()
    {
        assertTrue(Allocators.elementNames().contains("guard"));
        assertTrue(Allocators.usage().contains("  guard[:below][:sites][:quarantine=<size>]  every block"),
            Allocators.usage());
    }

    @Test
    void optionsFromTheSpec()
    {
        assertEquals(GuardOptions.DEFAULT, build("guard").options());
        assertSame(handler, build("guard").violationHandler());
        assertEquals(new GuardOptions(GuardMode.UNDERFLOW, GuardOptions.DEFAULT_QUARANTINE_BYTES, false),
            build("guard:below").options());
        assertEquals(new GuardOptions(GuardMode.OVERFLOW, 64L << 20, false), build("guard:quarantine=64m").options());
        assertEquals(new GuardOptions(GuardMode.UNDERFLOW, 0, true), build("guard:sites:quarantine=0:below").options());
    }

    @Test
    void badArgumentsAreSpecErrors()
    {
        assertError("guard:above", "unknown flag 'above' of 'guard'; flags: below, sites");
        assertError("guard:below:below", "flag 'below' of 'guard' given twice");
        assertError("guard:quarantine=lots", "bad size 'lots'");
        assertError("guard:budget=1m", "unexpected argument 'budget=1m'");
        assertError("guard,system", "'guard' is a base allocator and must be last");
    }

    private static void assertError(final String spec, final String expected)
    {
        final AllocatorSpecException e = assertThrows(AllocatorSpecException.class, () -> Allocators.fromSpec(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
