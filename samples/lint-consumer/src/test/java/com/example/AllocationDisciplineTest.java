package com.example;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.hostalloc.lint.HostAllocationRules;

/** hostalloc's allocation discipline over this project's main code. */
@AnalyzeClasses(packages = "com.example", importOptions = ImportOption.DoNotIncludeTests.class)
class AllocationDisciplineTest
{
    @ArchTest
    static final ArchTests HOSTALLOC = ArchTests.in(HostAllocationRules.class);
}
