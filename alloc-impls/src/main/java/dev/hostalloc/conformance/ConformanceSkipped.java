package dev.hostalloc.conformance;

/**
 * A conformance check could not be applied to this allocator, for a stated reason: e.g. the
 * concurrency check on an allocator whose {@code traits().threadSafe()} is {@code false}. Not a
 * failure; the JUnit kit turns it into an aborted test carrying {@link #reason()}.
 */
public final class ConformanceSkipped extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the skip.
     *
     * @param reason why the check does not apply, for a person.
     */
    public ConformanceSkipped(final String reason)
    {
        super(reason, null, false, false);
    }

    /**
     * Why the check does not apply.
     *
     * @return the reason.
     */
    public String reason()
    {
        return getMessage();
    }
}
