package dev.hostalloc.trace;

/**
 * What a trace record records: one {@link dev.hostalloc.api.AllocationCallbacks} method. The
 * {@link #code()} is the byte stored in the record and the Agrona message type in the logging ring.
 */
public enum TraceOperation
{
    /** {@code allocate(size, alignment, scope)} returned {@code result}. */
    ALLOCATE(1),
    /** {@code reallocate(address, size, alignment, scope)} returned {@code result}. */
    REALLOCATE(2),
    /** {@code free(address)}. */
    FREE(3),
    /** {@code internalAllocationNotification(size, type, scope)}. */
    INTERNAL_ALLOCATION(4),
    /** {@code internalFreeNotification(size, type, scope)}. */
    INTERNAL_FREE(5);

    private static final TraceOperation[] BY_CODE = { null, ALLOCATE, REALLOCATE, FREE, INTERNAL_ALLOCATION, INTERNAL_FREE };

    private final int code;

    TraceOperation(final int code)
    {
        this.code = code;
    }

    /**
     * The code stored in a record; never 0 (Agrona reserves message type 0 for padding).
     *
     * @return 1..5.
     */
    public int code()
    {
        return code;
    }

    /**
     * Lookup by code, never throwing.
     *
     * @param code a stored code.
     * @return the operation, or {@code null} for an unknown code.
     */
    public static TraceOperation fromCodeOrNull(final int code)
    {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
