package dev.hostalloc.api;

import java.util.Locale;

/** The standard {@link ViolationHandler} policies, selectable by name (e.g. from the command line). */
public enum ViolationPolicy
{
    /** Throw {@link AllocationViolationException}: for tests. */
    THROW,
    /** Count per kind and keep the first details; never throw: for production and native callers. */
    RECORD_AND_COUNT,
    /** Print the report to standard error and halt the JVM. */
    ABORT;

    /**
     * A handler implementing this policy.
     *
     * @return a handler; {@link #RECORD_AND_COUNT} returns a new one each time.
     */
    public ViolationHandler newHandler()
    {
        return switch (this)
        {
            case THROW -> ViolationHandler.throwing();
            case RECORD_AND_COUNT -> ViolationHandler.recordAndCount();
            case ABORT -> ViolationHandler.aborting();
        };
    }

    /**
     * Parses a policy name, case-insensitively, with {@code -} accepted for {@code _}.
     *
     * @param name e.g. {@code "throw"}, {@code "record-and-count"}, {@code "abort"}.
     * @return the policy.
     * @throws IllegalArgumentException naming the valid policies when {@code name} is none of them.
     */
    public static ViolationPolicy parse(final String name)
    {
        final String normalized = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (final ViolationPolicy policy : values())
        {
            if (policy.name().equals(normalized))
            {
                return policy;
            }
        }
        throw new IllegalArgumentException(
            "unknown violation policy '" + name + "'; valid: throw, record-and-count, abort");
    }
}
