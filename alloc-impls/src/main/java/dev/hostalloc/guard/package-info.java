/**
 * The guard-page base allocator, {@link dev.hostalloc.guard.GuardPageAllocator} (spec elements
 * {@code guard}, {@code guard:below}, {@code guard:quarantine=<size>}): every block in its own anonymous
 * mapping against a {@code PROT_NONE} page, freed blocks quarantined {@code PROT_NONE}; the mappings are
 * made through {@code java.lang.foreign} ({@link dev.hostalloc.guard.Pages}).
 */
package dev.hostalloc.guard;
