package dev.hostalloc.trace;

import java.io.IOException;

/**
 * A file is not a hostalloc trace, or one this version cannot read; the message says which and why.
 */
public final class TraceFormatException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the file.
     */
    public TraceFormatException(final String message)
    {
        super(message);
    }
}
