package dev.hostalloc.lint;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Rule 5, hostalloc's own module layering (not part of {@link HostAllocationRules}: it is about
 * hostalloc's modules, not a consumer's): alloc-api depends on nothing but the JDK; alloc-impls only
 * on alloc-api, LWJGL, Agrona, Jackson (JSON documents) and the JDK; nothing depends on driver-sim, lint-rules or tests. Modules
 * are told by build location ({@link HostallocModule}), and every {@code dev.hostalloc} class must be
 * attributed to one, so a class the locator cannot place fails instead of escaping the rules. Apply
 * it to an import of {@code dev.hostalloc} without tests.
 */
public final class HostallocLayering
{
    private static final String HOSTALLOC_PACKAGE = "dev.hostalloc";
    private static final Set<String> JDK_PACKAGE_PREFIXES = Set.of("java.", "javax.", "jdk.", "com.sun.", "sun.");

    /** Every {@code dev.hostalloc} class comes from one of the five modules' build outputs. */
    @ArchTest
    public static final ArchRule EVERY_CLASS_IN_A_MODULE = everyClassInAModule(HostallocModule::of);

    /** alloc-api depends on the JDK only. */
    @ArchTest
    public static final ArchRule ALLOC_API_DEPENDS_ON_NOTHING = allocApiDependsOnNothing(HostallocModule::of);

    /** alloc-impls depends on alloc-api, LWJGL, Agrona, Jackson (JSON documents) and the JDK only. */
    @ArchTest
    public static final ArchRule ALLOC_IMPLS_DEPENDS_ON_API_LWJGL_AGRONA = allocImplsDependsOnApiLwjglAgrona(HostallocModule::of);

    /** No class outside driver-sim, lint-rules and tests depends on one of theirs. */
    @ArchTest
    public static final ArchRule NOTHING_DEPENDS_ON_DRIVER_SIM_LINT_RULES_OR_TESTS =
        nothingDependsOnLeafModules(HostallocModule::of);

    private HostallocLayering()
    {
    }

    /**
     * The four rules with another way to tell modules (for tests of the rules themselves).
     *
     * @param locator which module a class belongs to.
     * @return the rules, in the order of the constants above.
     */
    public static List<ArchRule> rules(final Function<JavaClass, Optional<HostallocModule>> locator)
    {
        return List.of(
            everyClassInAModule(locator),
            allocApiDependsOnNothing(locator),
            allocImplsDependsOnApiLwjglAgrona(locator),
            nothingDependsOnLeafModules(locator));
    }

    private static ArchRule everyClassInAModule(final Function<JavaClass, Optional<HostallocModule>> locator)
    {
        return classes().that().resideInAPackage(HOSTALLOC_PACKAGE + "..")
            .should(com.tngtech.archunit.lang.conditions.ArchConditions.be(DescribedPredicate.describe(
                "built by one of hostalloc's modules", (JavaClass c) -> locator.apply(c).isPresent())))
            .allowEmptyShould(false)
            .as("every dev.hostalloc class belongs to one of the modules " + List.of(HostallocModule.values()) +
                " (told by its build location)");
    }

    private static ArchRule allocApiDependsOnNothing(final Function<JavaClass, Optional<HostallocModule>> locator)
    {
        return classes().that(in(locator, HostallocModule.ALLOC_API))
            .should().onlyDependOnClassesThat(in(locator, HostallocModule.ALLOC_API).or(jdk()))
            .allowEmptyShould(false)
            .as("alloc-api depends on nothing but the JDK");
    }

    private static ArchRule allocImplsDependsOnApiLwjglAgrona(final Function<JavaClass, Optional<HostallocModule>> locator)
    {
        return classes().that(in(locator, HostallocModule.ALLOC_IMPLS))
            .should().onlyDependOnClassesThat(in(locator, HostallocModule.ALLOC_IMPLS)
                .or(in(locator, HostallocModule.ALLOC_API))
                .or(inPackage("org.lwjgl"))
                .or(inPackage("org.agrona"))
                // JSON documents (accounting snapshots, trace JSON Lines): a well-kept library rather than a
                // hand-written codec; never on an allocation path.
                .or(inPackage("com.fasterxml.jackson"))
                .or(jdk()))
            .allowEmptyShould(false)
            .as("alloc-impls depends only on alloc-api, LWJGL, Agrona, Jackson and the JDK");
    }

    private static ArchRule nothingDependsOnLeafModules(final Function<JavaClass, Optional<HostallocModule>> locator)
    {
        final DescribedPredicate<JavaClass> leaf = in(locator, HostallocModule.DRIVER_SIM)
            .or(in(locator, HostallocModule.LINT_RULES))
            .or(in(locator, HostallocModule.TESTS));
        return noClasses().that(DescribedPredicate.not(leaf)).and().resideInAPackage(HOSTALLOC_PACKAGE + "..")
            .should().dependOnClassesThat(leaf)
            .allowEmptyShould(false)
            .as("nothing depends on driver-sim, lint-rules or tests");
    }

    private static DescribedPredicate<JavaClass> in(
        final Function<JavaClass, Optional<HostallocModule>> locator, final HostallocModule module)
    {
        Objects.requireNonNull(locator, "locator");
        return DescribedPredicate.describe("in module " + module.artifactId(),
            (JavaClass javaClass) -> locator.apply(baseType(javaClass)).filter(module::equals).isPresent());
    }

    private static DescribedPredicate<JavaClass> inPackage(final String packageName)
    {
        return DescribedPredicate.describe("in " + packageName, (JavaClass javaClass) ->
        {
            final String name = baseType(javaClass).getPackageName();
            return name.equals(packageName) || name.startsWith(packageName + ".");
        });
    }

    private static DescribedPredicate<JavaClass> jdk()
    {
        return DescribedPredicate.describe("in the JDK", (JavaClass javaClass) ->
        {
            final JavaClass base = baseType(javaClass);
            if (base.isPrimitive())
            {
                return true;
            }
            final String name = base.getName();
            for (final String prefix : JDK_PACKAGE_PREFIXES)
            {
                if (name.startsWith(prefix))
                {
                    return true;
                }
            }
            return false;
        });
    }

    private static JavaClass baseType(final JavaClass javaClass)
    {
        return javaClass.isArray() ? javaClass.getBaseComponentType() : javaClass;
    }
}
