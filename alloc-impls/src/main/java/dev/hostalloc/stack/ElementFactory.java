package dev.hostalloc.stack;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.ViolationHandler;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Makes the allocator for one element name of a spec (registered with
 * {@link Allocators#register}). A {@link Kind#BASE} element allocates memory itself and ends a
 * stack; a {@link Kind#DECORATOR} wraps the allocator made from the elements after it.
 *
 * <p>{@link Allocators} calls {@link #validate} on every element of a spec before it calls
 * {@link #create} on any, so argument errors never leave half a stack behind; {@code create} should
 * not fail for a reason {@code validate} could have found. Implementations are stateless or
 * thread-safe: stacks may be built from several threads.
 */
public interface ElementFactory
{
    /** Where an element may stand in a spec. */
    enum Kind
    {
        /** Allocates memory itself; must be, and can only be, the last element. */
        BASE,
        /** Wraps the allocator made from the elements after it; never last. */
        DECORATOR
    }

    /**
     * Makes an element's allocator once its arguments are known to be valid.
     */
    @FunctionalInterface
    interface Creator
    {
        /**
         * Makes the allocator.
         *
         * @param args     the element's arguments.
         * @param delegate the allocator to wrap, or {@code null} for a {@link Kind#BASE} element.
         * @param handler  where the stack reports violations.
         * @return the allocator; never {@code null}.
         */
        AllocationCallbacks create(ElementArgs args, AllocationCallbacks delegate, ViolationHandler handler);
    }

    /**
     * Where this element may stand.
     *
     * @return {@link Kind#BASE} or {@link Kind#DECORATOR}.
     */
    Kind kind();

    /**
     * One line for a person: the element's syntax, two spaces, what it does.
     *
     * @return e.g. {@code "tlsf:<size>  a TLSF pool of <size> bytes (k/m/g suffixes)"}.
     */
    String usage();

    /**
     * Checks the arguments without creating anything.
     *
     * @param args the element's arguments.
     * @throws AllocatorSpecException naming what is wrong.
     */
    default void validate(final ElementArgs args)
    {
    }

    /**
     * Makes the element's allocator.
     *
     * @param args     the element's arguments.
     * @param delegate the allocator made from the elements after this one; {@code null} for a
     *                 {@link Kind#BASE} element.
     * @param handler  where the stack reports violations; shared by every element of the stack.
     * @return the allocator; never {@code null}.
     * @throws AllocatorSpecException when the arguments are invalid.
     */
    AllocationCallbacks create(ElementArgs args, AllocationCallbacks delegate, ViolationHandler handler);

    /**
     * A factory from its parts.
     *
     * @param kind      where the element may stand.
     * @param usage     its usage line.
     * @param validator checks the arguments (e.g. {@code ElementArgs::requireNone}); also run by
     *                  {@link #create} before {@code creator}.
     * @param creator   makes the allocator from valid arguments.
     * @return the factory.
     * @throws NullPointerException when any part is {@code null}.
     */
    static ElementFactory of(
        final Kind kind, final String usage, final Consumer<ElementArgs> validator, final Creator creator)
    {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(creator, "creator");
        return new ElementFactory()
        {
            @Override
            public Kind kind()
            {
                return kind;
            }

            @Override
            public String usage()
            {
                return usage;
            }

            @Override
            public void validate(final ElementArgs args)
            {
                validator.accept(args);
            }

            @Override
            public AllocationCallbacks create(
                final ElementArgs args, final AllocationCallbacks delegate, final ViolationHandler handler)
            {
                validator.accept(args);
                return creator.create(args, delegate, handler);
            }

            @Override
            public String toString()
            {
                return "ElementFactory[" + kind + ", " + usage + "]";
            }
        };
    }
}
