package dev.hostalloc.tests.lint;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.RealtimeSafe;
import dev.hostalloc.api.VulkanHost;
import dev.hostalloc.lint.DirectAllocationApis;
import dev.hostalloc.lint.HostAllocationRules;
import dev.hostalloc.lint.HostallocLayering;
import dev.hostalloc.lint.HostallocModule;
import dev.hostalloc.lint.LintOptions;
import dev.hostalloc.lint.RealtimeSafeCondition;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hostalloc applies its own rules to everything in {@code dev.hostalloc} on the test classpath at
 * build time: alloc-api, alloc-impls, driver-sim, lint-rules and this module's main code, whatever
 * packages they hold. Test code is left out ({@code DoNotIncludeTests}): tests may allocate directly
 * and call Vulkan with a NULL allocator to provoke what they check.
 *
 * <p>It cannot pass vacuously: every rule fails on an empty selection, the import must hold each
 * module and the known allocators and bridges, at least one {@code @RealtimeSafe} method must be
 * walked, and the rules must see the real allocations inside the opted-out base allocator.
 */
@AnalyzeClasses(packages = "dev.hostalloc", importOptions = ImportOption.DoNotIncludeTests.class)
class HostallocSelfLintTest
{
    /** The allocation discipline, exactly as a consumer runs it. */
    @ArchTest
    static final ArchTests ALLOCATION_DISCIPLINE = ArchTests.in(HostAllocationRules.class);

    /** hostalloc's module layering. */
    @ArchTest
    static final ArchTests LAYERING = ArchTests.in(HostallocLayering.class);

    /** The same walk per method, failing when no method is @RealtimeSafe at all. */
    @ArchTest
    static final ArchRule REALTIME_SAFE_METHODS_EXIST_AND_HOLD = methods().that().areAnnotatedWith(RealtimeSafe.class)
        .should(RealtimeSafeCondition.beRealtimeSafeWithinPackages(LintOptions.defaults(), "dev.hostalloc.."))
        .allowEmptyShould(false);

    private static final int MIN_CLASSES = 50;
    private static final String VULKAN_ALLOCATION_CALLBACKS = "org.lwjgl.vulkan.VkAllocationCallbacks";
    private static final String LWJGL_MEMORY_ALLOCATOR = "org.lwjgl.system.MemoryUtil$MemoryAllocator";

    @ArchTest
    static void importHoldsEveryModuleAndTheKnownAllocatorsAndBridges(final JavaClasses classes)
    {
        final Map<HostallocModule, Integer> perModule = new EnumMap<>(HostallocModule.class);
        for (final JavaClass javaClass : classes)
        {
            HostallocModule.of(javaClass).ifPresent(module -> perModule.merge(module, 1, Integer::sum));
        }
        for (final HostallocModule module : List.of(
            HostallocModule.ALLOC_API, HostallocModule.ALLOC_IMPLS, HostallocModule.DRIVER_SIM, HostallocModule.LINT_RULES))
        {
            assertTrue(perModule.getOrDefault(module, 0) > 0, module + " is missing from the import: " + perModule);
        }
        assertTrue(classes.size() >= MIN_CLASSES, "only " + classes.size() + " classes imported: " + perModule);
        for (final String name : List.of(
            "dev.hostalloc.system.SystemAllocator",
            "dev.hostalloc.vulkan.VulkanAllocationCallbacks",
            "dev.hostalloc.vulkan.NativeAllocationCallbacks",
            "dev.hostalloc.lwjgl.HostallocMemoryAllocator",
            "dev.hostalloc.vulkan.VulkanAvailability",
            "dev.hostalloc.driver.vulkan.VulkanCalls",
            "dev.hostalloc.lint.HostAllocationRules"))
        {
            assertTrue(classes.contain(name), name + " is missing from the import");
        }
        assertTrue(classes.stream().noneMatch(c -> c.getSource().map(s -> s.getUri().toString().contains("/test-classes/"))
            .orElse(false)), "test classes were imported");
    }

    @ArchTest
    static void theRulesSeeTheAllocationsTheOptOutsCover(final JavaClasses classes)
    {
        final JavaClass system = classes.get("dev.hostalloc.system.SystemAllocator");
        final long sites = system.getAccessesFromSelf().stream()
            .filter(access -> DirectAllocationApis.classify(access.getTarget(), LintOptions.defaults()).isPresent())
            .count();
        assertTrue(sites >= 3, "the libc calls of SystemAllocator were not recognised (" + sites + ")");
        assertTrue(system.isAnnotatedWith(DirectAllocation.class), "SystemAllocator must carry its opt-out");
    }

    /**
     * The promise, checked: the only opted-out code is the allocator implementations and the
     * bridges. An opt-out must sit in (or be nested in) a class that implements
     * {@link AllocationCallbacks}, is a {@link VulkanHost}, handles a {@code VkAllocationCallbacks} or
     * implements LWJGL's {@code MemoryUtil.MemoryAllocator} (the bridges), or in a class an allocator or
     * a bridge uses directly (its own helper, such as a page mapper or the LWJGL bridge's upcall stubs);
     * each with its reason, which the rules check.
     */
    @ArchTest
    static void onlyAllocatorsAndBridgesAreOptedOut(final JavaClasses classes)
    {
        final List<String> misplaced = new ArrayList<>();
        final List<String> optOuts = new ArrayList<>();
        for (final JavaClass javaClass : classes)
        {
            final List<String> here = new ArrayList<>();
            if (javaClass.isAnnotatedWith(DirectAllocation.class))
            {
                here.add(javaClass.getName());
            }
            for (final JavaCodeUnit codeUnit : javaClass.getCodeUnits())
            {
                if (codeUnit.isAnnotatedWith(DirectAllocation.class))
                {
                    here.add(codeUnit.getFullName());
                }
            }
            optOuts.addAll(here);
            if (!here.isEmpty() && !isAllocatorOrBridge(javaClass))
            {
                misplaced.addAll(here);
            }
        }
        assertTrue(misplaced.isEmpty(), "opted out but neither an allocator implementation nor a bridge: " + misplaced);
        assertTrue(optOuts.stream().anyMatch(o -> o.startsWith("dev.hostalloc.system.SystemAllocator")), optOuts.toString());
        assertEquals(Optional.empty(), classes.stream()
            .filter(c -> c.getSimpleName().equals("package-info") && c.isAnnotatedWith(DirectAllocation.class))
            .map(JavaClass::getPackageName).findFirst(), "no whole package of hostalloc is opted out");
    }

    private static boolean isAllocatorOrBridge(final JavaClass javaClass)
    {
        JavaClass current = javaClass;
        while (null != current)
        {
            if (isAllocator(current) || isLwjglAllocatorBridge(current) || current.isAnnotatedWith(VulkanHost.class) ||
                current.getDirectDependenciesFromSelf()
                .stream().anyMatch(d -> VULKAN_ALLOCATION_CALLBACKS.equals(d.getTargetClass().getName())))
            {
                return true;
            }
            current = current.getEnclosingClass().orElse(null);
        }
        return javaClass.getDirectDependenciesToSelf().stream()
            .anyMatch(d -> isAllocator(d.getOriginClass()) || isLwjglAllocatorBridge(d.getOriginClass()));
    }

    private static boolean isLwjglAllocatorBridge(final JavaClass javaClass)
    {
        return !javaClass.isInterface() && javaClass.isAssignableTo(LWJGL_MEMORY_ALLOCATOR);
    }

    private static boolean isAllocator(final JavaClass javaClass)
    {
        return !javaClass.isInterface() && javaClass.isAssignableTo(AllocationCallbacks.class);
    }
}
