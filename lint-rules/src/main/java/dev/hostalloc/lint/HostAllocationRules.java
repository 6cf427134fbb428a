package dev.hostalloc.lint;

import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;

import java.util.List;
import java.util.Objects;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * hostalloc's allocation discipline as ArchUnit rules, for anyone's CI. One line runs them all:
 * <pre>{@code
 * @AnalyzeClasses(packages = "com.example", importOptions = ImportOption.DoNotIncludeTests.class)
 * class AllocationDisciplineTest
 * {
 *     @ArchTest
 *     static final ArchTests HOSTALLOC = ArchTests.in(HostAllocationRules.class);
 * }
 * }</pre>
 * With {@link LintOptions} (packages opted out, {@code MemoryStack} forbidden):
 * {@code @ArchTest static final ArchRule HOSTALLOC = HostAllocationRules.all(options);}. For gradual
 * adoption see {@link FrozenHostAllocationRules}.
 *
 * <p>Every rule selects all imported classes and fails on an empty selection (whatever
 * {@code archRule.failOnEmptyShould} says), so a misspelt package cannot make it pass. Test code is
 * usually left out of the import with {@code ImportOption.DoNotIncludeTests} (hostalloc does so for
 * its own code: tests may allocate directly and call Vulkan freely). The rules need ArchUnit's default
 * resolution of classes from the classpath ({@code resolveMissingDependenciesFromClassPath=true}) to
 * see LWJGL's type hierarchy and inherited members.
 */
public final class HostAllocationRules
{
    /** Rule 1 with {@link LintOptions#defaults()}: see {@link #noDirectAllocation(LintOptions)}. */
    @ArchTest
    public static final ArchRule NO_DIRECT_ALLOCATION = noDirectAllocation(LintOptions.defaults());

    /** Rule 2: see {@link #optOutsHaveReasons()}. */
    @ArchTest
    public static final ArchRule OPT_OUTS_HAVE_REASONS = optOutsHaveReasons();

    /** Rule 2, second half, with {@link LintOptions#defaults()}: see {@link #optOutsAreNeeded(LintOptions)}. */
    @ArchTest
    public static final ArchRule OPT_OUTS_ARE_NEEDED = optOutsAreNeeded(LintOptions.defaults());

    /** Rule 3: see {@link #vulkanCallsOnlyFromHosts()}. */
    @ArchTest
    public static final ArchRule VULKAN_CALLS_ONLY_FROM_HOSTS = vulkanCallsOnlyFromHosts();

    /** Rule 3, second half: see {@link #vulkanAllocatorNeverNull()}. */
    @ArchTest
    public static final ArchRule VULKAN_ALLOCATOR_NEVER_NULL = vulkanAllocatorNeverNull();

    /** Rule 4 with {@link LintOptions#defaults()}: see {@link #realtimeSafeMethods(LintOptions)}. */
    @ArchTest
    public static final ArchRule REALTIME_SAFE_METHODS = realtimeSafeMethods(LintOptions.defaults());

    private HostAllocationRules()
    {
    }

    /**
     * Rule 1: no class allocates or frees off-heap memory ({@link DirectAllocationApis}) or declares a
     * {@code native} method outside opted-out code ({@link OptOuts}), whether by a call, a method or
     * constructor reference, or from inside a lambda.
     *
     * @param options whether {@code MemoryStack} frames are allowed and which packages are opted out.
     * @return the rule.
     */
    public static ArchRule noDirectAllocation(final LintOptions options)
    {
        Objects.requireNonNull(options, "options");
        return classes().should(new DirectAllocationCondition(options))
            .allowEmptyShould(false)
            .as("no direct allocation: classes should allocate or free off-heap memory (ByteBuffer.allocateDirect, " +
                "Unsafe, java.lang.foreign arenas, allocators and linkers, LWJGL MemoryUtil, struct/buffer factories " +
                "without a MemoryStack, BufferUtils, upcall stubs, libc, mmap, jemalloc/mimalloc/rpmalloc, Agrona " +
                "direct buffers) and declare native methods only in @DirectAllocation code, by call, reference or " +
                "lambda alike; MemoryStack frames " + (options.memoryStackAllowed() ? "allowed" : "forbidden") +
                (options.optedOutPackages().isEmpty() ? "" : "; opted-out packages " + options.optedOutPackages()));
    }

    /**
     * Rule 2: every {@code @DirectAllocation} and {@code @VulkanHost} gives a real reason (not blank,
     * not a placeholder such as {@code TODO}).
     *
     * @return the rule.
     */
    public static ArchRule optOutsHaveReasons()
    {
        return classes().should(new OptOutReasonsCondition())
            .allowEmptyShould(false)
            .as("opt-outs have reasons: every @DirectAllocation (class, method, constructor, package-info) and " +
                "@VulkanHost should give a real reason, not a blank or a placeholder such as TODO");
    }

    /**
     * Rule 2, second half: no opt-out or opt-in covers nothing ({@link OptOutsNeededCondition}).
     *
     * @param options what counts as a direct allocation.
     * @return the rule.
     */
    public static ArchRule optOutsAreNeeded(final LintOptions options)
    {
        Objects.requireNonNull(options, "options");
        return classes().should(new OptOutsNeededCondition(options))
            .allowEmptyShould(false)
            .as("opt-outs are needed: every @DirectAllocation should cover a direct allocation or native method " +
                "and every @VulkanHost a Vulkan lifecycle call");
    }

    /**
     * Rule 3: only {@code @VulkanHost} classes call LWJGL's {@code vkCreate*}, {@code vkAllocate*},
     * {@code vkDestroy*} and {@code vkFree*} ({@link VulkanApis}).
     *
     * @return the rule.
     */
    public static ArchRule vulkanCallsOnlyFromHosts()
    {
        return classes().should(new VulkanHostCondition())
            .allowEmptyShould(false)
            .as("Vulkan through the callbacks: only @VulkanHost classes, which pass a hostalloc bridge as " +
                "pAllocator, should call vkCreate*/vkAllocate*/vkDestroy*/vkFree* (nvk* included), by call, " +
                "reference or lambda alike");
    }

    /**
     * Rule 3, second half: no literal {@code null} {@code pAllocator} ({@link NullAllocatorCondition}).
     *
     * @return the rule.
     */
    public static ArchRule vulkanAllocatorNeverNull()
    {
        return classes().should(new NullAllocatorCondition())
            .allowEmptyShould(false)
            .as("Vulkan pAllocator never NULL: no call to an org.lwjgl.vulkan function should pass a literal null " +
                "VkAllocationCallbacks (found by an ASM pass, traced through locals and casts; a null from a field, " +
                "parameter or return value, and 0L passed to nvk* functions, are not seen)");
    }

    /**
     * Rule 4: every {@code @RealtimeSafe} method reaches no allocation, boxing, lock, blocking call or
     * I/O ({@link RealtimeSafeCondition}, over exactly the checked classes).
     *
     * @param options what counts as a direct allocation.
     * @return the rule.
     */
    public static ArchRule realtimeSafeMethods(final LintOptions options)
    {
        Objects.requireNonNull(options, "options");
        return classes().should(new RealtimeSafeMethodsCondition(options))
            .allowEmptyShould(false)
            .as("@RealtimeSafe methods stay real-time safe: through every chain of calls, method references and " +
                "overrides inside the checked classes they should reach no object construction, direct allocation, " +
                "boxing, allocating library call, synchronized method or block, blocking call or I/O, and (found by an " +
                "ASM pass over the same class files) no array creation, string concatenation or capturing lambda; " +
                "bodies outside the checked classes are judged by their signature only, and class initialization, " +
                "reflection and method handles are not followed");
    }

    /**
     * All rules with the given options, in the order above.
     *
     * @param options the knobs.
     * @return the rules.
     */
    public static List<ArchRule> rules(final LintOptions options)
    {
        return List.of(
            noDirectAllocation(options),
            optOutsHaveReasons(),
            optOutsAreNeeded(options),
            vulkanCallsOnlyFromHosts(),
            vulkanAllocatorNeverNull(),
            realtimeSafeMethods(options));
    }

    /**
     * All rules with the given options as one rule, for a single {@code @ArchTest} field.
     *
     * @param options the knobs.
     * @return a composite rule that fails on an empty selection.
     */
    public static ArchRule all(final LintOptions options)
    {
        return CompositeArchRule.of(rules(options)).allowEmptyShould(false);
    }
}
