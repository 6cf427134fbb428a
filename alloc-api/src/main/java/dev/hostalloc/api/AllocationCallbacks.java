package dev.hostalloc.api;

/**
 * Host memory for driver and renderer code, with the exact semantics of Vulkan's
 * {@code VkAllocationCallbacks} (specification chapter "Host Memory"). All off-heap memory in a
 * hostalloc application goes through one of these, so debugging, accounting and Vulkan callbacks
 * see every byte.
 *
 * <p>Rules every implementation follows (they are normative: the conformance kit checks them):
 * <ul>
 *   <li>{@code alignment} is a power of two, possibly below {@code malloc}'s guarantee (1, 2, 4);
 *       a returned address is a multiple of it and covers at least {@code size} bytes.</li>
 *   <li>Failure is a return of 0 (NULL), never an exception. Misuse (bad alignment, a size that is
 *       negative read as signed or overflows the implementation's overhead, a foreign or freed pointer)
 *       also returns 0 or does nothing, and is reported to the implementation's
 *       {@link ViolationHandler}; nothing is corrupted.</li>
 *   <li>Size 0 (the spec is silent): hostalloc's implementations answer {@link #allocate} of size 0
 *       with a unique block that must be freed and must not be accessed, as glibc's {@code malloc(0)}
 *       and Mesa's default allocator do. NULL would read as out of memory to a driver: lavapipe
 *       (Mesa 22.3.6) asks for 0 bytes in {@code vkCmdPipelineBarrier}, fails on NULL and then frees a
 *       pointer it never got. Callbacks supplied by an integrator may return either; the conformance
 *       kit accepts both as long as the block can be freed. {@link #reallocate} to size 0 always frees
 *       and returns 0.</li>
 *   <li>Sizes are unsigned in Vulkan ({@code size_t}); a negative {@code long} is a size of 2^63 or
 *       more and is refused.</li>
 *   <li>Implementations are called on the thread that made the API call; they lock themselves if
 *       they share state, and {@link #traits()} says whether they do.</li>
 *   <li>None of these methods may call back into Vulkan.</li>
 * </ul>
 */
public interface AllocationCallbacks
{
    /**
     * Allocates {@code size} bytes aligned to {@code alignment} ({@code pfnAllocation}).
     *
     * @param size      bytes wanted; for 0 see the class comment.
     * @param alignment a power of two; the result is a multiple of it.
     * @param scope     how long the memory lives.
     * @return the address of at least {@code size} bytes, or 0 when the memory cannot be had or the
     *         request is invalid. Never throws for failure.
     */
    long allocate(long size, long alignment, SystemAllocationScope scope);

    /**
     * Resizes a block ({@code pfnReallocation}).
     * <ul>
     *   <li>{@code original == 0}: behaves exactly like {@link #allocate}.</li>
     *   <li>{@code size == 0}: behaves exactly like {@link #free}({@code original}) and returns 0.</li>
     *   <li>Otherwise bytes {@code [0, min(oldSize, size))} are kept; bytes beyond are undefined; if the
     *       block moves, the old one is freed.</li>
     *   <li>{@code alignment} must equal the one {@code original} was allocated with; the result keeps it.</li>
     *   <li>On failure 0 is returned and {@code original} stays valid and untouched: the caller still
     *       owns it.</li>
     * </ul>
     *
     * @param original  a live block from these callbacks, or 0.
     * @param size      the new size in bytes.
     * @param alignment the original allocation's alignment.
     * @param scope     how long the memory lives.
     * @return the resized block's address (possibly {@code original}), or 0.
     */
    long reallocate(long original, long size, long alignment, SystemAllocationScope scope);

    /**
     * Frees a block ({@code pfnFree}).
     *
     * @param memory a live block from these callbacks, or 0, which is a no-op.
     */
    void free(long memory);

    /**
     * Informs that the implementation allocated memory by its own means
     * ({@code pfnInternalAllocation}); purely informational.
     *
     * @param size  bytes allocated.
     * @param type  the kind of memory.
     * @param scope how long it lives.
     */
    default void internalAllocationNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
    }

    /**
     * Informs that the implementation freed memory it allocated by its own means
     * ({@code pfnInternalFree}); purely informational.
     *
     * @param size  bytes freed.
     * @param type  the kind of memory.
     * @param scope how long it lived.
     */
    default void internalFreeNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
    }

    /**
     * What this implementation promises.
     *
     * @return {@link AllocatorTraits#UNDECLARED} unless the implementation declares its own.
     */
    default AllocatorTraits traits()
    {
        return AllocatorTraits.UNDECLARED;
    }

    /**
     * The spec's most-specific-allocator rule, as Mesa's {@code vk_alloc2}: the allocator given for an
     * object wins over its parent's (device, then instance). Driver code calls it once per API call.
     *
     * @param specific the allocator passed to this call, or {@code null}.
     * @param parent   the parent object's allocator (already resolved the same way), or {@code null}.
     * @return {@code specific} when not {@code null}, else {@code parent} (which may be {@code null},
     *         meaning the implementation's own mechanism).
     */
    @RealtimeSafe
    static AllocationCallbacks select(final AllocationCallbacks specific, final AllocationCallbacks parent)
    {
        return null != specific ? specific : parent;
    }
}
