package dev.hostalloc.accounting;

import dev.hostalloc.api.SystemAllocationScope;

import java.util.Objects;

/**
 * One account's figures for one allocation scope.
 *
 * @param scope        the scope.
 * @param currentBytes bytes live in this scope.
 * @param peakBytes    the highest {@code currentBytes} (exact with one thread, an upper bound otherwise).
 * @param liveBlocks   blocks live in this scope.
 * @param allocations  blocks allocated in this scope so far.
 */
public record ScopeFigures(
    SystemAllocationScope scope, long currentBytes, long peakBytes, long liveBlocks, long allocations)
{
    /**
     * Validates the figures.
     *
     * @throws NullPointerException when {@code scope} is {@code null}.
     */
    public ScopeFigures
    {
        Objects.requireNonNull(scope, "scope");
    }
}
