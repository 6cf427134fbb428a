package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Rule 4 over classes: each {@code @RealtimeSafe} method a class declares meets
 * {@link RealtimeSafeCondition}, walking exactly the classes this rule checks. A class-level rule
 * (rather than {@code methods().that().areAnnotatedWith(...)}) keeps the selection non-empty in
 * codebases with no {@code @RealtimeSafe} method yet, while an empty import still fails.
 */
public final class RealtimeSafeMethodsCondition extends ArchCondition<JavaClass>
{
    private final LintOptions options;
    private final ThreadLocal<RealtimeSafeCondition> delegate = new ThreadLocal<>();

    /**
     * Creates the condition.
     *
     * @param options what counts as a direct allocation.
     * @throws NullPointerException when {@code options} is {@code null}.
     */
    public RealtimeSafeMethodsCondition(final LintOptions options)
    {
        super("keep every @RealtimeSafe method free of allocation, boxing, locks, blocking calls and I/O, " +
            "through every call chain inside the checked classes");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Takes the checked classes as the analysed ones.
     *
     * @param allClasses the classes about to be checked.
     */
    @Override
    public void init(final Collection<JavaClass> allClasses)
    {
        final RealtimeSafeCondition condition = RealtimeSafeCondition.beRealtimeSafeWithin(allClasses, options);
        condition.init(List.of());
        delegate.set(condition);
    }

    /**
     * Checks the class's {@code @RealtimeSafe} methods.
     *
     * @param javaClass the class.
     * @param events    where violations go.
     */
    @Override
    public void check(final JavaClass javaClass, final ConditionEvents events)
    {
        if (null == delegate.get())
        {
            init(List.of(javaClass));
        }
        final RealtimeSafeCondition condition = delegate.get();
        final List<JavaMethod> roots = javaClass.getMethods().stream()
            .filter(method -> method.isAnnotatedWith(OptOuts.REALTIME_SAFE))
            .sorted(Comparator.comparing(JavaMethod::getFullName))
            .toList();
        for (final JavaMethod root : roots)
        {
            condition.check(root, events);
        }
    }

    /**
     * Drops the evaluation's state.
     *
     * @param events the evaluation's events.
     */
    @Override
    public void finish(final ConditionEvents events)
    {
        final RealtimeSafeCondition condition = delegate.get();
        if (null != condition)
        {
            condition.finish(events);
            delegate.remove();
        }
    }
}
