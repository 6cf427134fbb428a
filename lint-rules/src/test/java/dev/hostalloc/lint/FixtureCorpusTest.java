package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.hostalloc.lint.fixtures.Clean;
import dev.hostalloc.lint.fixtures.Expect;
import dev.hostalloc.lint.fixtures.FixtureOptions;
import dev.hostalloc.lint.fixtures.WithOptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rule against the fixture corpus: each violating fixture is reported with exactly its expected
 * messages (by all rules together, so nothing else is reported for it either), each clean fixture with
 * none. A fixture is its class and the classes nested in it, or, in a package of its own, the whole
 * package with its {@code package-info}.
 */
class FixtureCorpusTest
{
    static final String FIXTURES = "dev.hostalloc.lint.fixtures";
    private static final String VIOLATING = FIXTURES + ".violating";
    private static final String CLEAN = FIXTURES + ".clean";
    private static final int MIN_VIOLATING = 40;
    private static final int MIN_CLEAN = 20;

    static final JavaClasses CORPUS = new ClassFileImporter().importPackages(FIXTURES);

    @Test
    void corpusIsLargeEnoughAndEveryFixtureIsMarked()
    {
        final List<JavaClass> violating = fixtures(Expect.class);
        final List<JavaClass> clean = fixtures(Clean.class);
        assertTrue(violating.size() >= MIN_VIOLATING, "violating fixtures: " + violating.size());
        assertTrue(clean.size() >= MIN_CLEAN, "clean fixtures: " + clean.size());
        for (final JavaClass javaClass : CORPUS)
        {
            if (javaClass.isTopLevelClass() && !OptOutReasonsCondition.isPackageInfo(javaClass) &&
                (javaClass.getPackageName().startsWith(VIOLATING) || javaClass.getPackageName().startsWith(CLEAN)))
            {
                final Class<?> type = load(javaClass);
                assertTrue(type.getAnnotationsByType(Expect.class).length > 0 || type.isAnnotationPresent(Clean.class),
                    javaClass.getName() + " is neither @Expect nor @Clean");
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> violatingFixturesReportExactlyTheirMessages()
    {
        return fixtures(Expect.class).stream().map(fixture -> DynamicTest.dynamicTest(fixture.getSimpleName(), () ->
        {
            final List<String> expected = new ArrayList<>(
                Arrays.stream(load(fixture).getAnnotationsByType(Expect.class)).map(Expect::value).toList());
            final List<String> actual = violations(fixture);
            expected.sort(null);
            actual.sort(null);
            assertEquals(expected, actual, () -> "actual:\n" + String.join("\n", actual));
        }));
    }

    @TestFactory
    Stream<DynamicTest> cleanFixturesReportNothing()
    {
        return fixtures(Clean.class).stream().map(fixture -> DynamicTest.dynamicTest(fixture.getSimpleName(), () ->
            assertEquals(List.of(), violations(fixture))));
    }

    /**
     * All messages every rule reports for one fixture, line numbers removed.
     *
     * @param fixture the fixture's marked class.
     * @return the messages.
     */
    static List<String> violations(final JavaClass fixture)
    {
        final JavaClasses scope = scopeOf(fixture);
        final WithOptions withOptions = load(fixture).getAnnotation(WithOptions.class);
        final LintOptions options = (null == withOptions ? FixtureOptions.DEFAULTS : withOptions.value()).options();
        final List<String> messages = new ArrayList<>();
        for (final ArchRule rule : HostAllocationRules.rules(options))
        {
            for (final String detail : rule.evaluate(scope).getFailureReport().getDetails())
            {
                messages.add(withoutLineNumbers(detail));
            }
        }
        return messages;
    }

    static JavaClasses scopeOf(final JavaClass fixture)
    {
        final String packageName = fixture.getPackageName();
        if (packageName.equals(VIOLATING) || packageName.equals(CLEAN))
        {
            return CORPUS.that(com.tngtech.archunit.base.DescribedPredicate.describe(
                "within " + fixture.getSimpleName(), (JavaClass c) -> OptOuts.isWithin(c, fixture)));
        }
        return CORPUS.that(com.tngtech.archunit.base.DescribedPredicate.describe(
            "in " + packageName, (JavaClass c) -> c.getPackageName().equals(packageName)));
    }

    static String withoutLineNumbers(final String message)
    {
        return message.replaceAll("\\.java:\\d+\\)", ".java)");
    }

    private static List<JavaClass> fixtures(final Class<? extends java.lang.annotation.Annotation> marker)
    {
        final List<JavaClass> fixtures = new ArrayList<>();
        for (final JavaClass javaClass : CORPUS)
        {
            if (javaClass.isTopLevelClass() && !OptOutReasonsCondition.isPackageInfo(javaClass))
            {
                final Class<?> type = load(javaClass);
                if (type.getAnnotationsByType(marker).length > 0)
                {
                    fixtures.add(javaClass);
                }
            }
        }
        fixtures.sort(java.util.Comparator.comparing(JavaClass::getName));
        return fixtures;
    }

    private static Class<?> load(final JavaClass javaClass)
    {
        try
        {
            return Class.forName(javaClass.getName(), false, FixtureCorpusTest.class.getClassLoader());
        }
        catch (final ClassNotFoundException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
