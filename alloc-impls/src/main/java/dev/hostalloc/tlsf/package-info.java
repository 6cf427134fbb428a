/**
 * A real-time allocator: {@link dev.hostalloc.tlsf.TlsfAllocator}, Two-Level Segregated Fit over
 * one fixed arena (O(1) allocate, free and reallocate, every power-of-two alignment, 16 bytes of
 * overhead per block), owned by one thread or shared through a lock that never parks, with
 * per-component sub-pools. Spec element: {@code tlsf:<size>} ({@link dev.hostalloc.tlsf.TlsfElement}).
 */
package dev.hostalloc.tlsf;
