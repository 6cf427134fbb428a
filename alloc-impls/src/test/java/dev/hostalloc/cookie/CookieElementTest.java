package dev.hostalloc.cookie;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.guard.GuardPageAllocator;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.system.SystemAllocator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code cookies} spec element: flags, named arguments, defaults over guard, errors. */
class CookieElementTest
{
    private final RecordingViolationHandler handler = ViolationHandler.recordAndCount();

    private CookieAllocator build(final String spec)
    {
        return assertInstanceOf(CookieAllocator.class, Allocators.fromSpec(spec, handler));
    }

    @Test
    void registeredWithItsUsage()
    {
        assertTrue(Allocators.elementNames().contains("cookies"));
        assertTrue(Allocators.usage().contains("  cookies[:strict|:header][:poison][:sites][:canary=<bytes>]"),
            Allocators.usage());
    }

    @Test
    void defaultsOverSystem()
    {
        final CookieAllocator cookies = build("cookies,system");
        assertEquals(CookieOptions.DEFAULT, cookies.options());
        assertInstanceOf(SystemAllocator.class, cookies.delegate());
        assertSame(handler, cookies.violationHandler());
        assertSame(handler, ((SystemAllocator)cookies.delegate()).violationHandler());
    }

    @Test
    void flagsAndNamedArguments()
    {
        final CookieOptions options = build("cookies:strict:poison:sites:canary=16:registry=1k,system").options();
        assertEquals(new CookieOptions(true, true, true, 16, 1024), options);
        assertEquals(0, build("cookies:canary=0,system").options().canaryLength());
    }

    @Test
    void overGuardStrictWithoutCanaryUnlessToldOtherwise()
    {
        final CookieAllocator overGuard = build("cookies,guard");
        assertInstanceOf(GuardPageAllocator.class, overGuard.delegate());
        assertTrue(overGuard.options().strict());
        assertEquals(0, overGuard.options().canaryLength());
        final CookieAllocator below = build("cookies,guard:below");
        assertTrue(below.options().strict());
        assertEquals(CookieOptions.DEFAULT_CANARY_LENGTH, below.options().canaryLength(),
            "below mode does not guard the blocks' ends: keep the canary");
        final CookieAllocator header = build("cookies:header:canary=8,guard");
        assertFalse(header.options().strict());
        assertEquals(8, header.options().canaryLength());
    }

    @Test
    void badArgumentsAreSpecErrors()
    {
        assertError("cookies:fast,system", "unknown flag 'fast' of 'cookies'; flags: strict, header, poison, sites");
        assertError("cookies:strict:strict,system", "flag 'strict' of 'cookies' given twice");
        assertError("cookies:strict:header,system", "'cookies' takes strict or header, not both");
        assertError("cookies:canary=12,system", "canary=12 of 'cookies': 0 or a multiple of 8 up to 64 bytes");
        assertError("cookies:canary=72,system", "canary=72");
        assertError("cookies:registry=0,system", "registry=0 of 'cookies': 1 to 536870912 blocks");
        assertError("cookies:limit=1m,system", "unexpected argument 'limit=1m'");
        assertError("cookies", "must be a base allocator");
    }

    private static void assertError(final String spec, final String expected)
    {
        final AllocatorSpecException e = assertThrows(AllocatorSpecException.class, () -> Allocators.fromSpec(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void aStackAllocatesThroughEveryLayer()
    {
        final AllocationCallbacks stack = Allocators.fromSpec("cookies,guard", handler);
        final long block = stack.allocate(64, 16, dev.hostalloc.api.SystemAllocationScope.OBJECT);
        final GuardPageAllocator guard = (GuardPageAllocator)((CookieAllocator)stack).delegate();
        assertEquals(block + 64, guard.guardPageAddress(block - CookieBlockDescriptor.HEADER_LENGTH),
            "over guard the caller's block ends flush against the guard page");
        stack.free(block);
        assertEquals(0, handler.totalCount(), handler.report());
    }
}
