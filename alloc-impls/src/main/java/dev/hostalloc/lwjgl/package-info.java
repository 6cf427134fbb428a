/**
 * LWJGL's own off-heap allocations routed through a hostalloc stack:
 * {@link dev.hostalloc.lwjgl.HostallocMemoryAllocator} implements LWJGL's
 * {@code MemoryUtil.MemoryAllocator}, so {@code memAlloc}, struct {@code malloc()}/{@code calloc()},
 * {@code memAlignedAlloc} and native libraries that use LWJGL's allocator function pointers all reach
 * the same {@link dev.hostalloc.api.AllocationCallbacks} as the Vulkan driver. An unmodified LWJGL
 * application is routed with
 * {@code -Dorg.lwjgl.system.allocator=dev.hostalloc.lwjgl.HostallocMemoryAllocator -Dhostalloc.callbacks=<spec>}
 * (and {@code -Dhostalloc.report=<file>} for a JSON report at exit).
 */
package dev.hostalloc.lwjgl;
