/**
 * The hostalloc contract: {@link dev.hostalloc.api.AllocationCallbacks} with Vulkan's exact
 * semantics, its scopes, traits, misuse kinds and violation handling. No dependencies.
 */
package dev.hostalloc.api;
