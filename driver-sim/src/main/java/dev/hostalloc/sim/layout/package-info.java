/**
 * The memory layouts of driver-sim's objects. Every object's state lives in a block obtained from
 * {@link dev.hostalloc.api.AllocationCallbacks}; a handle is the block's address. Each
 * {@code *Descriptor} class owns one layout: an ASCII diagram, the field offsets and the length.
 * All fields are naturally aligned; blocks are allocated with at least
 * {@link dev.hostalloc.sim.layout.ObjectHeaderDescriptor#OBJECT_ALIGNMENT}.
 */
package dev.hostalloc.sim.layout;
