package dev.hostalloc.testkit;

import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;

/**
 * Internal (implementation-allocated) memory still reported live in a scope that must be empty.
 *
 * @param type  the internal allocation type.
 * @param scope the scope.
 * @param bytes the outstanding total.
 */
public record InternalLeak(InternalAllocationType type, SystemAllocationScope scope, long bytes)
{
    /**
     * A line a person can read.
     *
     * @return the description.
     */
    @Override
    public String toString()
    {
        return bytes + " bytes of " + type + " internal memory still allocated in scope " + scope;
    }
}
