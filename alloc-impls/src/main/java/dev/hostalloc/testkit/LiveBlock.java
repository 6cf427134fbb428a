package dev.hostalloc.testkit;

import dev.hostalloc.api.SystemAllocationScope;

/**
 * A block still allocated at the end of a recording.
 *
 * @param address     its address.
 * @param size        its size in bytes.
 * @param alignment   its alignment.
 * @param scope       its scope (the scope of the call that last allocated or reallocated it).
 * @param recordIndex the index of that call.
 */
public record LiveBlock(long address, long size, long alignment, SystemAllocationScope scope, int recordIndex)
{
    /**
     * A line a person can read.
     *
     * @return e.g. {@code 0x7f10 (64 bytes, align 8, OBJECT) from call #3}.
     */
    @Override
    public String toString()
    {
        return AllocationRecord.hex(address) + " (" + Long.toUnsignedString(size) + " bytes, align "
            + alignment + ", " + scope + ") from call #" + recordIndex;
    }
}
