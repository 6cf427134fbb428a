package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;

import java.util.Objects;

/**
 * Rule 1's condition: a class makes no direct (off-heap) allocation or free access
 * ({@link DirectAllocationApis}) and declares no {@code native} method outside opted-out code
 * ({@link OptOuts}). Calls, method and constructor references and code inside lambdas all count.
 */
public final class DirectAllocationCondition extends ArchCondition<JavaClass>
{
    private final LintOptions options;

    /**
     * Creates the condition.
     *
     * @param options what counts and who is opted out by package.
     * @throws NullPointerException when {@code options} is {@code null}.
     */
    public DirectAllocationCondition(final LintOptions options)
    {
        super("allocate off-heap memory only in @DirectAllocation code");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Reports each direct allocation outside opted-out code, and each native method declared there.
     *
     * @param javaClass the class.
     * @param events    where violations go.
     */
    @Override
    public void check(final JavaClass javaClass, final ConditionEvents events)
    {
        final DistinctEvents distinct = new DistinctEvents(events);
        for (final AllocationSites.Site site : AllocationSites.accesses(javaClass, options))
        {
            if (!OptOuts.isOptedOut(site.access().getOrigin(), options))
            {
                distinct.violated(site.access(), Messages.describe(site.access()) +
                    ": direct allocation (" + site.family() + ") outside @DirectAllocation code");
            }
        }
        for (final JavaCodeUnit nativeMethod : AllocationSites.nativeMethods(javaClass))
        {
            if (!OptOuts.isOptedOut(nativeMethod, options))
            {
                distinct.violated(nativeMethod, nativeMethod.getDescription() +
                    " is declared native in " + nativeMethod.getSourceCodeLocation() +
                    ": native code can allocate where no rule sees it; only @DirectAllocation code may declare it");
            }
        }
    }
}
