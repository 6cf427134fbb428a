package dev.hostalloc.cli;

import dev.hostalloc.trace.TraceReader;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opening a trace for a command, with one clear line on standard error when that fails.
 */
final class TraceFiles
{
    private TraceFiles()
    {
    }

    /**
     * Opens a trace or says why not.
     *
     * @param command the command's name, for the message.
     * @param file    the trace file.
     * @param err     where the reason goes.
     * @return the reader, or {@code null} after printing why it cannot be read.
     */
    static TraceReader open(final String command, final Path file, final PrintWriter err)
    {
        if (!Files.isRegularFile(file))
        {
            err.println("hostalloc " + command + ": no such trace file: " + file);
            return null;
        }
        try
        {
            return TraceReader.open(file);
        }
        catch (final NoSuchFileException ex)
        {
            err.println("hostalloc " + command + ": no such trace file: " + file);
        }
        catch (final IOException ex)
        {
            err.println("hostalloc " + command + ": " + ex.getMessage());
        }
        return null;
    }
}
