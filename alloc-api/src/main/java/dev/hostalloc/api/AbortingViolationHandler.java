package dev.hostalloc.api;

/** {@link ViolationPolicy#ABORT}: prints the violation and a stack trace, then halts the JVM. */
final class AbortingViolationHandler implements ViolationHandler
{
    /** The exit status, as a process killed by SIGABRT reports it (128 + 6). */
    static final int ABORT_EXIT_CODE = 134;

    static final AbortingViolationHandler INSTANCE = new AbortingViolationHandler();

    private AbortingViolationHandler()
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
        System.err.println("hostalloc: aborting on allocation violation: "
            + ViolationHandler.format(violation, address, size, scope, detail));
        new Throwable("reported from").printStackTrace();
        System.err.flush();
        Runtime.getRuntime().halt(ABORT_EXIT_CODE);
    }

    @Override
    public String toString()
    {
        return "ViolationHandler[ABORT]";
    }
}
