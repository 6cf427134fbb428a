package dev.hostalloc.stack;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.ViolationHandler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Element names to factories, and the building of a stack from a spec. {@link Allocators} holds
 * the process-wide one; tests make their own so registering test elements changes nothing global.
 * Thread-safe.
 */
final class ElementRegistry
{
    /** Largest edit distance at which an unknown name gets a "did you mean" suggestion. */
    private static final int MAX_SUGGESTION_DISTANCE = 2;

    private final ConcurrentSkipListMap<String, ElementFactory> factories = new ConcurrentSkipListMap<>();

    void register(final String name, final ElementFactory factory)
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(factory, "factory");
        if (!AllocatorSpec.isValidName(name))
        {
            throw new IllegalArgumentException(
                "invalid allocator element name '" + name + "': " + AllocatorSpec.NAME_SYNTAX);
        }
        if (null == factory.kind())
        {
            throw new IllegalArgumentException("allocator element '" + name + "' has no kind");
        }
        if (null == factory.usage() || factory.usage().isBlank())
        {
            throw new IllegalArgumentException("allocator element '" + name + "' has no usage line");
        }
        final ElementFactory existing = factories.putIfAbsent(name, factory);
        if (null != existing)
        {
            throw new IllegalArgumentException(
                "allocator element '" + name + "' is already registered (" + existing.usage() + ")");
        }
    }

    SortedSet<String> names()
    {
        return Collections.unmodifiableSortedSet(new TreeSet<>(factories.keySet()));
    }

    String usage()
    {
        final StringBuilder sb = new StringBuilder();
        for (final ElementFactory factory : factories.values())
        {
            if (!sb.isEmpty())
            {
                sb.append(System.lineSeparator());
            }
            sb.append("  ").append(factory.usage());
        }
        return sb.toString();
    }

    AllocationCallbacks build(final String spec, final ViolationHandler handler)
    {
        Objects.requireNonNull(handler, "handler");
        final AllocatorSpec parsed = AllocatorSpec.parse(spec);
        final List<ElementSpec> elements = parsed.elements();
        final int count = elements.size();

        final List<ElementFactory> resolved = new ArrayList<>(count);
        for (final ElementSpec element : elements)
        {
            final ElementFactory factory = factories.get(element.name());
            if (null == factory)
            {
                throw unknown(element.name(), spec);
            }
            resolved.add(factory);
        }
        for (int i = 0; i < count - 1; i++)
        {
            if (resolved.get(i).kind() == ElementFactory.Kind.BASE)
            {
                throw new AllocatorSpecException("'" + elements.get(i).name() +
                    "' is a base allocator and must be last in '" + spec + "'");
            }
        }
        if (resolved.get(count - 1).kind() != ElementFactory.Kind.BASE)
        {
            throw new AllocatorSpecException("the last element of '" + spec +
                "' must be a base allocator (one of: " + String.join(", ", namesOf(ElementFactory.Kind.BASE)) + ")");
        }

        for (int i = 0; i < count; i++)
        {
            try
            {
                resolved.get(i).validate(elements.get(i).args());
            }
            catch (final IllegalArgumentException ex)
            {
                throw inContext(ex, resolved.get(i), spec);
            }
        }

        AllocationCallbacks stack = null;
        for (int i = count - 1; i >= 0; i--)
        {
            final ElementFactory factory = resolved.get(i);
            try
            {
                stack = factory.create(elements.get(i).args(), stack, handler);
            }
            catch (final IllegalArgumentException ex)
            {
                throw inContext(ex, factory, spec);
            }
            if (null == stack)
            {
                throw new IllegalStateException("the factory of allocator element '" + elements.get(i).name() +
                    "' returned null for '" + spec + "'");
            }
        }
        return stack;
    }

    private AllocatorSpecException unknown(final String name, final String spec)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("unknown allocator element '").append(name).append("' in '").append(spec).append("'; ");
        final String suggestion = closest(name);
        if (null != suggestion)
        {
            sb.append("did you mean '").append(suggestion).append("'? ");
        }
        sb.append("valid elements: ").append(String.join(", ", factories.keySet()));
        sb.append(System.lineSeparator()).append(usage());
        return new AllocatorSpecException(sb.toString());
    }

    private static AllocatorSpecException inContext(
        final IllegalArgumentException ex, final ElementFactory factory, final String spec)
    {
        final String message = String.valueOf(ex.getMessage());
        final String located = message.contains("in '" + spec + "'") ? message : "in '" + spec + "': " + message;
        return new AllocatorSpecException(located + " (usage: " + factory.usage() + ")", ex);
    }

    private List<String> namesOf(final ElementFactory.Kind kind)
    {
        final List<String> names = new ArrayList<>();
        factories.forEach((name, factory) ->
        {
            if (factory.kind() == kind)
            {
                names.add(name);
            }
        });
        return names;
    }

    private String closest(final String name)
    {
        String best = null;
        int bestDistance = MAX_SUGGESTION_DISTANCE + 1;
        for (final String candidate : factories.keySet())
        {
            final int distance = editDistance(name, candidate);
            if (distance < bestDistance && distance < candidate.length())
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Levenshtein distance, case-insensitive. */
    private static int editDistance(final String a, final String b)
    {
        final String x = a.toLowerCase(Locale.ROOT);
        final String y = b.toLowerCase(Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++)
            {
                final int substitution = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }
}
