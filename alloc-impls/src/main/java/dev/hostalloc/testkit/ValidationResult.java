package dev.hostalloc.testkit;

import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link CallbackValidator} found in a recording: violations, the blocks still live, the
 * internal-allocation totals and the per-scope statistics. Immutable.
 */
public final class ValidationResult
{
    private final List<ValidationError> violations;
    private final List<LiveBlock> liveBlocks;
    private final long[][] internalTotals;
    private final AllocationStatistics statistics;

    ValidationResult(
        final List<ValidationError> violations,
        final List<LiveBlock> liveBlocks,
        final long[][] internalTotals,
        final AllocationStatistics statistics)
    {
        this.violations = List.copyOf(violations);
        this.liveBlocks = List.copyOf(liveBlocks);
        this.internalTotals = new long[internalTotals.length][];
        for (int i = 0; i < internalTotals.length; i++)
        {
            this.internalTotals[i] = internalTotals[i].clone();
        }
        this.statistics = statistics;
    }

    /**
     * The misuse found, in record order.
     *
     * @return an unmodifiable list.
     */
    public List<ValidationError> violations()
    {
        return violations;
    }

    /**
     * The blocks still live at the end of the recording, in allocation order.
     *
     * @return an unmodifiable list.
     */
    public List<LiveBlock> liveBlocks()
    {
        return liveBlocks;
    }

    /**
     * How many blocks of a scope are still live.
     *
     * @param scope the scope.
     * @return the count.
     */
    public long liveCount(final SystemAllocationScope scope)
    {
        long count = 0;
        for (final LiveBlock block : liveBlocks)
        {
            if (block.scope() == scope)
            {
                count++;
            }
        }
        return count;
    }

    /**
     * The outstanding internal-allocation total of a type and scope.
     *
     * @param type  the type.
     * @param scope the scope.
     * @return bytes reported allocated and not yet reported freed.
     */
    public long internalTotal(final InternalAllocationType type, final SystemAllocationScope scope)
    {
        return internalTotals[type.ordinal()][scope.ordinal()];
    }

    /**
     * Per-scope statistics of the recording.
     *
     * @return the statistics.
     */
    public AllocationStatistics statistics()
    {
        return statistics;
    }

    /**
     * The CTS's {@code checkAndLog}: a live block, or a non-zero internal total, in a scope whose bit
     * is not in {@code allowedLiveScopeMask} is a leak.
     *
     * @param allowedLiveScopeMask {@link SystemAllocationScope#bit()}s of the scopes that may still be
     *                             live; 0 after everything was destroyed.
     * @return the report; passed when there are no violations and no leaks.
     */
    public ValidationReport check(final int allowedLiveScopeMask)
    {
        final List<LiveBlock> leaks = new ArrayList<>();
        for (final LiveBlock block : liveBlocks)
        {
            if (null == block.scope() || (allowedLiveScopeMask & block.scope().bit()) == 0)
            {
                leaks.add(block);
            }
        }
        final List<InternalLeak> internalLeaks = new ArrayList<>();
        for (final InternalAllocationType type : InternalAllocationType.values())
        {
            for (final SystemAllocationScope scope : SystemAllocationScope.values())
            {
                final long total = internalTotal(type, scope);
                if (total != 0 && (allowedLiveScopeMask & scope.bit()) == 0)
                {
                    internalLeaks.add(new InternalLeak(type, scope, total));
                }
            }
        }
        return new ValidationReport(violations, leaks, internalLeaks, statistics);
    }
}
