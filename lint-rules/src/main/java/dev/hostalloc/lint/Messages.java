package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaConstructorReference;
import com.tngtech.archunit.core.domain.JavaMethodReference;

import java.util.Comparator;
import java.util.List;

/**
 * Violation text shared by the conditions. Every message carries ArchUnit's {@code (File.java:line)}
 * location, which {@code FreezingArchRule}'s default matcher ignores, so frozen violations survive
 * unrelated edits above them.
 */
final class Messages
{
    /** Orders accesses by line, then text, so messages come out in a stable order. */
    static final Comparator<JavaAccess<?>> BY_LOCATION =
        Comparator.<JavaAccess<?>>comparingInt(JavaAccess::getLineNumber).thenComparing(JavaAccess::getDescription);

    private Messages()
    {
    }

    /**
     * {@code Method <a.B.m()> calls method <c.D.n(int)> from a lambda in (B.java:12)}.
     *
     * @param access a call or reference.
     * @return the description, naming lambdas ArchUnit folded into their enclosing method.
     */
    static String describe(final JavaAccess<?> access)
    {
        final String verb;
        if (access instanceof JavaConstructorCall)
        {
            verb = "calls constructor";
        }
        else if (access instanceof JavaConstructorReference)
        {
            verb = "references constructor";
        }
        else if (access instanceof JavaMethodReference)
        {
            verb = "references method";
        }
        else
        {
            verb = "calls method";
        }
        return access.getOrigin().getDescription() + " " + verb + " <" + access.getTarget().getFullName() + ">" +
            (access.isDeclaredInLambda() ? " from a lambda" : "") + " in " + access.getSourceCodeLocation();
    }

    /**
     * Sorts accesses by {@link #BY_LOCATION}.
     *
     * @param accesses accesses in any order.
     * @return a new sorted list.
     */
    static <T extends JavaAccess<?>> List<T> sorted(final java.util.Collection<T> accesses)
    {
        return accesses.stream().sorted(BY_LOCATION).toList();
    }
}
