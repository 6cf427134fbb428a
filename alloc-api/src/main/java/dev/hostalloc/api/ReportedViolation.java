package dev.hostalloc.api;

/**
 * One violation as a {@link RecordingViolationHandler} kept it.
 *
 * @param violation the kind of misuse.
 * @param address   the address involved, or 0.
 * @param size      the size involved, or 0.
 * @param scope     the scope involved, or {@code null}.
 * @param detail    extra detail, or {@code null}.
 */
public record ReportedViolation(
    Violation violation, long address, long size, SystemAllocationScope scope, String detail)
{
    /**
     * The violation's report line.
     *
     * @return the same line {@link ViolationHandler#format} produces.
     */
    @Override
    public String toString()
    {
        return ViolationHandler.format(violation, address, size, scope, detail);
    }
}
