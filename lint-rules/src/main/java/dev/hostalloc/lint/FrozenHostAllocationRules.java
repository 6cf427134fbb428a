package dev.hostalloc.lint;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;

/**
 * {@link HostAllocationRules} for gradual adoption: each rule wrapped in {@link FreezingArchRule}, so
 * an existing codebase records today's violations once and then fails only on new ones (and the
 * record shrinks as old ones are fixed). One line, as with the plain rules:
 * {@code @ArchTest static final ArchTests HOSTALLOC = ArchTests.in(FrozenHostAllocationRules.class);}
 *
 * <p>Set the store up in {@code src/test/resources/archunit.properties}:
 * <pre>
 * freeze.store.default.path=src/test/resources/archunit_store
 * # creating the store is allowed locally; CI passes -Darchunit.freeze.store.default.allowStoreCreation=false
 * freeze.store.default.allowStoreCreation=true
 * freeze.store.default.allowStoreUpdate=true
 * </pre>
 * and commit the store. In CI, pass {@code -Darchunit.freeze.store.default.allowStoreCreation=false} and
 * {@code -Darchunit.freeze.store.default.allowStoreUpdate=false} to the test JVM (ArchUnit reads any
 * {@code archunit.}-prefixed system property over the file), so a missing store or a changed record
 * fails instead of being written. Violations are matched ignoring line numbers, so edits elsewhere in
 * a file keep a frozen violation frozen. ArchUnit 1.4's store is not safe under parallel test
 * execution: run these rules in one thread.
 */
public final class FrozenHostAllocationRules
{
    /** {@link HostAllocationRules#NO_DIRECT_ALLOCATION}, frozen. */
    @ArchTest
    public static final ArchRule NO_DIRECT_ALLOCATION = FreezingArchRule.freeze(HostAllocationRules.NO_DIRECT_ALLOCATION);

    /** {@link HostAllocationRules#OPT_OUTS_HAVE_REASONS}, frozen. */
    @ArchTest
    public static final ArchRule OPT_OUTS_HAVE_REASONS = FreezingArchRule.freeze(HostAllocationRules.OPT_OUTS_HAVE_REASONS);

    /** {@link HostAllocationRules#OPT_OUTS_ARE_NEEDED}, frozen. */
    @ArchTest
    public static final ArchRule OPT_OUTS_ARE_NEEDED = FreezingArchRule.freeze(HostAllocationRules.OPT_OUTS_ARE_NEEDED);

    /** {@link HostAllocationRules#VULKAN_CALLS_ONLY_FROM_HOSTS}, frozen. */
    @ArchTest
    public static final ArchRule VULKAN_CALLS_ONLY_FROM_HOSTS =
        FreezingArchRule.freeze(HostAllocationRules.VULKAN_CALLS_ONLY_FROM_HOSTS);

    /** {@link HostAllocationRules#VULKAN_ALLOCATOR_NEVER_NULL}, frozen. */
    @ArchTest
    public static final ArchRule VULKAN_ALLOCATOR_NEVER_NULL =
        FreezingArchRule.freeze(HostAllocationRules.VULKAN_ALLOCATOR_NEVER_NULL);

    /** {@link HostAllocationRules#REALTIME_SAFE_METHODS}, frozen. */
    @ArchTest
    public static final ArchRule REALTIME_SAFE_METHODS = FreezingArchRule.freeze(HostAllocationRules.REALTIME_SAFE_METHODS);

    private FrozenHostAllocationRules()
    {
    }
}
