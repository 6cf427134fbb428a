/**
 * Allocation-trace logging that never blocks or allocates on the caller's thread:
 * {@link dev.hostalloc.logging.LoggingAllocator} (spec element {@code logging:<file>}, built by
 * {@link dev.hostalloc.logging.LoggingElement}) writes every call as a fixed-size record through an
 * Agrona ring buffer to a trace file that {@link dev.hostalloc.trace} reads, replays and reports on.
 */
package dev.hostalloc.logging;
