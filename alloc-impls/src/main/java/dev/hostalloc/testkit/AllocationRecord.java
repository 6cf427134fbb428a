package dev.hostalloc.testkit;

import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;

/**
 * One call to an {@link dev.hostalloc.api.AllocationCallbacks}, as the Vulkan CTS's
 * {@code AllocationCallbackRecorder} keeps it. Scope and type are raw Vulkan values so records
 * coming from native code or a trace file can carry invalid ones for the validator to catch.
 *
 * @param kind         which callback was called.
 * @param original     REALLOCATION: the original pointer; FREE: the freed pointer; otherwise 0.
 * @param size         the size passed (unsigned); 0 for FREE.
 * @param alignment    the alignment passed; 0 for FREE and internal notifications.
 * @param scope        the raw {@code VkSystemAllocationScope} value, or {@link #NO_VALUE} for FREE.
 * @param internalType the raw {@code VkInternalAllocationType} value for internal notifications,
 *                     otherwise {@link #NO_VALUE}.
 * @param returned     the pointer returned by ALLOCATION or REALLOCATION, otherwise 0.
 */
public record AllocationRecord(
    Kind kind, long original, long size, long alignment, int scope, int internalType, long returned)
{
    /** Sentinel for {@link #scope()} or {@link #internalType()} when the call has none. */
    public static final int NO_VALUE = -1;

    /** The callbacks of {@code VkAllocationCallbacks}. */
    public enum Kind
    {
        /** {@code pfnAllocation}. */
        ALLOCATION,
        /** {@code pfnReallocation}. */
        REALLOCATION,
        /** {@code pfnFree}. */
        FREE,
        /** {@code pfnInternalAllocation}. */
        INTERNAL_ALLOCATION,
        /** {@code pfnInternalFree}. */
        INTERNAL_FREE
    }

    /**
     * The scope as an enum.
     *
     * @return the scope, or {@code null} when the raw value is absent or invalid.
     */
    public SystemAllocationScope scopeOrNull()
    {
        return SystemAllocationScope.fromValueOrNull(scope);
    }

    /**
     * A line a person can read, e.g. {@code REALLOCATION 0x7f10 -> 0x7f80 (128 bytes, align 16, OBJECT)}.
     *
     * @return the description.
     */
    @Override
    public String toString()
    {
        final StringBuilder sb = new StringBuilder(96).append(kind.name());
        switch (kind)
        {
            case ALLOCATION -> appendSized(sb.append(" -> ").append(hex(returned)));
            case REALLOCATION -> appendSized(sb.append(' ').append(hex(original)).append(" -> ").append(hex(returned)));
            case FREE -> sb.append(' ').append(hex(original));
            case INTERNAL_ALLOCATION, INTERNAL_FREE ->
            {
                final InternalAllocationType type = InternalAllocationType.fromValueOrNull(internalType);
                sb.append(" (").append(Long.toUnsignedString(size)).append(" bytes, ")
                    .append(null == type ? "invalid type " + internalType : type.name()).append(", ")
                    .append(scopeName()).append(')');
            }
        }
        return sb.toString();
    }

    private void appendSized(final StringBuilder sb)
    {
        sb.append(" (").append(Long.toUnsignedString(size)).append(" bytes, align ")
            .append(Long.toUnsignedString(alignment)).append(", ").append(scopeName()).append(')');
    }

    private String scopeName()
    {
        final SystemAllocationScope s = scopeOrNull();
        return null == s ? "invalid scope " + scope : s.name();
    }

    static String hex(final long address)
    {
        return "0x" + Long.toHexString(address);
    }
}
