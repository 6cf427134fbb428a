package dev.hostalloc.api;

/**
 * What an implementation does when it detects misuse of the callbacks: a free of a foreign
 * pointer, a bad alignment, an overflowing size, a damaged block. The implementation first makes
 * the call harmless (returns 0, leaks rather than corrupts), then reports here.
 *
 * <p>Three standard policies ({@link ViolationPolicy}): {@link #throwing()} for tests,
 * {@link #recordAndCount()} for production and for any callback reached from native code (an
 * exception cannot cross a native frame), {@link #aborting()} to stop the process after printing
 * the report.
 *
 * <p>Implementations must be thread-safe: callbacks report from any thread.
 */
@FunctionalInterface
public interface ViolationHandler
{
    /**
     * Reports one violation.
     *
     * @param violation the kind of misuse.
     * @param address   the address involved (the pointer passed in), or 0.
     * @param size      the size involved, or 0 when not known.
     * @param scope     the scope involved, or {@code null} when not known (e.g. on free).
     * @param detail    what exactly went wrong, for a person (e.g. the allocating Java frame), or
     *                  {@code null}.
     * @throws AllocationViolationException only from the {@link ViolationPolicy#THROW} policy.
     */
    void onViolation(Violation violation, long address, long size, SystemAllocationScope scope, String detail);

    /**
     * The handler for tests: throws {@link AllocationViolationException} naming the violation.
     *
     * @return a shared stateless handler.
     */
    static ViolationHandler throwing()
    {
        return ThrowingViolationHandler.INSTANCE;
    }

    /**
     * The handler for production and native-reached callbacks: never throws, counts every
     * violation per kind and keeps the details of the first ones.
     *
     * @return a new handler with {@link RecordingViolationHandler#DEFAULT_DETAIL_CAPACITY} detail slots.
     */
    static RecordingViolationHandler recordAndCount()
    {
        return new RecordingViolationHandler(RecordingViolationHandler.DEFAULT_DETAIL_CAPACITY);
    }

    /**
     * The handler that prints the violation report to standard error and halts the JVM with
     * {@link AbortingViolationHandler#ABORT_EXIT_CODE}, like C's {@code abort()}.
     *
     * @return a shared handler.
     */
    static ViolationHandler aborting()
    {
        return AbortingViolationHandler.INSTANCE;
    }

    /**
     * Formats one violation as the single report line every handler uses.
     *
     * @param violation the kind of misuse.
     * @param address   the address, or 0.
     * @param size      the size, or 0.
     * @param scope     the scope, or {@code null}.
     * @param detail    extra detail, or {@code null}.
     * @return e.g. {@code "DOUBLE_FREE at 0x7f001000 (64 bytes, scope OBJECT): memory freed twice"}.
     */
    static String format(
        final Violation violation,
        final long address,
        final long size,
        final SystemAllocationScope scope,
        final String detail)
    {
        final StringBuilder sb = new StringBuilder(128);
        sb.append(violation.name()).append(" at 0x").append(Long.toHexString(address));
        sb.append(" (").append(Long.toUnsignedString(size)).append(" bytes");
        if (null != scope)
        {
            sb.append(", scope ").append(scope.name());
        }
        sb.append("): ").append(violation.description());
        if (null != detail)
        {
            sb.append("; ").append(detail);
        }
        return sb.toString();
    }
}
