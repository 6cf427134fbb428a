package dev.hostalloc.trace;

/**
 * A trace file's header ({@link TraceFileDescriptor}).
 *
 * @param version         the format version.
 * @param recordLength    bytes per record.
 * @param clock           the clock id, {@link TraceFileDescriptor#CLOCK_NANO_TIME} or
 *                        {@link TraceFileDescriptor#CLOCK_CACHED_NANO_TIME}.
 * @param startClock      the clock when the trace was opened; record timestamps are on the same clock.
 * @param startEpochNanos the wall clock then, nanoseconds since 1970-01-01T00:00Z.
 * @param ringCapacity    the logging ring's capacity in bytes.
 * @param pid             the recording process's id.
 */
public record TraceHeader(
    int version, int recordLength, int clock, long startClock, long startEpochNanos, int ringCapacity, long pid)
{
    /**
     * Nanoseconds from the start of the trace to a record's timestamp.
     *
     * @param timestamp a record's timestamp.
     * @return {@code timestamp - startClock()}.
     */
    public long elapsedNanos(final long timestamp)
    {
        return timestamp - startClock;
    }
}
