package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.Comparator;
import java.util.Objects;

/**
 * Keeps opt-outs honest: a {@code @DirectAllocation} must cover at least one direct allocation or
 * {@code native} method (in the annotated method or constructor and the lambdas, local and anonymous
 * classes inside it; the annotated class and the classes nested in it; or any class of the annotated
 * package), and a {@code @VulkanHost} class (with its nested classes) must make at least one Vulkan
 * object lifecycle call. A stale opt-out would let a later allocation in through the back door.
 * {@link LintOptions#optedOutPackages()} are configuration and not checked.
 */
public final class OptOutsNeededCondition extends ArchCondition<JavaClass>
{
    private final LintOptions options;

    /**
     * Creates the condition.
     *
     * @param options what counts as a direct allocation (whether {@code MemoryStack} frames do).
     * @throws NullPointerException when {@code options} is {@code null}.
     */
    public OptOutsNeededCondition(final LintOptions options)
    {
        super("carry @DirectAllocation or @VulkanHost only where something needs it");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Reports the class's, its members' and (for a {@code package-info}) its package's opt-outs and
     * opt-ins that cover nothing.
     *
     * @param javaClass the class.
     * @param events    where violations go.
     */
    @Override
    public void check(final JavaClass javaClass, final ConditionEvents events)
    {
        if (javaClass.isAnnotatedWith(OptOuts.DIRECT_ALLOCATION))
        {
            if (OptOutReasonsCondition.isPackageInfo(javaClass))
            {
                if (javaClass.getPackage().getClasses().stream().noneMatch(c -> AllocationSites.any(c, options)))
                {
                    events.add(SimpleConditionEvent.violated(javaClass, "Package <" + javaClass.getPackageName() +
                        "> has @DirectAllocation in " + javaClass.getSourceCodeLocation() +
                        " but no class in it allocates directly: remove the opt-out"));
                }
            }
            else if (javaClass.getPackage().getClasses().stream()
                .noneMatch(c -> OptOuts.isWithin(c, javaClass) && AllocationSites.any(c, options)))
            {
                events.add(SimpleConditionEvent.violated(javaClass, javaClass.getDescription() +
                    " has @DirectAllocation in " + javaClass.getSourceCodeLocation() +
                    " but neither it nor its nested classes allocate directly: remove the opt-out"));
            }
        }
        javaClass.getCodeUnits().stream()
            .filter(codeUnit -> codeUnit.isAnnotatedWith(OptOuts.DIRECT_ALLOCATION))
            .sorted(Comparator.comparing(JavaCodeUnit::getFullName))
            .filter(codeUnit -> !AllocationSites.any(codeUnit, options) && javaClass.getPackage().getClasses().stream()
                .noneMatch(c -> OptOuts.isWithin(c, codeUnit) && AllocationSites.any(c, options)))
            .forEach(codeUnit -> events.add(SimpleConditionEvent.violated(codeUnit, codeUnit.getDescription() +
                " has @DirectAllocation in " + codeUnit.getSourceCodeLocation() +
                " but allocates nothing directly: remove the opt-out")));
        if (javaClass.isAnnotatedWith(OptOuts.VULKAN_HOST) && javaClass.getPackage().getClasses().stream()
            .noneMatch(c -> OptOuts.isWithin(c, javaClass) && makesLifecycleCall(c)))
        {
            events.add(SimpleConditionEvent.violated(javaClass, javaClass.getDescription() +
                " has @VulkanHost in " + javaClass.getSourceCodeLocation() +
                " but makes no vkCreate*/vkAllocate*/vkDestroy*/vkFree* call: remove the opt-in"));
        }
    }

    private static boolean makesLifecycleCall(final JavaClass javaClass)
    {
        for (final JavaAccess<?> access : javaClass.getAccessesFromSelf())
        {
            if (VulkanApis.isObjectLifecycleCommand(access.getTarget()))
            {
                return true;
            }
        }
        return false;
    }
}
