package dev.hostalloc.stack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A parsed allocator stack spec such as {@code cookies,accounting:limit=256m,system}: elements
 * separated by {@code ','}, outermost first; the last is the base allocator, each earlier one a
 * decorator wrapping everything after it. An element is a name optionally followed by arguments,
 * each after a {@code ':'} (see {@link ElementArgs}). White space around elements and arguments is
 * ignored. Parsing checks syntax only; {@link Allocators} checks names and order.
 *
 * @param elements the elements, outermost first; never empty.
 */
public record AllocatorSpec(List<ElementSpec> elements)
{
    /** Separates elements. */
    public static final char ELEMENT_SEPARATOR = ',';

    /** Separates an element's name from its arguments, and the arguments from each other. */
    public static final char ARGUMENT_SEPARATOR = ':';

    /** What a valid element name or argument key looks like, for messages. */
    static final String NAME_SYNTAX =
        "names start with a letter and contain only letters, digits, '-', '_' and '.'";

    private static final String EXAMPLE =
        "expected elements separated by ',', outermost first, ending in a base allocator, e.g. 'system'";

    /**
     * Validates the spec and makes the list immutable.
     *
     * @throws AllocatorSpecException when {@code elements} is empty.
     * @throws NullPointerException   when {@code elements} or an element is {@code null}.
     */
    public AllocatorSpec
    {
        elements = List.copyOf(elements);
        if (elements.isEmpty())
        {
            throw new AllocatorSpecException("empty allocator spec; " + EXAMPLE);
        }
    }

    /**
     * Parses a spec.
     *
     * @param spec e.g. {@code "cookies,accounting,system"} or {@code "tlsf:64m"}.
     * @return the parsed spec; its {@link #toString()} is the canonical text.
     * @throws AllocatorSpecException for an empty spec, an empty element, an invalid element name,
     *                                or a malformed argument; the message quotes {@code spec}.
     * @throws NullPointerException   when {@code spec} is {@code null}.
     */
    public static AllocatorSpec parse(final String spec)
    {
        Objects.requireNonNull(spec, "spec");
        if (spec.isBlank())
        {
            throw new AllocatorSpecException("empty allocator spec '" + spec + "'; " + EXAMPLE);
        }
        final String[] tokens = spec.split(String.valueOf(ELEMENT_SEPARATOR), -1);
        final List<ElementSpec> elements = new ArrayList<>(tokens.length);
        for (int i = 0; i < tokens.length; i++)
        {
            final String token = tokens[i].trim();
            if (token.isEmpty())
            {
                throw new AllocatorSpecException("empty element " + (i + 1) + " in '" + spec + "'; " + EXAMPLE);
            }
            final String[] parts = token.split(String.valueOf(ARGUMENT_SEPARATOR), -1);
            final String name = parts[0].trim();
            if (!isValidName(name))
            {
                throw new AllocatorSpecException("invalid element name '" + name + "' (element " + (i + 1) +
                    ") in '" + spec + "': " + NAME_SYNTAX);
            }
            final List<String> rawArgs = Arrays.asList(parts).subList(1, parts.length);
            elements.add(new ElementSpec(name, ElementArgs.of(name, rawArgs, spec)));
        }
        return new AllocatorSpec(elements);
    }

    /**
     * Whether {@code name} may be an element name or an argument key: a letter followed by letters,
     * digits, {@code '-'}, {@code '_'} or {@code '.'}.
     *
     * @param name the candidate.
     * @return {@code true} when valid.
     */
    public static boolean isValidName(final String name)
    {
        if (null == name || name.isEmpty() || !isAsciiLetter(name.charAt(0)))
        {
            return false;
        }
        for (int i = 1; i < name.length(); i++)
        {
            final char c = name.charAt(i);
            if (!isAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '.')
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The base allocator's element.
     *
     * @return the last element.
     */
    public ElementSpec base()
    {
        return elements.get(elements.size() - 1);
    }

    /**
     * The canonical text: {@code parse(toString())} equals this spec.
     *
     * @return elements in canonical form joined by {@code ','}, without white space.
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (final ElementSpec element : elements)
        {
            if (!sb.isEmpty())
            {
                sb.append(ELEMENT_SEPARATOR);
            }
            sb.append(element);
        }
        return sb.toString();
    }

    private static boolean isAsciiLetter(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
