package dev.hostalloc.stack;

import java.util.Objects;

/**
 * One element of an {@link AllocatorSpec}: an element name and its arguments, e.g. {@code tlsf:64m}.
 *
 * @param name the element's name, as registered with {@link Allocators#register}.
 * @param args its arguments; their {@link ElementArgs#element()} is {@code name}.
 */
public record ElementSpec(String name, ElementArgs args)
{
    /**
     * Validates the element.
     *
     * @throws AllocatorSpecException when {@code name} is not a valid element name or {@code args}
     *                                belong to another element.
     * @throws NullPointerException   when either is {@code null}.
     */
    public ElementSpec
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(args, "args");
        if (!AllocatorSpec.isValidName(name))
        {
            throw new AllocatorSpecException("invalid element name '" + name + "': " + AllocatorSpec.NAME_SYNTAX);
        }
        if (!name.equals(args.element()))
        {
            throw new AllocatorSpecException(
                "arguments of '" + args.element() + "' given to element '" + name + "'");
        }
    }

    /**
     * An element without arguments.
     *
     * @param name the element's name.
     * @throws AllocatorSpecException when {@code name} is not a valid element name.
     */
    public ElementSpec(final String name)
    {
        this(name, ElementArgs.none(name));
    }

    /**
     * The canonical text of the element.
     *
     * @return {@code name}, or {@code name:args} when there are arguments.
     */
    @Override
    public String toString()
    {
        return args.isEmpty() ? name : name + AllocatorSpec.ARGUMENT_SEPARATOR + args;
    }
}
