/**
 * The cookie decorator, {@link dev.hostalloc.cookie.CookieAllocator} (spec element {@code cookies}): a
 * header with a cookie before each block and a canary after it catch foreign, double and mixed frees,
 * underflows and overflows; strict mode identifies pointers through a lock-free
 * {@link dev.hostalloc.cookie.BlockRegistry} instead of reading memory. Also the pieces the debug
 * allocators share: the registry, {@link dev.hostalloc.cookie.RecentlyFreed} and
 * {@link dev.hostalloc.cookie.AllocationSites}.
 */
package dev.hostalloc.cookie;
