package dev.hostalloc.stack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The arguments of one spec element, in the order given: each is positional ({@code value}) or
 * named ({@code key=value}). In {@code tlsf:64m} the element {@code tlsf} has one positional
 * argument {@code 64m}; in {@code accounting:limit=256m:warn} it has the named {@code limit} and
 * the positional {@code warn}. Keys are unique; values are non-empty and contain neither
 * {@code ','} nor {@code ':'} (the separators); a value may contain {@code '='} after the key.
 *
 * <p>Positional indexes are 0-based in this API and 1-based in messages. Every error is an
 * {@link AllocatorSpecException} naming the element and the argument (and the spec, when the
 * arguments were parsed from one). Immutable; equality is by element name and arguments.
 */
public final class ElementArgs
{
    /** Separates a named argument's key from its value. */
    public static final char NAMED_SEPARATOR = '=';

    private static final long KIB = 1024L;
    private static final long MIB = KIB * KIB;
    private static final long GIB = MIB * KIB;
    private static final String SIZE_SYNTAX =
        "expected a number of bytes with an optional k, m or g suffix (KiB, MiB, GiB), e.g. 4096, 64k, 256m, 1g";

    private final String element;
    private final String quoted; // 'element', or 'element' in 'spec' when parsed from a spec
    private final List<String> keys;   // null entry: positional
    private final List<String> values;
    private final List<String> positionals;

    private ElementArgs(final String element, final String spec, final List<String> keys, final List<String> values)
    {
        this.element = element;
        this.quoted = quote(element, spec);
        this.keys = keys;
        this.values = values;
        final List<String> positional = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++)
        {
            if (null == keys.get(i))
            {
                positional.add(values.get(i));
            }
        }
        this.positionals = Collections.unmodifiableList(positional);
    }

    /**
     * No arguments.
     *
     * @param element the element's name, for messages.
     * @return empty arguments.
     * @throws NullPointerException when {@code element} is {@code null}.
     */
    public static ElementArgs none(final String element)
    {
        return new ElementArgs(Objects.requireNonNull(element, "element"), null, List.of(), List.of());
    }

    /**
     * Parses an element's arguments, each {@code value} or {@code key=value}; surrounding white
     * space is dropped.
     *
     * @param element the element's name, for messages.
     * @param rawArgs the text of each argument, e.g. {@code ["64m"]} or {@code ["limit=256m"]}.
     * @return the arguments.
     * @throws AllocatorSpecException for an empty argument, an empty or malformed key, an empty
     *                                value, a separator inside a value, or a repeated key.
     * @throws NullPointerException   when an argument is {@code null}.
     */
    public static ElementArgs of(final String element, final List<String> rawArgs)
    {
        return of(element, rawArgs, null);
    }

    /**
     * As {@link #of(String, List)}, every message also quoting the spec the arguments came from.
     *
     * @param element the element's name.
     * @param rawArgs the text of each argument.
     * @param spec    the whole spec text, or {@code null}.
     * @return the arguments.
     */
    static ElementArgs of(final String element, final List<String> rawArgs, final String spec)
    {
        Objects.requireNonNull(element, "element");
        final String quoted = quote(element, spec);
        final List<String> keys = new ArrayList<>(rawArgs.size());
        final List<String> values = new ArrayList<>(rawArgs.size());
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < rawArgs.size(); i++)
        {
            final String raw = rawArgs.get(i).trim();
            if (raw.isEmpty())
            {
                throw new AllocatorSpecException("empty argument " + (i + 1) + " of " + quoted);
            }
            final String where = "argument " + (i + 1) + " '" + raw + "' of " + quoted;
            if (raw.indexOf(AllocatorSpec.ELEMENT_SEPARATOR) >= 0 || raw.indexOf(AllocatorSpec.ARGUMENT_SEPARATOR) >= 0)
            {
                throw new AllocatorSpecException(where + " contains '" +
                    AllocatorSpec.ELEMENT_SEPARATOR + "' or '" + AllocatorSpec.ARGUMENT_SEPARATOR + "'");
            }
            final int eq = raw.indexOf(NAMED_SEPARATOR);
            if (eq < 0)
            {
                keys.add(null);
                values.add(raw);
                continue;
            }
            final String key = raw.substring(0, eq).trim();
            final String value = raw.substring(eq + 1).trim();
            if (!AllocatorSpec.isValidName(key))
            {
                throw new AllocatorSpecException(where + " has " +
                    (key.isEmpty() ? "an empty key" : "an invalid key '" + key + "'") +
                    "; named arguments are key=value, " + AllocatorSpec.NAME_SYNTAX);
            }
            if (value.isEmpty())
            {
                throw new AllocatorSpecException(where + " has an empty value");
            }
            if (!seen.add(key))
            {
                throw new AllocatorSpecException("duplicate argument '" + key + "' of " + quoted);
            }
            keys.add(key);
            values.add(value);
        }
        return new ElementArgs(element, spec, Collections.unmodifiableList(keys), Collections.unmodifiableList(values));
    }

    /**
     * The element these arguments belong to.
     *
     * @return its name.
     */
    public String element()
    {
        return element;
    }

    /**
     * Whether there are no arguments at all.
     *
     * @return {@code true} when empty.
     */
    public boolean isEmpty()
    {
        return values.isEmpty();
    }

    /**
     * How many arguments there are, positional and named.
     *
     * @return the count.
     */
    public int count()
    {
        return values.size();
    }

    /**
     * How many positional arguments there are.
     *
     * @return the count.
     */
    public int positionalCount()
    {
        return positionals.size();
    }

    /**
     * A required positional argument.
     *
     * @param index 0-based among the positional arguments.
     * @return its value.
     * @throws AllocatorSpecException when there is no such argument.
     */
    public String positional(final int index)
    {
        if (index < 0 || index >= positionals.size())
        {
            throw new AllocatorSpecException(quoted + " needs positional argument " + (index + 1));
        }
        return positionals.get(index);
    }

    /**
     * An optional positional argument.
     *
     * @param index        0-based among the positional arguments.
     * @param defaultValue returned when there is no such argument.
     * @return its value, or {@code defaultValue}.
     */
    public String positional(final int index, final String defaultValue)
    {
        return index >= 0 && index < positionals.size() ? positionals.get(index) : defaultValue;
    }

    /**
     * Whether a named argument is present.
     *
     * @param key the name.
     * @return {@code true} when given.
     */
    public boolean hasNamed(final String key)
    {
        return keys.contains(key);
    }

    /**
     * A required named argument.
     *
     * @param key the name.
     * @return its value.
     * @throws AllocatorSpecException when it is absent.
     */
    public String named(final String key)
    {
        final int i = keys.indexOf(key);
        if (i < 0)
        {
            throw new AllocatorSpecException(quoted + " needs argument " + key + "=<value>");
        }
        return values.get(i);
    }

    /**
     * An optional named argument.
     *
     * @param key          the name.
     * @param defaultValue returned when it is absent.
     * @return its value, or {@code defaultValue}.
     */
    public String named(final String key, final String defaultValue)
    {
        final int i = keys.indexOf(key);
        return i < 0 ? defaultValue : values.get(i);
    }

    /**
     * A required positional size, parsed by {@link #parseSize(String)}.
     *
     * @param index 0-based among the positional arguments.
     * @return the size in bytes.
     * @throws AllocatorSpecException when absent or not a valid size.
     */
    public long sizeArg(final int index)
    {
        return size(positional(index), "argument " + (index + 1));
    }

    /**
     * An optional positional size, parsed by {@link #parseSize(String)}.
     *
     * @param index        0-based among the positional arguments.
     * @param defaultValue returned when absent.
     * @return the size in bytes, or {@code defaultValue}.
     * @throws AllocatorSpecException when present but not a valid size.
     */
    public long sizeArg(final int index, final long defaultValue)
    {
        return index >= 0 && index < positionals.size() ? sizeArg(index) : defaultValue;
    }

    /**
     * A required named size, parsed by {@link #parseSize(String)}.
     *
     * @param key the name.
     * @return the size in bytes.
     * @throws AllocatorSpecException when absent or not a valid size.
     */
    public long namedSizeArg(final String key)
    {
        return size(named(key), "argument " + key);
    }

    /**
     * An optional named size, parsed by {@link #parseSize(String)}.
     *
     * @param key          the name.
     * @param defaultValue returned when absent.
     * @return the size in bytes, or {@code defaultValue}.
     * @throws AllocatorSpecException when present but not a valid size.
     */
    public long namedSizeArg(final String key, final long defaultValue)
    {
        return hasNamed(key) ? namedSizeArg(key) : defaultValue;
    }

    /**
     * Checks that nothing beyond what the element understands was given.
     *
     * @param maxPositional how many positional arguments the element takes at most.
     * @param namedKeys     the named arguments it understands.
     * @throws AllocatorSpecException naming the first unexpected argument and what is accepted.
     */
    public void requireNoneBeyond(final int maxPositional, final String... namedKeys)
    {
        final List<String> allowed = List.of(namedKeys);
        int positional = 0;
        for (int i = 0; i < values.size(); i++)
        {
            final String key = keys.get(i);
            final boolean unexpected = null == key ? ++positional > maxPositional : !allowed.contains(key);
            if (unexpected)
            {
                throw new AllocatorSpecException("unexpected argument '" + text(i) + "' to " + quoted + "; it takes " +
                    accepted(maxPositional, allowed));
            }
        }
    }

    /**
     * Checks that no argument was given.
     *
     * @throws AllocatorSpecException naming the first argument.
     */
    public void requireNone()
    {
        requireNoneBeyond(0);
    }

    /**
     * Parses a size: decimal digits with an optional suffix {@code k}, {@code m} or {@code g}
     * (either case) for KiB, MiB or GiB.
     *
     * @param text e.g. {@code "4096"}, {@code "64k"}, {@code "256m"}, {@code "1g"}.
     * @return the size in bytes, 0 or more.
     * @throws AllocatorSpecException when malformed or above {@code Long.MAX_VALUE} bytes.
     */
    public static long parseSize(final String text)
    {
        return parseSize(text, "");
    }

    /**
     * The canonical text: arguments in order, {@code value} or {@code key=value}, joined by
     * {@code ':'}.
     *
     * @return e.g. {@code "64m:limit=1g"}; empty when there are none.
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++)
        {
            if (i > 0)
            {
                sb.append(AllocatorSpec.ARGUMENT_SEPARATOR);
            }
            sb.append(text(i));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(final Object o)
    {
        return this == o || o instanceof ElementArgs that &&
            element.equals(that.element) && keys.equals(that.keys) && values.equals(that.values);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(element, keys, values);
    }

    private String text(final int i)
    {
        final String key = keys.get(i);
        return null == key ? values.get(i) : key + NAMED_SEPARATOR + values.get(i);
    }

    private long size(final String value, final String which)
    {
        return parseSize(value, " for " + which + " of " + quoted);
    }

    private static long parseSize(final String text, final String context)
    {
        final String trimmed = text.trim();
        final int length = trimmed.length();
        final long unit = length == 0 ? 1L : switch (Character.toLowerCase(trimmed.charAt(length - 1)))
        {
            case 'k' -> KIB;
            case 'm' -> MIB;
            case 'g' -> GIB;
            default -> 1L;
        };
        final int digitsEnd = unit == 1L ? length : length - 1;
        if (digitsEnd == 0)
        {
            throw badSize(text, context);
        }
        long value = 0;
        for (int i = 0; i < digitsEnd; i++)
        {
            final char c = trimmed.charAt(i);
            if (c < '0' || c > '9')
            {
                throw badSize(text, context);
            }
            final int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10L)
            {
                throw tooLarge(text, context);
            }
            value = value * 10L + digit;
        }
        if (value > Long.MAX_VALUE / unit)
        {
            throw tooLarge(text, context);
        }
        return value * unit;
    }

    private static AllocatorSpecException tooLarge(final String text, final String context)
    {
        return new AllocatorSpecException(
            "size '" + text + "'" + context + " is too large: at most " + Long.MAX_VALUE + " bytes");
    }

    private static AllocatorSpecException badSize(final String text, final String context)
    {
        return new AllocatorSpecException("bad size '" + text + "'" + context + ": " + SIZE_SYNTAX);
    }

    private static String quote(final String element, final String spec)
    {
        return null == spec ? "'" + element + "'" : "'" + element + "' in '" + spec + "'";
    }

    private static String accepted(final int maxPositional, final List<String> allowed)
    {
        if (maxPositional == 0 && allowed.isEmpty())
        {
            return "no arguments";
        }
        final StringBuilder sb = new StringBuilder();
        if (maxPositional > 0)
        {
            sb.append("at most ").append(maxPositional).append(" positional argument")
                .append(maxPositional == 1 ? "" : "s");
        }
        for (final String key : allowed)
        {
            sb.append(sb.isEmpty() ? "" : ", ").append(key).append("=<value>");
        }
        return sb.toString();
    }
}
