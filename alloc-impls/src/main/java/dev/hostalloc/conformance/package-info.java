/**
 * The conformance checks every {@link dev.hostalloc.api.AllocationCallbacks} implementation must
 * pass, as a plain library (no test framework): {@link dev.hostalloc.conformance.ConformanceSuite}
 * lists the {@link dev.hostalloc.conformance.ConformanceCheck}s, one per rule of the Vulkan "Host
 * Memory" chapter; {@code runAll} produces a {@link dev.hostalloc.conformance.ConformanceReport}.
 * The JUnit kit in the {@code tests} module and {@code ./hostalloc check} run the same checks.
 *
 * <p>Each check wraps the allocator under test in a {@link dev.hostalloc.testkit.RecordingAllocator}
 * and ends by replaying the record through the CTS validator with no scope allowed live.
 */
package dev.hostalloc.conformance;
