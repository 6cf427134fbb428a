/**
 * The JUnit 5 conformance kit: {@link dev.hostalloc.tests.conformance.AllocationCallbacksConformanceTest}
 * turns every check of {@link dev.hostalloc.conformance.ConformanceSuite} into a test of an
 * integrator's {@link dev.hostalloc.api.AllocationCallbacks}.
 */
package dev.hostalloc.tests.conformance;
