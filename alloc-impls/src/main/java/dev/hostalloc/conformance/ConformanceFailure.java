package dev.hostalloc.conformance;

/**
 * A conformance check found the allocator breaking a rule of the Vulkan "Host Memory" chapter (or
 * hostalloc's documented choice where the spec is silent). The message says what was called, what
 * came back and what the spec wants, e.g.
 * {@code "allocate(size=24, alignment=4096, scope=OBJECT) returned 0x7f3a10000010, not a multiple of
 * 4096; the spec wants a multiple of the alignment"}.
 *
 * <p>An {@link AssertionError} so that test frameworks report it as a failed assertion.
 */
public final class ConformanceFailure extends AssertionError
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the failure.
     *
     * @param message what was called, what came back, what the spec wants.
     */
    public ConformanceFailure(final String message)
    {
        super(message);
    }

    /**
     * Creates the failure for an exception the allocator threw.
     *
     * @param message what was called, what came back, what the spec wants.
     * @param cause   the exception the allocator threw.
     */
    public ConformanceFailure(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
