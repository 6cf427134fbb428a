/**
 * The libc-backed base allocator, {@link dev.hostalloc.system.SystemAllocator}, and the layout of its
 * block header, {@link dev.hostalloc.system.SystemBlockDescriptor}.
 */
package dev.hostalloc.system;
