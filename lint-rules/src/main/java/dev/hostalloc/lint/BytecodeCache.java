package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.Source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the class files behind ArchUnit's classes (from the location ArchUnit imported them from) and
 * keeps the {@link BytecodeFacts} for one rule evaluation. Not thread-safe: one per evaluation.
 */
final class BytecodeCache
{
    private final Map<String, Optional<BytecodeFacts>> factsByClass = new HashMap<>();

    /**
     * The facts of one class.
     *
     * @param javaClass an imported class.
     * @return the facts, or empty when ArchUnit knows no class file for it (then nothing can be said
     *         about its bytecode, and callers report that rather than assume it clean).
     * @throws UncheckedIOException when the class file exists but cannot be read.
     */
    Optional<BytecodeFacts> factsOf(final JavaClass javaClass)
    {
        return factsByClass.computeIfAbsent(javaClass.getName(), name -> read(javaClass));
    }

    private static Optional<BytecodeFacts> read(final JavaClass javaClass)
    {
        final Optional<Source> source = javaClass.getSource();
        if (source.isEmpty())
        {
            return Optional.empty();
        }
        final URI uri = source.get().getUri();
        try
        {
            final URLConnection connection = uri.toURL().openConnection();
            connection.setUseCaches(false); // do not keep jar files open after the rule ran
            try (InputStream in = connection.getInputStream())
            {
                return Optional.of(BytecodeFacts.scan(in.readAllBytes()));
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot read the class file of " + javaClass.getName() + " at " + uri, e);
        }
    }
}
