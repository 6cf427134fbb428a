package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Class-hierarchy call resolution over the analysed classes: a call reaches its resolved target and
 * every analysed override of it (for calls that can dispatch virtually), including implementations of
 * interfaces declared outside the analysed classes ({@code Runnable.run()} reaches every analysed
 * {@code run()}).
 */
final class CallGraph
{
    private final Predicate<JavaClass> analysed;

    /**
     * Creates a graph over the classes {@code analysed} accepts.
     *
     * @param analysed which classes' bodies are walked.
     */
    CallGraph(final Predicate<JavaClass> analysed)
    {
        this.analysed = analysed;
    }

    /**
     * Whether a class's bodies are walked.
     *
     * @param javaClass a class.
     * @return {@code true} when it is one of the analysed classes.
     */
    boolean isAnalysed(final JavaClass javaClass)
    {
        return analysed.test(javaClass);
    }

    /**
     * What a call or reference may run: the resolved member plus every analysed override.
     *
     * @param target a method or constructor target.
     * @return the code units, resolved member first.
     */
    List<JavaCodeUnit> targetsOf(final AccessTarget.CodeUnitAccessTarget target)
    {
        final List<JavaCodeUnit> targets = new ArrayList<>();
        final Optional<? extends JavaCodeUnit> resolved = target.resolveMember();
        resolved.ifPresent(targets::add);
        if (resolved.isPresent() && !canBeOverridden(resolved.get()))
        {
            return targets;
        }
        if (target.getOwner().getModifiers().contains(JavaModifier.FINAL) || "<init>".equals(target.getName()))
        {
            return targets;
        }
        addOverrides(target.getOwner(), target.getName(), parameterNames(target.getRawParameterTypes()), targets);
        return targets;
    }

    /**
     * A root method plus every analysed override of it (an annotated method binds its overrides).
     *
     * @param method a method.
     * @return the method and its overrides.
     */
    List<JavaCodeUnit> withOverrides(final JavaMethod method)
    {
        final List<JavaCodeUnit> targets = new ArrayList<>();
        targets.add(method);
        if (canBeOverridden(method) && !method.getOwner().getModifiers().contains(JavaModifier.FINAL))
        {
            addOverrides(method.getOwner(), method.getName(), parameterNames(method.getRawParameterTypes()), targets);
        }
        return targets;
    }

    private void addOverrides(
        final JavaClass owner, final String name, final String[] parameterNames, final List<JavaCodeUnit> into)
    {
        for (final JavaClass subtype : owner.getAllSubclasses())
        {
            if (!analysed.test(subtype))
            {
                continue;
            }
            final Optional<JavaMethod> override = subtype.tryGetMethod(name, parameterNames);
            if (override.isPresent() && !into.contains(override.get()) && canBeOverridden(override.get()))
            {
                into.add(override.get());
            }
        }
    }

    private static boolean canBeOverridden(final JavaCodeUnit codeUnit)
    {
        final Set<JavaModifier> modifiers = codeUnit.getModifiers();
        return codeUnit.isMethod() && !modifiers.contains(JavaModifier.STATIC) &&
            !modifiers.contains(JavaModifier.PRIVATE) && !modifiers.contains(JavaModifier.FINAL);
    }

    private static String[] parameterNames(final List<JavaClass> parameters)
    {
        final String[] names = new String[parameters.size()];
        for (int i = 0; i < names.length; i++)
        {
            names[i] = parameters.get(i).getName();
        }
        return names;
    }
}
