/**
 * Test tools anyone can use on any {@link dev.hostalloc.api.AllocationCallbacks}, modelled on the
 * Vulkan CTS: {@link dev.hostalloc.testkit.RecordingAllocator} records every call,
 * {@link dev.hostalloc.testkit.CallbackValidator} finds every misuse the CTS finds plus leaks per
 * scope, and {@link dev.hostalloc.testkit.DeterministicFailAllocator} fails the N-th allocation.
 */
package dev.hostalloc.testkit;
