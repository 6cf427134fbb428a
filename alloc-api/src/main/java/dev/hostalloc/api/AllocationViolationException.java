package dev.hostalloc.api;

/**
 * Thrown by the {@link ViolationPolicy#THROW} handler. Never crosses into native code: bridges
 * catch it and turn it into a 0 return plus a recorded violation.
 */
public final class AllocationViolationException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final Violation violation;
    private final long address;
    private final long size;
    private final SystemAllocationScope scope;

    /**
     * Creates the exception.
     *
     * @param violation the kind of misuse.
     * @param address   the address involved, or 0.
     * @param size      the size involved, or 0.
     * @param scope     the scope involved, or {@code null}.
     * @param detail    what exactly went wrong, or {@code null}.
     */
    public AllocationViolationException(
        final Violation violation,
        final long address,
        final long size,
        final SystemAllocationScope scope,
        final String detail)
    {
        super(ViolationHandler.format(violation, address, size, scope, detail));
        this.violation = violation;
        this.address = address;
        this.size = size;
        this.scope = scope;
    }

    /**
     * The kind of misuse.
     *
     * @return the violation.
     */
    public Violation violation()
    {
        return violation;
    }

    /**
     * The address involved.
     *
     * @return the address, or 0.
     */
    public long address()
    {
        return address;
    }

    /**
     * The size involved.
     *
     * @return the size, or 0.
     */
    public long size()
    {
        return size;
    }

    /**
     * The scope involved.
     *
     * @return the scope, or {@code null}.
     */
    public SystemAllocationScope scope()
    {
        return scope;
    }
}
