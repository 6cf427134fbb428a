package dev.hostalloc.tests.audit;

import dev.hostalloc.api.SystemAllocationScope;

/**
 * One call an {@link AllocationAudit} saw on a watched allocator while it audited the thread.
 *
 * @param kind      what was called.
 * @param size      bytes asked for (0 for a free).
 * @param alignment the alignment asked for (0 for a free and for internal notifications).
 * @param scope     the scope given, or {@code null} (a free, or a {@code null} scope passed).
 * @param address   the block freed or reallocated, or 0.
 */
public record HostOperation(Kind kind, long size, long alignment, SystemAllocationScope scope, long address)
{
    /** The kinds of host-memory calls. */
    public enum Kind
    {
        /** {@code allocate}. */
        ALLOCATE,
        /** {@code reallocate} to a size above 0 (an allocation, possibly a move). */
        REALLOCATE,
        /** {@code free}, or {@code reallocate} to size 0. */
        FREE,
        /** {@code internalAllocationNotification}: the implementation allocated executable memory. */
        INTERNAL_ALLOCATION,
        /** {@code internalFreeNotification}. */
        INTERNAL_FREE
    }

    /**
     * One line for a failure message.
     *
     * @return e.g. {@code "allocate 64 bytes, alignment 8, scope COMMAND"}.
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(64);
        switch (kind)
        {
            case ALLOCATE -> sb.append("allocate ").append(Long.toUnsignedString(size)).append(" bytes, alignment ")
                .append(alignment);
            case REALLOCATE -> sb.append("reallocate 0x").append(Long.toHexString(address)).append(" to ")
                .append(Long.toUnsignedString(size)).append(" bytes, alignment ").append(alignment);
            case FREE -> sb.append("free 0x").append(Long.toHexString(address));
            case INTERNAL_ALLOCATION -> sb.append("internal (executable) allocation of ").append(size).append(" bytes");
            case INTERNAL_FREE -> sb.append("internal (executable) free of ").append(size).append(" bytes");
        }
        if (null != scope)
        {
            sb.append(", scope ").append(scope.name());
        }
        return sb.toString();
    }
}
