/**
 * The LWJGL bridge between hostalloc and real Vulkan drivers: {@link dev.hostalloc.vulkan.VulkanAllocationCallbacks}
 * turns an {@link dev.hostalloc.api.AllocationCallbacks} into a {@code VkAllocationCallbacks} a driver calls,
 * {@link dev.hostalloc.vulkan.NativeAllocationCallbacks} turns an embedder's native {@code VkAllocationCallbacks}
 * into an {@link dev.hostalloc.api.AllocationCallbacks} Java code calls, and
 * {@link dev.hostalloc.vulkan.VulkanAvailability} says whether a Vulkan implementation is present.
 */
package dev.hostalloc.vulkan;
