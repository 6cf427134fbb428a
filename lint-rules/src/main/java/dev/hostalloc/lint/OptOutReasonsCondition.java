package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.properties.HasAnnotations;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.Comparator;
import java.util.Optional;

/**
 * Rule 2's condition: every {@code @DirectAllocation} (on a class, method, constructor or
 * {@code package-info}) and every {@code @VulkanHost} says why, in words: a blank reason or a
 * placeholder such as {@code "TODO"}, {@code "n/a"} or {@code "-"} is a violation.
 */
public final class OptOutReasonsCondition extends ArchCondition<JavaClass>
{
    static final String PACKAGE_INFO = "package-info";

    /** Creates the condition. */
    public OptOutReasonsCondition()
    {
        super("give every @DirectAllocation and @VulkanHost a real reason");
    }

    /**
     * Reports each opt-out or opt-in on the class, its members or (for a {@code package-info}) its
     * package whose reason is blank or a placeholder.
     *
     * @param javaClass the class.
     * @param events    where violations go.
     */
    @Override
    public void check(final JavaClass javaClass, final ConditionEvents events)
    {
        final String where = isPackageInfo(javaClass) ?
            "Package <" + javaClass.getPackageName() + ">" : javaClass.getDescription();
        report(javaClass, javaClass, where + " has @DirectAllocation", OptOuts.DIRECT_ALLOCATION,
            "say why this code must allocate off-heap memory itself", events);
        report(javaClass, javaClass, where + " has @VulkanHost", OptOuts.VULKAN_HOST,
            "say which hostalloc bridge it passes as pAllocator", events);
        javaClass.getCodeUnits().stream()
            .sorted(Comparator.comparing(JavaCodeUnit::getFullName))
            .forEach(codeUnit -> report(codeUnit, codeUnit, codeUnit.getDescription() + " has @DirectAllocation",
                OptOuts.DIRECT_ALLOCATION, "say why this code must allocate off-heap memory itself", events));
    }

    private static void report(
        final HasAnnotations<?> annotated,
        final Object location,
        final String what,
        final String annotationName,
        final String advice,
        final ConditionEvents events)
    {
        final Optional<String> problem = OptOuts.reasonProblem(annotated, annotationName);
        if (problem.isPresent())
        {
            final String sourceLocation = location instanceof final JavaClass javaClass ?
                javaClass.getSourceCodeLocation().toString() : ((JavaCodeUnit)location).getSourceCodeLocation().toString();
            events.add(SimpleConditionEvent.violated(location, what + " " + problem.get() + " in " + sourceLocation + ": " + advice));
        }
    }

    static boolean isPackageInfo(final JavaClass javaClass)
    {
        return PACKAGE_INFO.equals(javaClass.getSimpleName());
    }
}
