/**
 * hostalloc's allocation discipline as ArchUnit rules: {@link dev.hostalloc.lint.HostAllocationRules}
 * (no direct allocation outside opted-out code, reasons for every opt-out, Vulkan only through the
 * callbacks, {@code @RealtimeSafe} paths that allocate and block nothing), their gradual-adoption form
 * {@link dev.hostalloc.lint.FrozenHostAllocationRules}, and hostalloc's own module layering
 * {@link dev.hostalloc.lint.HostallocLayering}.
 */
package dev.hostalloc.lint;
