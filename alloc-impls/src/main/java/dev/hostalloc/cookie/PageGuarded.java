package dev.hostalloc.cookie;

import dev.hostalloc.api.AllocationCallbacks;

/**
 * An allocator whose blocks sit against inaccessible pages and whose freed memory becomes inaccessible,
 * such as {@code dev.hostalloc.guard.GuardPageAllocator}. The {@code cookies} spec element adapts its
 * defaults when stacked directly on one ({@link CookieElement}): it reads no header of a block that may
 * be freed (strict mode), and, when the delegate guards the blocks' ends, adds no canary, so the block
 * the caller gets still ends flush against the guard page. {@link CookieAllocator} itself knows only the
 * {@link AllocationCallbacks} it wraps.
 */
public interface PageGuarded extends AllocationCallbacks
{
    /**
     * Whether the end of every block whose size is a multiple of its alignment sits right before an
     * inaccessible page.
     *
     * @return {@code true} when an overflow of such a block faults at its first byte.
     */
    boolean blockEndsAtGuardPage();
}
