package dev.hostalloc.trace;

/**
 * A trace file's footer ({@link TraceFileDescriptor}): what the logger wrote and what it dropped.
 *
 * @param recordsWritten records in the file.
 * @param recordsDropped records lost because the logging ring was full; above 0 the trace has gaps.
 * @param endClock       the header's clock when the logger was closed.
 */
public record TraceFooter(long recordsWritten, long recordsDropped, long endClock)
{
    /**
     * Whether records were lost.
     *
     * @return {@code recordsDropped() > 0}.
     */
    public boolean hasGaps()
    {
        return recordsDropped > 0;
    }
}
