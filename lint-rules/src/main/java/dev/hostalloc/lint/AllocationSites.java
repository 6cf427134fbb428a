package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The places in a class that allocate directly, opt-outs ignored: what opt-outs exist for. */
final class AllocationSites
{
    private AllocationSites()
    {
    }

    /**
     * The direct allocation and free accesses of a class, each with its API family.
     *
     * @param javaClass a class.
     * @param options   whether {@code MemoryStack} frames count.
     * @return the accesses in source order.
     */
    static List<Site> accesses(final JavaClass javaClass, final LintOptions options)
    {
        final List<Site> sites = new ArrayList<>();
        for (final JavaAccess<?> access : Messages.sorted(javaClass.getAccessesFromSelf()))
        {
            final Optional<String> family = DirectAllocationApis.classify(access.getTarget(), options);
            family.ifPresent(name -> sites.add(new Site(access, name)));
        }
        return sites;
    }

    /**
     * The {@code native} methods a class declares.
     *
     * @param javaClass a class.
     * @return the native methods, in name order.
     */
    static List<JavaCodeUnit> nativeMethods(final JavaClass javaClass)
    {
        return javaClass.getCodeUnits().stream()
            .filter(DirectAllocationApis::isNative)
            .sorted(java.util.Comparator.comparing(JavaCodeUnit::getFullName))
            .toList();
    }

    /**
     * Whether a class has any site, opt-outs ignored.
     *
     * @param javaClass a class.
     * @param options   whether {@code MemoryStack} frames count.
     * @return {@code true} when it allocates directly or declares a native method.
     */
    static boolean any(final JavaClass javaClass, final LintOptions options)
    {
        return !accesses(javaClass, options).isEmpty() || !nativeMethods(javaClass).isEmpty();
    }

    /**
     * Whether a method or constructor has any site, lambdas included, local and anonymous classes not.
     *
     * @param codeUnit a method or constructor.
     * @param options  whether {@code MemoryStack} frames count.
     * @return {@code true} when it allocates directly or is native.
     */
    static boolean any(final JavaCodeUnit codeUnit, final LintOptions options)
    {
        if (DirectAllocationApis.isNative(codeUnit))
        {
            return true;
        }
        for (final JavaAccess<?> access : codeUnit.getAccessesFromSelf())
        {
            if (DirectAllocationApis.classify(access.getTarget(), options).isPresent())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * One direct allocation or free access.
     *
     * @param access the call or reference.
     * @param family the API family it belongs to.
     */
    record Site(JavaAccess<?> access, String family)
    {
    }
}
