package dev.hostalloc.testkit;

import dev.hostalloc.api.Violation;

/**
 * One misuse found by {@link CallbackValidator}.
 *
 * @param violation   the kind of misuse.
 * @param recordIndex the index of the offending call in the recording.
 * @param record      the offending call.
 */
public record ValidationError(Violation violation, int recordIndex, AllocationRecord record)
{
    /**
     * A line a person can read.
     *
     * @return e.g. {@code DOUBLE_FREE at call #12: FREE 0x7f10 (memory freed twice)}.
     */
    @Override
    public String toString()
    {
        return violation.name() + " at call #" + recordIndex + ": " + record + " (" + violation.description() + ")";
    }
}
