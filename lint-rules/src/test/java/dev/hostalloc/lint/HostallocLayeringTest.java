package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rule 5 with packages standing in for modules, and the real locator on real build outputs. */
class HostallocLayeringTest
{
    private static final String LAYERING = "dev.hostalloc.lint.fixtures.layering";
    private static final Map<String, HostallocModule> MODULE_BY_PACKAGE = Map.of(
        LAYERING + ".api", HostallocModule.ALLOC_API,
        LAYERING + ".impls", HostallocModule.ALLOC_IMPLS,
        LAYERING + ".driver", HostallocModule.DRIVER_SIM);
    private static final Function<JavaClass, Optional<HostallocModule>> BY_PACKAGE =
        javaClass -> Optional.ofNullable(MODULE_BY_PACKAGE.get(javaClass.getPackageName()));

    private static final JavaClasses LAYERING_FIXTURES = new ClassFileImporter().importPackages(LAYERING);

    @Test
    void reportsEachLayeringBreachAndTheUnplacedClass()
    {
        final List<String> violations = new ArrayList<>();
        for (final ArchRule rule : HostallocLayering.rules(BY_PACKAGE))
        {
            violations.addAll(rule.evaluate(LAYERING_FIXTURES).getFailureReport().getDetails());
        }
        final String all = String.join("\n", violations);
        assertTrue(all.contains("Class <" + LAYERING + ".unplaced.UnplacedType> is not built by one of hostalloc's modules"), all);
        assertTrue(all.contains("<" + LAYERING + ".api.ApiType.implementation()> has return type <" + LAYERING +
            ".impls.ImplType>"), all);
        assertTrue(all.contains("<" + LAYERING + ".impls.ImplType.use(" + LAYERING + ".api.CleanApiType, " + LAYERING +
            ".driver.DriverType)> has parameter of type <" + LAYERING + ".driver.DriverType>"), all);
        assertTrue(all.contains("calls method <org.junit.jupiter.api.Assertions.assertNotNull(java.lang.Object)>"), all);
        assertTrue(violations.stream().noneMatch(v -> v.contains("CleanApiType.values()")), all);
        assertTrue(violations.stream().noneMatch(v -> v.contains("MemoryUtil") || v.contains("BitUtil")), all);
        assertTrue(violations.stream().noneMatch(v -> v.startsWith("Method <" + LAYERING + ".driver")), all);
    }

    @Test
    void locatorTellsModulesFromBuildOutputs()
    {
        final JavaClasses classes = new ClassFileImporter().importClasses(
            HostAllocationRules.class, dev.hostalloc.api.DirectAllocation.class, FixtureCorpusTest.class);
        assertEquals(Optional.of(HostallocModule.LINT_RULES), HostallocModule.of(classes.get(HostAllocationRules.class)));
        assertEquals(Optional.of(HostallocModule.ALLOC_API),
            HostallocModule.of(classes.get(dev.hostalloc.api.DirectAllocation.class)));
        assertEquals(Optional.empty(), HostallocModule.of(classes.get(FixtureCorpusTest.class)), "test classes are no module's");
    }
}
