package dev.hostalloc.api;

/**
 * A kind of allocation-callback misuse. The first nine are the Vulkan CTS's
 * ({@code vkAllocationCallbackUtil.cpp}, {@code AllocationCallbackViolation}); later kinds are
 * hostalloc's own. New kinds are only ever appended, so ordinals stay stable.
 */
public enum Violation
{
    /** A pointer freed twice. */
    DOUBLE_FREE("memory freed twice"),
    /** A pointer freed that was never allocated through these callbacks. */
    FREE_NOT_ALLOCATED_PTR("free of a pointer never allocated through these callbacks"),
    /** A pointer reallocated that was never allocated through these callbacks. */
    REALLOC_NOT_ALLOCATED_PTR("reallocate of a pointer never allocated through these callbacks"),
    /** A pointer reallocated after it was freed. */
    REALLOC_FREED_PTR("reallocate of a freed pointer"),
    /** More internal (EXECUTABLE) memory reported freed than reported allocated, per type and scope. */
    NEGATIVE_INTERNAL_ALLOCATION_TOTAL("internal free larger than the internal allocation total"),
    /** A scope value outside 0..4. */
    INVALID_ALLOCATION_SCOPE("scope outside VkSystemAllocationScope's range"),
    /** An internal allocation type value outside VkInternalAllocationType's range. */
    INVALID_INTERNAL_ALLOCATION_TYPE("internal allocation type outside VkInternalAllocationType's range"),
    /** An alignment that is not a power of two (or above what the implementation can honour). */
    INVALID_ALIGNMENT("alignment is not a power of two"),
    /** A reallocate whose alignment differs from the one the block was allocated with. */
    REALLOC_DIFFERENT_ALIGNMENT("reallocate with an alignment other than the original allocation's"),
    /** A size that is negative read as signed, or that overflows once the implementation's overhead is added. */
    INVALID_SIZE("size too large (negative as signed, or overflowing with the allocator's overhead)"),
    /** A block still live when its scope says it must be gone. */
    LEAK("block still live when its scope must have ended"),
    /**
     * An object created with callbacks was destroyed with none, or with callbacks that cannot free
     * the memory the creating ones made (the first VUID of a vkDestroy* pair, e.g.
     * VUID-vkDestroyBuffer-buffer-00923).
     */
    INCOMPATIBLE_ALLOCATOR("destroyed with callbacks incompatible with those given at create"),
    /**
     * An object created without callbacks was destroyed with some (the second VUID of a vkDestroy*
     * pair, e.g. VUID-vkDestroyBuffer-buffer-00924).
     */
    UNEXPECTED_ALLOCATOR("destroyed with callbacks although none were given at create"),
    /**
     * A free or reallocate of a pointer this allocator instance never returned: one from libc, from
     * LWJGL's {@code memAlloc}, from another allocator instance, or an interior pointer. Detected by the
     * debug allocators (cookies, guard pages); nothing is freed.
     */
    FOREIGN_FREE("free or reallocate of a pointer this allocator never returned"),
    /**
     * The header a debug allocator keeps right before a block was damaged: a buffer underflow or a wild
     * write. The block is leaked rather than freed with untrustworthy metadata.
     */
    HEADER_CORRUPTED("the header before the block was overwritten (buffer underflow or wild write)"),
    /** Bytes after a block's end (a canary or alignment slack) were overwritten: a buffer overflow. */
    BUFFER_OVERFLOW("bytes after the end of the block were overwritten (buffer overflow)"),
    /**
     * Bytes before a block's start that hold no header (a guard-page allocator's fill) were overwritten:
     * a buffer underflow.
     */
    BUFFER_UNDERFLOW("bytes before the start of the block were overwritten (buffer underflow)");

    private final String description;

    Violation(final String description)
    {
        this.description = description;
    }

    /**
     * A one-line description a person can read.
     *
     * @return the description.
     */
    public String description()
    {
        return description;
    }
}
