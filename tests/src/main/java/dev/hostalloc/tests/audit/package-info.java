/**
 * Proof that a code path allocates nothing: {@link dev.hostalloc.tests.audit.AllocationAudit}
 * ({@code audit.run(() -> ...)}) and the JUnit 5 annotation
 * {@link dev.hostalloc.tests.audit.NoAllocation @NoAllocation} fail when the audited thread
 * allocates Java heap bytes or calls a watched hostalloc allocator, and say what it allocated.
 */
package dev.hostalloc.tests.audit;
