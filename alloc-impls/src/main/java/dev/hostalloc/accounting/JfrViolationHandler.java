package dev.hostalloc.accounting;

import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;

import java.util.Objects;

/**
 * Wraps any {@link ViolationHandler} so that every violation also becomes a Flight Recorder event
 * ({@value AccountingEvents#VIOLATION}) before the wrapped handler sees it. Give it to a whole stack,
 * and every decorator's reports show up in the recording:
 * {@code Allocators.fromSpec(spec, JfrViolationHandler.wrap(ViolationHandler.recordAndCount()))}.
 *
 * <p>No event object is created while the event is not enabled in a running recording. Thread-safe when
 * the wrapped handler is.
 */
public final class JfrViolationHandler implements ViolationHandler
{
    private final ViolationHandler delegate;

    private JfrViolationHandler(final ViolationHandler delegate)
    {
        this.delegate = delegate;
    }

    /**
     * Wraps a handler.
     *
     * @param delegate the handler that decides what a violation does (count, throw, abort).
     * @return the wrapping handler.
     * @throws NullPointerException when {@code delegate} is {@code null}.
     */
    public static JfrViolationHandler wrap(final ViolationHandler delegate)
    {
        return new JfrViolationHandler(Objects.requireNonNull(delegate, "delegate"));
    }

    /**
     * The wrapped handler.
     *
     * @return the handler given to {@link #wrap}.
     */
    public ViolationHandler delegate()
    {
        return delegate;
    }

    /**
     * Emits the event (when enabled), then reports to the wrapped handler.
     *
     * @throws dev.hostalloc.api.AllocationViolationException when the wrapped handler throws it.
     */
    @Override
    public void onViolation(
        final Violation violation, final long address, final long size, final SystemAllocationScope scope, final String detail)
    {
        AccountingEvents.violation(violation.name(), address, size, scope, detail);
        delegate.onViolation(violation, address, size, scope, detail);
    }

    @Override
    public String toString()
    {
        return "JfrViolationHandler[" + delegate + "]";
    }
}
