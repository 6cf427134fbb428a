package dev.hostalloc.testkit;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a recording and finds every misuse the Vulkan CTS's {@code validateAllocationCallbacks}
 * finds, in record order:
 * <ol>
 *   <li>a scope outside 0..4 (allocation, reallocation, internal notifications): INVALID_ALLOCATION_SCOPE;</li>
 *   <li>an alignment that is not a power of two: INVALID_ALIGNMENT;</li>
 *   <li>a non-NULL allocation result becomes live;</li>
 *   <li>reallocation of a known pointer: size above 0 with another alignment: REALLOC_DIFFERENT_ALIGNMENT;
 *       the same pointer returned for a dead block: REALLOC_FREED_PTR; a new non-NULL pointer: old dead,
 *       new live; NULL returned: the original stays live; size 0: the block dies;</li>
 *   <li>reallocation of an unknown non-NULL pointer: REALLOC_NOT_ALLOCATED_PTR (a NULL original is an allocation);</li>
 *   <li>free(NULL) ignored; a dead pointer: DOUBLE_FREE; an unknown one: FREE_NOT_ALLOCATED_PTR;</li>
 *   <li>internal notifications: a type out of range: INVALID_INTERNAL_ALLOCATION_TYPE; a running total
 *       per type and scope; a free larger than the total: NEGATIVE_INTERNAL_ALLOCATION_TOTAL;</li>
 *   <li>every still-live block is reported.</li>
 * </ol>
 * Stricter than the CTS in two places, both real misuse the CTS lets through: a reallocation of a dead
 * block is REALLOC_FREED_PTR whatever it returns, and a size that is negative read as signed (2^63 or
 * more) is INVALID_SIZE.
 */
public final class CallbackValidator
{
    private CallbackValidator()
    {
    }

    /**
     * Validates a recording.
     *
     * @param records the calls, in the order they happened.
     * @return the violations, live blocks, internal totals and statistics.
     */
    public static ValidationResult validate(final List<AllocationRecord> records)
    {
        return new Replay().run(records);
    }

    private static final class Slot
    {
        AllocationRecord record;
        int recordIndex;
        boolean live;
        final long alignment; // of the first allocation: a wrong reallocate alignment does not change it

        Slot(final AllocationRecord record, final int recordIndex, final long alignment)
        {
            this.record = record;
            this.recordIndex = recordIndex;
            this.live = true;
            this.alignment = alignment;
        }

        long size()
        {
            return record.size();
        }
    }

    private static final class Replay
    {
        private final Map<Long, Slot> slots = new HashMap<>();
        private final List<ValidationError> violations = new ArrayList<>();
        private final long[][] internalTotals = new long[InternalAllocationType.COUNT][SystemAllocationScope.COUNT];
        private final long[] allocations = new long[SystemAllocationScope.COUNT];
        private final long[] reallocations = new long[SystemAllocationScope.COUNT];
        private final long[] failures = new long[SystemAllocationScope.COUNT];
        private final long[] bytesAllocated = new long[SystemAllocationScope.COUNT];
        private long frees;
        private long liveBytes;
        private long liveBlocks;
        private long peakLiveBytes;
        private long peakLiveBlocks;

        ValidationResult run(final List<AllocationRecord> records)
        {
            for (int i = 0; i < records.size(); i++)
            {
                final AllocationRecord record = records.get(i);
                checkScope(record, i);
                switch (record.kind())
                {
                    case ALLOCATION ->
                    {
                        checkAlignmentAndSize(record, i);
                        onAllocation(record, i);
                    }
                    case REALLOCATION ->
                    {
                        checkAlignmentAndSize(record, i);
                        onReallocation(record, i);
                    }
                    case FREE -> onFree(record, i);
                    case INTERNAL_ALLOCATION, INTERNAL_FREE -> onInternal(record, i);
                }
            }

            final List<LiveBlock> live = new ArrayList<>();
            for (final Slot slot : slots.values())
            {
                if (slot.live)
                {
                    final AllocationRecord r = slot.record;
                    live.add(new LiveBlock(r.returned(), r.size(), slot.alignment, r.scopeOrNull(), slot.recordIndex));
                }
            }
            live.sort((a, b) -> Integer.compare(a.recordIndex(), b.recordIndex()));

            final AllocationStatistics statistics = new AllocationStatistics(
                allocations, reallocations, failures, bytesAllocated, frees, peakLiveBytes, peakLiveBlocks);
            return new ValidationResult(violations, live, internalTotals, statistics);
        }

        private void checkScope(final AllocationRecord record, final int index)
        {
            if (record.kind() != AllocationRecord.Kind.FREE && !SystemAllocationScope.isValid(record.scope()))
            {
                violations.add(new ValidationError(Violation.INVALID_ALLOCATION_SCOPE, index, record));
            }
        }

        private void checkAlignmentAndSize(final AllocationRecord record, final int index)
        {
            if (!Alignment.isPowerOfTwo(record.alignment()))
            {
                violations.add(new ValidationError(Violation.INVALID_ALIGNMENT, index, record));
            }
            if (record.size() < 0)
            {
                violations.add(new ValidationError(Violation.INVALID_SIZE, index, record));
            }
        }

        private void onAllocation(final AllocationRecord record, final int index)
        {
            if (record.returned() != 0)
            {
                makeLive(record, index, record.alignment());
                countAllocation(allocations, record);
            }
            else if (record.size() != 0)
            {
                countFailure(record);
            }
        }

        private void onReallocation(final AllocationRecord record, final int index)
        {
            final long original = record.original();
            final Slot originalSlot = original == 0 ? null : slots.get(original);
            if (null == originalSlot)
            {
                if (original != 0)
                {
                    violations.add(new ValidationError(Violation.REALLOC_NOT_ALLOCATED_PTR, index, record));
                }
                onAllocation(record, index);
                return;
            }
            final long alignment = originalSlot.alignment;

            if (!originalSlot.live)
            {
                violations.add(new ValidationError(Violation.REALLOC_FREED_PTR, index, record));
                if (record.size() == 0)
                {
                    return;
                }
                // Mark live to suppress compound errors, as the CTS does; the old size no longer counts.
                originalSlot.live = true;
                liveBlocks++;
                liveBytes += originalSlot.size();
            }

            if (record.size() == 0)
            {
                kill(originalSlot);
                frees++;
                if (record.returned() != 0)
                {
                    // Spec: must return NULL. Keep what came back live so it shows as a leak.
                    makeLive(record, index, alignment);
                }
                return;
            }

            if (alignment != record.alignment())
            {
                violations.add(new ValidationError(Violation.REALLOC_DIFFERENT_ALIGNMENT, index, record));
            }

            if (record.returned() == original)
            {
                liveBytes += record.size() - originalSlot.size();
                notePeak();
                originalSlot.record = record;
                originalSlot.recordIndex = index;
                countAllocation(reallocations, record);
            }
            else if (record.returned() != 0)
            {
                kill(originalSlot);
                makeLive(record, index, alignment);
                countAllocation(reallocations, record);
            }
            else
            {
                countFailure(record); // the original stays live
            }
        }

        private void onFree(final AllocationRecord record, final int index)
        {
            final long memory = record.original();
            if (memory == 0)
            {
                return;
            }
            final Slot slot = slots.get(memory);
            if (null == slot)
            {
                violations.add(new ValidationError(Violation.FREE_NOT_ALLOCATED_PTR, index, record));
            }
            else if (!slot.live)
            {
                violations.add(new ValidationError(Violation.DOUBLE_FREE, index, record));
            }
            else
            {
                kill(slot);
                frees++;
            }
        }

        private void onInternal(final AllocationRecord record, final int index)
        {
            if (!InternalAllocationType.isValid(record.internalType()))
            {
                violations.add(new ValidationError(Violation.INVALID_INTERNAL_ALLOCATION_TYPE, index, record));
                return;
            }
            if (!SystemAllocationScope.isValid(record.scope()))
            {
                return; // already reported; no total to keep for an invalid scope
            }
            final long[] totals = internalTotals[record.internalType()];
            final int scope = record.scope();
            if (record.kind() == AllocationRecord.Kind.INTERNAL_ALLOCATION)
            {
                totals[scope] += record.size();
            }
            else if (Long.compareUnsigned(totals[scope], record.size()) < 0)
            {
                violations.add(new ValidationError(Violation.NEGATIVE_INTERNAL_ALLOCATION_TOTAL, index, record));
                totals[scope] = 0; // reset to suppress compound errors, as the CTS does
            }
            else
            {
                totals[scope] -= record.size();
            }
        }

        private void makeLive(final AllocationRecord record, final int index, final long alignment)
        {
            final Slot existing = slots.get(record.returned());
            if (null != existing && existing.live)
            {
                // The implementation handed out a live block twice; the old owner's block is overwritten.
                kill(existing);
            }
            slots.put(record.returned(), new Slot(record, index, alignment));
            liveBlocks++;
            liveBytes += record.size();
            notePeak();
        }

        private void kill(final Slot slot)
        {
            slot.live = false;
            liveBlocks--;
            liveBytes -= slot.size();
        }

        private void notePeak()
        {
            peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
            peakLiveBlocks = Math.max(peakLiveBlocks, liveBlocks);
        }

        private void countAllocation(final long[] counts, final AllocationRecord record)
        {
            if (SystemAllocationScope.isValid(record.scope()))
            {
                counts[record.scope()]++;
                bytesAllocated[record.scope()] += record.size();
            }
        }

        private void countFailure(final AllocationRecord record)
        {
            if (SystemAllocationScope.isValid(record.scope()))
            {
                failures[record.scope()]++;
            }
        }
    }
}
