package dev.hostalloc.lint;

import java.util.Objects;

/**
 * Something the ASM pass saw in a method body that ArchUnit does not record.
 *
 * @param kind   what it is.
 * @param line   the source line, or 0 when the class has no line numbers.
 * @param detail what exactly, for the message (e.g. {@code new long[]}, or the Vulkan function).
 */
record BytecodeFinding(Kind kind, int line, String detail)
{
    /** The kinds the pass reports. */
    enum Kind
    {
        /** {@code NEWARRAY}, {@code ANEWARRAY}, {@code MULTIANEWARRAY}: varargs calls included. */
        ARRAY_CREATION("an array creation"),
        /** {@code invokedynamic} through {@code StringConcatFactory}. */
        STRING_CONCATENATION("a string concatenation"),
        /** {@code invokedynamic} through {@code LambdaMetafactory} that captures values: a new object each time. */
        CAPTURING_LAMBDA("a capturing lambda"),
        /** {@code MONITORENTER}: a {@code synchronized} block. */
        MONITOR_ENTER("a synchronized block"),
        /** A literal {@code null} passed as a Vulkan function's {@code VkAllocationCallbacks} argument. */
        NULL_ALLOCATOR("a NULL pAllocator");

        private final String category;

        Kind(final String category)
        {
            this.category = category;
        }

        /**
         * How a violation message names this kind.
         *
         * @return e.g. {@code "an array creation"}.
         */
        String category()
        {
            return category;
        }
    }

    BytecodeFinding
    {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }
}
