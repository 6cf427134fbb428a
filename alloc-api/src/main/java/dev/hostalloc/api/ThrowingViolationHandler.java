package dev.hostalloc.api;

/** {@link ViolationPolicy#THROW}: turns every violation into an {@link AllocationViolationException}. */
final class ThrowingViolationHandler implements ViolationHandler
{
    static final ThrowingViolationHandler INSTANCE = new ThrowingViolationHandler();

    private ThrowingViolationHandler()
    {
    }

    @Override
    public void onViolation(
        final Violation violation,
        final long address,
        final long size,
        final SystemAllocationScope scope,
        final String detail)
    {
        throw new AllocationViolationException(violation, address, size, scope, detail);
    }

    @Override
    public String toString()
    {
        return "ViolationHandler[THROW]";
    }
}
