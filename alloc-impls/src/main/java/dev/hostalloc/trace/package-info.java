/**
 * hostalloc trace files: their layout ({@link dev.hostalloc.trace.TraceFileDescriptor},
 * {@link dev.hostalloc.trace.TraceRecordDescriptor}; {@code docs/trace-format.md}), the
 * {@link dev.hostalloc.trace.TraceReader}, text and JSON Lines forms
 * ({@link dev.hostalloc.trace.TraceLines}), the {@link dev.hostalloc.trace.TraceReplayer} that replays a
 * trace against any allocator stack, and the self-contained HTML
 * {@link dev.hostalloc.trace.TraceReport}.
 */
package dev.hostalloc.trace;
