package dev.hostalloc.trace;

import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;

/**
 * One decoded trace record ({@link TraceRecordDescriptor}).
 *
 * @param index      0-based position in the file.
 * @param timestamp  the header's clock when it was logged.
 * @param operation  what was called.
 * @param size       bytes asked for; 0 for free.
 * @param alignment  alignment asked for; 0 for free and notifications.
 * @param address    reallocate's original or free's pointer; else 0.
 * @param result     what allocate or reallocate returned; else 0.
 * @param thread     low 32 bits of the calling thread's id.
 * @param scopeValue the raw scope byte, 0..4 or 255 ({@link TraceRecordDescriptor#NO_SCOPE}).
 * @param typeValue  the raw internal type byte, or 255 ({@link TraceRecordDescriptor#NO_TYPE}).
 */
public record TraceRecord(
    long index,
    long timestamp,
    TraceOperation operation,
    long size,
    long alignment,
    long address,
    long result,
    int thread,
    int scopeValue,
    int typeValue)
{
    /**
     * The scope.
     *
     * @return the scope, or {@code null} for a free or a call made with no valid scope.
     */
    public SystemAllocationScope scope()
    {
        return SystemAllocationScope.fromValueOrNull(scopeValue);
    }

    /**
     * The internal allocation type of a notification.
     *
     * @return the type, or {@code null} when not a notification or the call passed none.
     */
    public InternalAllocationType type()
    {
        return InternalAllocationType.fromValueOrNull(typeValue);
    }
}
