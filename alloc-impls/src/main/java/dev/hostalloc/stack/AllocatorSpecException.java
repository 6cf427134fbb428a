package dev.hostalloc.stack;

/**
 * A malformed or unusable allocator spec: empty, an unknown element, elements in the wrong order,
 * a bad or unexpected argument. The message names the spec, the element and what would be valid.
 */
public final class AllocatorSpecException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, for a person.
     */
    public AllocatorSpecException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with a cause (e.g. the same error before context was added).
     *
     * @param message what is wrong, for a person.
     * @param cause   the underlying error.
     */
    public AllocatorSpecException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
