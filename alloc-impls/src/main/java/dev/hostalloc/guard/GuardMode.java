package dev.hostalloc.guard;

/** Which end of each block a {@link GuardPageAllocator} puts against its inaccessible page. */
public enum GuardMode
{
    /**
     * The block's last byte sits right before the guard page (as Electric Fence, DUMA and PageHeap do by
     * default): an overflow faults at its first byte. Spec {@code guard}.
     */
    OVERFLOW,
    /**
     * The block's first byte sits right after the guard page (Electric Fence's {@code EF_PROTECT_BELOW},
     * PageHeap's {@code /backwards}): an underflow faults at its first byte. Spec {@code guard:below}.
     */
    UNDERFLOW
}
