package dev.hostalloc.tests.conformance;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.system.SystemAllocator;

/** The kit on hostalloc's base allocator, with the throwing handler tests use. */
class SystemAllocatorConformanceTest extends AllocationCallbacksConformanceTest
{
    @Override
    protected AllocationCallbacks createCallbacks()
    {
        return new SystemAllocator(ViolationHandler.throwing());
    }
}
