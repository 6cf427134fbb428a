package dev.hostalloc.lint;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.core.domain.SourceCodeLocation;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Rule 4's condition on one method: it must not reach, through any chain of calls and method
 * references inside the analysed classes, a {@link RealtimeHazards hazard}, a {@code synchronized}
 * method or block, an array creation, a string concatenation, a capturing lambda or a {@code native}
 * method of an analysed class. Each violation prints the whole (shortest) chain, e.g.
 * {@code Recorder.process() -> Recorder.record(long) -> new ArrayList()}.
 *
 * <p>How the walk goes: from the method and its analysed overrides, every call and method reference
 * (calls inside lambdas count as the enclosing method's) is judged by {@link RealtimeHazards}; when
 * harmless, the walk continues into the resolved target and every analysed override of it (class
 * hierarchy analysis, so an interface call reaches all analysed implementations). Constructors are
 * not entered (reaching one is already an allocation). Bodies of classes outside the analysed ones
 * are not walked: their signature is all that is judged. Array creation, string concatenation
 * ({@code invokedynamic}), capturing lambdas and {@code synchronized} blocks, which ArchUnit does not
 * record, come from an ASM pass over the same class files.
 *
 * <p>Not seen: allocation by class initialization (a first {@code static} access), by the JIT or
 * the garbage collector, and inside library methods not on {@link RealtimeHazards}' lists; calls made
 * by reflection or through {@code MethodHandle}s; and the body of a lambda or method reference created
 * elsewhere and called here through its functional interface (a call through an interface reaches the
 * analysed classes implementing it; a lambda's body counts where the lambda is written, like ArchUnit
 * counts it). Error paths count like any other ({@code throw new ...} is a construction): preallocate
 * or move them out of the real-time path.
 */
public final class RealtimeSafeCondition extends ArchCondition<JavaMethod>
{
    private static final String CONSTRUCTOR_NAME = "<init>";

    private final Predicate<JavaClass> analysed;
    private final LintOptions options;
    private final ThreadLocal<BytecodeCache> cache = new ThreadLocal<>();

    private RealtimeSafeCondition(final String description, final Predicate<JavaClass> analysed, final LintOptions options)
    {
        super(description);
        this.analysed = analysed;
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * The condition over the classes a predicate accepts.
     *
     * @param analysed which classes' bodies the walk enters (typically the imported ones).
     * @param options  what counts as a direct allocation.
     * @return the condition.
     * @throws NullPointerException when an argument is {@code null}.
     */
    public static RealtimeSafeCondition beRealtimeSafeWithin(
        final DescribedPredicate<? super JavaClass> analysed, final LintOptions options)
    {
        Objects.requireNonNull(analysed, "analysed");
        return new RealtimeSafeCondition(
            "be real-time safe (no allocation, boxing, lock, blocking call or I/O reachable within " +
                analysed.getDescription() + ")", analysed::test, options);
    }

    /**
     * The condition over the classes in some packages.
     *
     * @param options            what counts as a direct allocation.
     * @param packageIdentifiers ArchUnit package identifiers, e.g. {@code "com.example.."}.
     * @return the condition.
     * @throws IllegalArgumentException when no package is given.
     */
    public static RealtimeSafeCondition beRealtimeSafeWithinPackages(
        final LintOptions options, final String... packageIdentifiers)
    {
        if (packageIdentifiers.length == 0)
        {
            throw new IllegalArgumentException("no package to analyse");
        }
        final List<PackageMatcher> matchers = java.util.Arrays.stream(packageIdentifiers).map(PackageMatcher::of).toList();
        return beRealtimeSafeWithin(DescribedPredicate.describe(
            "packages " + String.join(", ", packageIdentifiers),
            javaClass -> matchers.stream().anyMatch(m -> m.matches(javaClass.getPackageName()))), options);
    }

    /**
     * The condition over exactly the given classes (what a class-level rule checks).
     *
     * @param classes the analysed classes.
     * @param options what counts as a direct allocation.
     * @return the condition.
     */
    static RealtimeSafeCondition beRealtimeSafeWithin(final Collection<JavaClass> classes, final LintOptions options)
    {
        final Set<JavaClass> members = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        members.addAll(classes);
        return new RealtimeSafeCondition("be real-time safe within the checked classes", members::contains, options);
    }

    /**
     * Starts a fresh class-file cache for this evaluation.
     *
     * @param allMethods the methods about to be checked.
     */
    @Override
    public void init(final Collection<JavaMethod> allMethods)
    {
        cache.set(new BytecodeCache());
    }

    /**
     * Walks everything {@code method} (and its analysed overrides) can reach and reports each hazard
     * with its chain.
     *
     * @param method a method promised real-time safe.
     * @param events where violations go.
     */
    @Override
    public void check(final JavaMethod method, final ConditionEvents events)
    {
        new Walk(method, new CallGraph(analysed), cache(), options, events).run();
    }

    /**
     * Drops the class-file cache.
     *
     * @param events the evaluation's events (unused).
     */
    @Override
    public void finish(final ConditionEvents events)
    {
        cache.remove();
    }

    private BytecodeCache cache()
    {
        BytecodeCache current = cache.get();
        if (null == current)
        {
            current = new BytecodeCache();
            cache.set(current);
        }
        return current;
    }

    /** One breadth-first walk from one root, so each chain reported is a shortest one. */
    private static final class Walk
    {
        private final JavaMethod root;
        private final CallGraph graph;
        private final BytecodeCache cache;
        private final LintOptions options;
        private final ConditionEvents events;
        private final Map<JavaCodeUnit, Step> reachedFrom = new HashMap<>();
        private final Deque<JavaCodeUnit> queue = new ArrayDeque<>();
        private final Set<String> reported = new HashSet<>();
        private final Set<JavaClass> classesWithoutBytecode = new HashSet<>();

        Walk(
            final JavaMethod root,
            final CallGraph graph,
            final BytecodeCache cache,
            final LintOptions options,
            final ConditionEvents events)
        {
            this.root = root;
            this.graph = graph;
            this.cache = cache;
            this.options = options;
            this.events = events;
        }

        void run()
        {
            if (!graph.isAnalysed(root.getOwner()))
            {
                events.add(SimpleConditionEvent.violated(root, root.getDescription() + " is @RealtimeSafe but " +
                    Names.shortName(root.getOwner()) + " is not among the analysed classes in " +
                    root.getSourceCodeLocation() + ": it cannot be checked"));
                return;
            }
            for (final JavaCodeUnit start : graph.withOverrides(root))
            {
                reachedFrom.put(start, start.equals(root) ? null : new Step(root, null));
                queue.add(start);
            }
            while (!queue.isEmpty())
            {
                visit(queue.poll());
            }
        }

        private void visit(final JavaCodeUnit codeUnit)
        {
            final Set<JavaModifier> modifiers = codeUnit.getModifiers();
            if (modifiers.contains(JavaModifier.SYNCHRONIZED))
            {
                report("a synchronized method", chainTo(codeUnit) + " (synchronized)", locationOf(codeUnit));
            }
            final JavaClass owner = codeUnit.getOwner();
            if (!graph.isAnalysed(owner))
            {
                return; // judged by its signature at the call; its body is not walked
            }
            if (modifiers.contains(JavaModifier.NATIVE))
            {
                report("a native method", chainTo(codeUnit) + " (native)", locationOf(codeUnit));
            }
            visitBytecode(codeUnit, owner);
            for (final JavaAccess<?> access : Messages.sorted(codeUnit.getAccessesFromSelf()))
            {
                if (!(access.getTarget() instanceof final AccessTarget.CodeUnitAccessTarget target) ||
                    RealtimeHazards.isExempt(target))
                {
                    continue;
                }
                final boolean targetAnalysed = target.resolveMember()
                    .map(member -> graph.isAnalysed(member.getOwner())).orElse(false);
                final Optional<RealtimeHazards.Hazard> hazard = RealtimeHazards.classify(access, targetAnalysed, options);
                if (hazard.isPresent())
                {
                    report(hazard.get().category(), chainTo(codeUnit) + " -> " + hazard.get().detail(),
                        access.getSourceCodeLocation());
                    continue;
                }
                if (CONSTRUCTOR_NAME.equals(target.getName()))
                {
                    continue;
                }
                for (final JavaCodeUnit next : graph.targetsOf(target))
                {
                    if (!reachedFrom.containsKey(next))
                    {
                        reachedFrom.put(next, new Step(codeUnit, access));
                        queue.add(next);
                    }
                }
            }
        }

        private void visitBytecode(final JavaCodeUnit codeUnit, final JavaClass owner)
        {
            final Optional<BytecodeFacts> facts = cache.factsOf(owner);
            if (facts.isEmpty())
            {
                if (classesWithoutBytecode.add(owner))
                {
                    report("unchecked bytecode", chainTo(codeUnit) + " (no class file for " + Names.shortName(owner) +
                        ": array creation, string concatenation, capturing lambdas and synchronized blocks unchecked)",
                        locationOf(codeUnit));
                }
                return;
            }
            for (final BytecodeFinding finding : facts.get().findings(codeUnit).orElse(List.of()))
            {
                if (finding.kind() != BytecodeFinding.Kind.NULL_ALLOCATOR)
                {
                    report(finding.kind().category(), chainTo(codeUnit) + " -> " + finding.detail(),
                        SourceCodeLocation.of(owner, finding.line()));
                }
            }
        }

        private void report(final String category, final String chain, final Object location)
        {
            final String message = root.getDescription() + " is @RealtimeSafe but reaches " + category + ": " + chain +
                " in " + location;
            if (reported.add(message))
            {
                events.add(SimpleConditionEvent.violated(root, message));
            }
        }

        private Object locationOf(final JavaCodeUnit codeUnit)
        {
            final Step step = reachedFrom.get(codeUnit);
            return null != step && null != step.via() ? step.via().getSourceCodeLocation() : codeUnit.getSourceCodeLocation();
        }

        private String chainTo(final JavaCodeUnit codeUnit)
        {
            final List<String> chain = new ArrayList<>();
            JavaCodeUnit current = codeUnit;
            while (null != current)
            {
                chain.add(Names.shortSignature(current));
                final Step step = reachedFrom.get(current);
                current = null == step ? null : step.from();
            }
            Collections.reverse(chain);
            return String.join(" -> ", chain);
        }
    }

    /**
     * How the walk got to a code unit.
     *
     * @param from the code unit it was reached from.
     * @param via  the call or reference, or {@code null} for an override of the root.
     */
    private record Step(JavaCodeUnit from, JavaAccess<?> via)
    {
    }
}
