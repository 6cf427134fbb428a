package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaAnnotation;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.properties.HasAnnotations;
import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.RealtimeSafe;
import dev.hostalloc.api.VulkanHost;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who is opted out of the direct-allocation rule and who is opted in as a Vulkan host, and whether
 * their reasons are real.
 *
 * <p>Code is opted out of the direct-allocation rule when {@code @DirectAllocation} sits on the
 * method or constructor itself, on its class, on any class it is nested in, on the method or
 * constructor a local or anonymous class is declared in, or on the package's {@code package-info}
 * (that package only, not its subpackages); or when its package is one of
 * {@link LintOptions#optedOutPackages()}. A class is a Vulkan host when {@code @VulkanHost} sits on it
 * or on a class it is nested in. The annotations are matched by name, so their {@code CLASS}
 * retention is enough.
 */
public final class OptOuts
{
    /** The fully qualified name of {@link DirectAllocation}. */
    public static final String DIRECT_ALLOCATION = DirectAllocation.class.getName();

    /** The fully qualified name of {@link VulkanHost}. */
    public static final String VULKAN_HOST = VulkanHost.class.getName();

    /** The fully qualified name of {@link RealtimeSafe}. */
    public static final String REALTIME_SAFE = RealtimeSafe.class.getName();

    private static final String REASON = "reason";

    /** Reasons that only say a reason is missing (compared case-insensitively, trailing dots ignored). */
    private static final Set<String> PLACEHOLDER_REASONS =
        Set.of("todo", "fixme", "tbd", "n/a", "na", "none", "-", "?", "xxx", "reason", "because");

    private OptOuts()
    {
    }

    /**
     * Whether code in {@code codeUnit} may allocate directly.
     *
     * @param codeUnit a method, constructor or static initializer (lambdas count as their enclosing method).
     * @param options  the opted-out packages.
     * @return {@code true} when an opt-out covers it.
     */
    public static boolean isOptedOut(final JavaCodeUnit codeUnit, final LintOptions options)
    {
        return codeUnit.isAnnotatedWith(DIRECT_ALLOCATION) || isOptedOut(codeUnit.getOwner(), options);
    }

    /**
     * Whether the whole of {@code javaClass} may allocate directly.
     *
     * @param javaClass a class.
     * @param options   the opted-out packages.
     * @return {@code true} when it, an enclosing class or method, its package-info or the options opt it out.
     */
    public static boolean isOptedOut(final JavaClass javaClass, final LintOptions options)
    {
        if (options.isInOptedOutPackage(javaClass) || javaClass.getPackage().isAnnotatedWith(DIRECT_ALLOCATION))
        {
            return true;
        }
        JavaClass current = javaClass;
        while (null != current)
        {
            if (current.isAnnotatedWith(DIRECT_ALLOCATION))
            {
                return true;
            }
            final Optional<JavaCodeUnit> enclosingCodeUnit = current.getEnclosingCodeUnit();
            if (enclosingCodeUnit.isPresent() && enclosingCodeUnit.get().isAnnotatedWith(DIRECT_ALLOCATION))
            {
                return true;
            }
            current = current.getEnclosingClass().orElse(null);
        }
        return false;
    }

    /**
     * Whether {@code javaClass} may make Vulkan object lifecycle calls.
     *
     * @param javaClass a class.
     * @return {@code true} when it or a class it is nested in carries {@code @VulkanHost}.
     */
    public static boolean isVulkanHost(final JavaClass javaClass)
    {
        JavaClass current = javaClass;
        while (null != current)
        {
            if (current.isAnnotatedWith(VULKAN_HOST))
            {
                return true;
            }
            current = current.getEnclosingClass().orElse(null);
        }
        return false;
    }

    /**
     * Whether {@code inner} is {@code outer} or declared (at any depth) inside it, local and anonymous
     * classes included.
     *
     * @param inner a class.
     * @param outer a class.
     * @return {@code true} when {@code outer} encloses {@code inner} or is it.
     */
    static boolean isWithin(final JavaClass inner, final JavaClass outer)
    {
        JavaClass current = inner;
        while (null != current)
        {
            if (current.equals(outer))
            {
                return true;
            }
            current = current.getEnclosingClass().orElse(null);
        }
        return false;
    }

    /**
     * Whether {@code inner} is declared (at any depth) inside the method or constructor {@code codeUnit}.
     *
     * @param inner    a class.
     * @param codeUnit a method or constructor.
     * @return {@code true} for local and anonymous classes of {@code codeUnit} and the classes inside them.
     */
    static boolean isWithin(final JavaClass inner, final JavaCodeUnit codeUnit)
    {
        JavaClass current = inner;
        while (null != current)
        {
            final Optional<JavaCodeUnit> enclosing = current.getEnclosingCodeUnit();
            if (enclosing.isPresent() && enclosing.get().equals(codeUnit))
            {
                return true;
            }
            current = current.getEnclosingClass().orElse(null);
        }
        return false;
    }

    /**
     * What is wrong with the reason of an annotation, if anything.
     *
     * @param annotated      the annotated class, member or package.
     * @param annotationName {@link #DIRECT_ALLOCATION} or {@link #VULKAN_HOST}.
     * @return empty when the element is not annotated or the reason is real; otherwise
     *         {@code "without a reason"} or {@code "with the placeholder reason \"TODO\""}.
     */
    static Optional<String> reasonProblem(final HasAnnotations<?> annotated, final String annotationName)
    {
        final Optional<? extends JavaAnnotation<?>> annotation = annotated.tryGetAnnotationOfType(annotationName);
        if (annotation.isEmpty())
        {
            return Optional.empty();
        }
        final String reason = annotation.get().get(REASON).map(Object::toString).orElse("").strip();
        if (reason.isEmpty())
        {
            return Optional.of("without a reason");
        }
        String normalized = reason.toLowerCase(Locale.ROOT);
        while (normalized.length() > 1 && normalized.endsWith("."))
        {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        if (PLACEHOLDER_REASONS.contains(normalized))
        {
            return Optional.of("with the placeholder reason \"" + reason + "\"");
        }
        return Optional.empty();
    }
}
