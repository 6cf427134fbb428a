package dev.hostalloc.lint;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule set as a whole: one-line use, no vacuous pass on an empty import, and the freeze workflow. */
class RuleSetTest
{
    private static final JavaClasses NOTHING = new ClassFileImporter().importClasses();

    @AfterEach
    void resetArchUnitConfiguration()
    {
        ArchConfiguration.get().reset();
    }

    @Test
    void everyRuleIsAnArchTestConstantAndFailsOnAnEmptyImport(@TempDir final Path store)
    {
        ArchConfiguration.get().setProperty("freeze.store.default.path", store.toString());
        ArchConfiguration.get().setProperty("freeze.store.default.allowStoreCreation", "true");
        final List<ArchRule> constants = new ArrayList<>();
        constants.addAll(archTestRules(HostAllocationRules.class));
        constants.addAll(archTestRules(FrozenHostAllocationRules.class));
        constants.addAll(archTestRules(HostallocLayering.class));
        assertEquals(6 + 6 + 4, constants.size());
        constants.addAll(HostAllocationRules.rules(LintOptions.defaults().withMemoryStackAllowed(false)));
        constants.add(HostAllocationRules.all(LintOptions.defaults()));
        for (final ArchRule rule : constants)
        {
            final AssertionError empty = assertThrows(AssertionError.class, () -> rule.evaluate(NOTHING), rule.getDescription());
            assertTrue(empty.getMessage().contains("failed to check any classes"), empty.getMessage());
        }
    }

    @Test
    void theCompositeRuleReportsWhatTheSingleRulesReport()
    {
        final JavaClasses fixture = fixture("AllocateDirectCall");
        final List<String> details = HostAllocationRules.all(LintOptions.defaults()).evaluate(fixture)
            .getFailureReport().getDetails();
        assertEquals(1, details.size(), details.toString());
        assertTrue(details.get(0).contains("direct allocation (ByteBuffer.allocateDirect)"), details.get(0));
    }

    @Test
    void frozenRuleRecordsTodaysViolationsAndFailsOnlyOnNewOnes(@TempDir final Path store)
    {
        ArchConfiguration.get().setProperty("freeze.store.default.path", store.toString());
        ArchConfiguration.get().setProperty("freeze.store.default.allowStoreCreation", "true");

        final ArchRule first = FreezingArchRule.freeze(HostAllocationRules.NO_DIRECT_ALLOCATION);
        assertFalse(first.evaluate(fixture("AllocateDirectCall")).hasViolation(), "the first run records, it does not fail");

        final ArchRule later = FreezingArchRule.freeze(HostAllocationRules.NO_DIRECT_ALLOCATION);
        final JavaClasses withNewViolation = new ClassFileImporter().importPackages(FixtureCorpusTest.FIXTURES + ".violating")
            .that(com.tngtech.archunit.base.DescribedPredicate.describe("two fixtures", (JavaClass c) ->
                c.getName().endsWith(".AllocateDirectCall") || c.getName().endsWith(".StaticImportMemAlloc")));
        final List<String> details = later.evaluate(withNewViolation).getFailureReport().getDetails();
        assertEquals(1, details.size(), details.toString());
        assertTrue(details.get(0).contains("StaticImportMemAlloc.buffer()"), details.get(0));
    }

    /** In CI (no store updates) a fixed violation must be removed from the committed store too. */
    @Test
    void frozenRuleInCiFailsWhenTheRecordWouldShrink(@TempDir final Path store)
    {
        ArchConfiguration.get().setProperty("freeze.store.default.path", store.toString());
        ArchConfiguration.get().setProperty("freeze.store.default.allowStoreCreation", "true");
        final JavaClasses two = new ClassFileImporter().importPackages(FixtureCorpusTest.FIXTURES + ".violating")
            .that(com.tngtech.archunit.base.DescribedPredicate.describe("two fixtures", (JavaClass c) ->
                c.getName().endsWith(".AllocateDirectCall") || c.getName().endsWith(".StaticImportMemAlloc")));
        assertFalse(FreezingArchRule.freeze(HostAllocationRules.NO_DIRECT_ALLOCATION).evaluate(two).hasViolation());

        ArchConfiguration.get().setProperty("freeze.store.default.allowStoreUpdate", "false");
        final ArchRule inCi = FreezingArchRule.freeze(HostAllocationRules.NO_DIRECT_ALLOCATION);
        final RuntimeException stale = assertThrows(RuntimeException.class, () -> inCi.evaluate(fixture("AllocateDirectCall")));
        assertEquals("StoreUpdateFailedException", stale.getClass().getSimpleName(), stale.toString());
    }

    @Test
    void frozenRuleInCiRefusesToCreateAStore(@TempDir final Path store)
    {
        ArchConfiguration.get().setProperty("freeze.store.default.path", store.resolve("missing").toString());
        ArchConfiguration.get().setProperty("freeze.store.default.allowStoreCreation", "false");
        final ArchRule frozen = FreezingArchRule.freeze(HostAllocationRules.NO_DIRECT_ALLOCATION);
        final RuntimeException refused = assertThrows(RuntimeException.class, () -> frozen.evaluate(fixture("AllocateDirectCall")));
        assertEquals("StoreInitializationFailedException", refused.getClass().getSimpleName(), refused.toString());
    }

    @Test
    void optionsRejectBlankPackages()
    {
        assertThrows(IllegalArgumentException.class, () -> LintOptions.defaults().withOptedOutPackages(" "));
        assertEquals(List.of("a.b.."), LintOptions.defaults().withOptedOutPackages("a.b..").optedOutPackages());
        assertTrue(LintOptions.defaults().memoryStackAllowed());
    }

    private static JavaClasses fixture(final String simpleName)
    {
        return FixtureCorpusTest.scopeOf(FixtureCorpusTest.CORPUS.get(FixtureCorpusTest.FIXTURES + ".violating." + simpleName));
    }

    private static List<ArchRule> archTestRules(final Class<?> holder)
    {
        final List<ArchRule> rules = new ArrayList<>();
        for (final Field field : holder.getDeclaredFields())
        {
            if (field.isAnnotationPresent(ArchTest.class))
            {
                assertTrue(Modifier.isPublic(field.getModifiers()) && Modifier.isStatic(field.getModifiers()) &&
                    Modifier.isFinal(field.getModifiers()), field.toString());
                try
                {
                    rules.add((ArchRule)field.get(null));
                }
                catch (final IllegalAccessException e)
                {
                    throw new IllegalStateException(e);
                }
            }
        }
        return rules;
    }
}
