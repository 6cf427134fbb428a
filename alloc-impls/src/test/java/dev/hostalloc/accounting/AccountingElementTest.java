package dev.hostalloc.accounting;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.stack.AllocatorSpecException;
import dev.hostalloc.stack.Allocators;
import org.junit.jupiter.api.Test;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountingElementTest
{
    @Test
    void specStringBuildsABudgetedNamedAllocator()
    {
        final RecordingViolationHandler handler = new RecordingViolationHandler(4);
        final AllocationCallbacks stack = Allocators.fromSpec("accounting:name=spec-test:limit=256m:sites=100,system", handler);
        final AccountingAllocator accounting = assertInstanceOf(AccountingAllocator.class, stack);
        try
        {
            assertEquals("spec-test", accounting.name());
            assertEquals(256L << 20, accounting.root().limit());
            assertEquals(SiteCapture.everyNth(100), accounting.siteCapture());
            assertSame(handler, accounting.violationHandler(), "reports to the stack's handler");
            assertSame(accounting, AccountingAllocator.named("spec-test").orElseThrow());
            assertEquals(0, stack.allocate(257L << 20, 8, OBJECT));
            assertEquals(1, accounting.root().failures());
        }
        finally
        {
            accounting.close();
        }
    }

    @Test
    void defaultsAndTheUsageLine()
    {
        final AccountingAllocator accounting = (AccountingAllocator)Allocators.fromSpec("accounting:limit=1k,system");
        accounting.close();
        assertEquals(AccountingAllocator.DEFAULT_NAME, accounting.name());
        assertEquals(1024, accounting.root().limit());
        assertEquals(SiteCapture.OFF, accounting.siteCapture());
        assertEquals(Account.UNLIMITED, ((AccountingAllocator)Allocators.fromSpec("accounting,system")).root().limit());
        assertTrue(Allocators.elementNames().contains("accounting"));
        final AccountingAllocator lean = (AccountingAllocator)Allocators.fromSpec("accounting:blocks=off,system");
        lean.close();
        assertEquals(false, lean.tracksBlocks());
        assertTrue(Allocators.usage().contains("accounting[:limit=<size>]"), Allocators.usage());
    }

    @Test
    void badArgumentsNameWhatIsWrong()
    {
        assertMessage("accounting:limit=lots,system", "limit");
        assertMessage("accounting:256m,system", "unexpected argument '256m'");
        assertMessage("accounting:quota=1m,system", "unexpected argument 'quota=1m'");
        assertMessage("accounting:name=a/b,system", "invalid account name");
        assertMessage("accounting:sites=sometimes,system", "site capture 'sometimes'");
        assertMessage("accounting", "base allocator");
        assertMessage("accounting:blocks=maybe,system", "blocks=maybe");
        assertMessage("accounting:blocks=off:sites=all,system", "needs blocks=on");
    }

    private static void assertMessage(final String spec, final String expected)
    {
        final AllocatorSpecException ex = assertThrows(AllocatorSpecException.class, () -> Allocators.fromSpec(spec));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
