package dev.hostalloc.tests.accounting;

import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.tests.conformance.AllocationCallbacksConformanceTest;

/** The conformance kit on an account two levels below the root, with a budget the kit's needs fit in. */
class AccountingConformanceTest extends AllocationCallbacksConformanceTest
{
    @Override
    protected AllocationCallbacks createCallbacks()
    {
        final AccountingAllocator accounting = AccountingAllocator.builder(new SystemAllocator(ViolationHandler.throwing()))
            .name("kit").limit(1L << 30).violationHandler(ViolationHandler.throwing())
            .exportToConfiguredCounters(false).onClose(report -> { }).build();
        return accounting.root().child("component/part", 512L << 20);
    }
}
