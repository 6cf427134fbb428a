/**
 * Allocator stacks chosen by one spec string ({@code -Dhostalloc.callbacks=cookies,accounting,system}):
 * the syntax ({@link dev.hostalloc.stack.AllocatorSpec}, {@link dev.hostalloc.stack.ElementArgs}),
 * the element registry and builder ({@link dev.hostalloc.stack.Allocators},
 * {@link dev.hostalloc.stack.ElementFactory}).
 */
package dev.hostalloc.stack;
