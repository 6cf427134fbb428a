/**
 * driver-sim: a simulated Vulkan-style driver ({@link dev.hostalloc.sim.SimDriver}) whose every byte
 * of object state comes from {@link dev.hostalloc.api.AllocationCallbacks}, following the spec's Host
 * Memory chapter (scopes, the most-specific-allocator rule, out-of-memory cleanup, null handles for
 * multi-object calls, allocator compatibility on destroy), plus compliance levels on the callbacks'
 * traits ({@link dev.hostalloc.sim.AllocatorRequirements}). Object layouts are in
 * {@code dev.hostalloc.sim.layout}; workloads and the CTS object-management recipes in
 * {@code dev.hostalloc.sim.workload}.
 */
package dev.hostalloc.sim;
