package dev.hostalloc.conformance;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.testkit.RecordingAllocator;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One rule of the Vulkan "Host Memory" chapter, checked against an {@link AllocationCallbacks}
 * implementation. Each run takes a fresh allocator from the factory, wraps it in a
 * {@link RecordingAllocator}, exercises the rule, and finally replays every recorded call through
 * the CTS validator: a check passes only when nothing is left live and no misuse shows (this also
 * catches a {@code reallocate(p, 0)} that returns a pointer, or a block the implementation reuses
 * while still live).
 *
 * <p>The standard checks come from {@link ConformanceSuite#standard()}.
 */
public final class ConformanceCheck
{
    /** The body of a check: exercises one rule through the recording context. */
    @FunctionalInterface
    interface Body
    {
        void run(CheckContext context);
    }

    private final String name;
    private final String rule;
    private final Body body;

    ConformanceCheck(final String name, final String rule, final Body body)
    {
        this.name = Objects.requireNonNull(name, "name");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.body = Objects.requireNonNull(body, "body");
    }

    /**
     * The check's short name, unique in its suite, e.g. {@code "reallocate-grow"}.
     *
     * @return the name (lower case, words joined by {@code -}).
     */
    public String name()
    {
        return name;
    }

    /**
     * The rule checked, in one line.
     *
     * @return e.g. {@code "reallocate to a larger size keeps bytes [0, old size)"}.
     */
    public String rule()
    {
        return rule;
    }

    /**
     * Runs the check once on a fresh allocator from {@code factory}.
     *
     * @param factory makes the allocator under test; called once per run.
     * @throws ConformanceFailure when the allocator breaks the rule (or throws, or the call record
     *                            fails CTS validation).
     * @throws ConformanceSkipped when the rule does not apply to this allocator (e.g. the
     *                            concurrency check on an allocator that is not thread-safe), with
     *                            the reason.
     */
    public void run(final Supplier<? extends AllocationCallbacks> factory)
    {
        final AllocationCallbacks callbacks;
        try
        {
            callbacks = factory.get();
        }
        catch (final RuntimeException ex)
        {
            throw new ConformanceFailure("the factory threw " + ex + " instead of making the allocator under test", ex);
        }
        if (null == callbacks)
        {
            throw new ConformanceFailure("the factory returned null instead of the allocator under test");
        }
        final CheckContext context = new CheckContext(new RecordingAllocator(callbacks));
        body.run(context);
        context.verifyRecord();
    }

    @Override
    public String toString()
    {
        return name + ": " + rule;
    }
}
