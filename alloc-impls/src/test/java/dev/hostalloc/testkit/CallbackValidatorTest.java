package dev.hostalloc.testkit;

import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.hostalloc.testkit.AllocationRecord.Kind.ALLOCATION;
import static dev.hostalloc.testkit.AllocationRecord.Kind.FREE;
import static dev.hostalloc.testkit.AllocationRecord.Kind.INTERNAL_ALLOCATION;
import static dev.hostalloc.testkit.AllocationRecord.Kind.INTERNAL_FREE;
import static dev.hostalloc.testkit.AllocationRecord.Kind.REALLOCATION;
import static dev.hostalloc.testkit.AllocationRecord.NO_VALUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallbackValidatorTest
{
    private static final int OBJECT = SystemAllocationScope.OBJECT.value();
    private static final int COMMAND = SystemAllocationScope.COMMAND.value();
    private static final int EXECUTABLE = InternalAllocationType.EXECUTABLE.ordinal();

    private final List<AllocationRecord> records = new ArrayList<>();

    private void alloc(final long returned, final long size, final long alignment, final int scope)
    {
        records.add(new AllocationRecord(ALLOCATION, 0, size, alignment, scope, NO_VALUE, returned));
    }

    private void realloc(final long original, final long returned, final long size, final long alignment)
    {
        records.add(new AllocationRecord(REALLOCATION, original, size, alignment, OBJECT, NO_VALUE, returned));
    }

    private void free(final long memory)
    {
        records.add(new AllocationRecord(FREE, memory, 0, 0, NO_VALUE, NO_VALUE, 0));
    }

    private void internal(final AllocationRecord.Kind kind, final long size, final int type, final int scope)
    {
        records.add(new AllocationRecord(kind, 0, size, 0, scope, type, 0));
    }

    private List<Violation> kinds(final ValidationResult result)
    {
        return result.violations().stream().map(ValidationError::violation).toList();
    }

    @Test
    void cleanRecordingPasses()
    {
        alloc(0x1000, 64, 8, OBJECT);
        realloc(0x1000, 0x2000, 128, 8);
        realloc(0x2000, 0x2000, 32, 8);
        free(0x2000);
        free(0);
        final ValidationResult result = CallbackValidator.validate(records);
        assertEquals(List.of(), result.violations());
        assertTrue(result.liveBlocks().isEmpty());
        final ValidationReport report = result.check(0);
        assertTrue(report.passed(), report.text());
        assertEquals(1, result.statistics().allocations(SystemAllocationScope.OBJECT));
        assertEquals(2, result.statistics().reallocations(SystemAllocationScope.OBJECT));
        assertEquals(1, result.statistics().frees());
        assertEquals(128, result.statistics().peakLiveBytes());
    }

    @Test
    void findsEachOfTheCtsViolations()
    {
        alloc(0x1000, 64, 3, OBJECT);                  // INVALID_ALIGNMENT
        alloc(0x2000, 64, 8, 7);                       // INVALID_ALLOCATION_SCOPE
        free(0x2000);
        free(0x2000);                                  // DOUBLE_FREE
        free(0x9999);                                  // FREE_NOT_ALLOCATED_PTR
        realloc(0x8888, 0x3000, 16, 8);                // REALLOC_NOT_ALLOCATED_PTR (0x3000 becomes live)
        realloc(0x3000, 0x3000, 32, 16);               // REALLOC_DIFFERENT_ALIGNMENT
        free(0x3000);
        realloc(0x3000, 0x3000, 32, 8);                // REALLOC_FREED_PTR
        free(0x3000);
        internal(INTERNAL_ALLOCATION, 100, EXECUTABLE, OBJECT);
        internal(INTERNAL_FREE, 150, EXECUTABLE, OBJECT);  // NEGATIVE_INTERNAL_ALLOCATION_TOTAL
        internal(INTERNAL_ALLOCATION, 10, 5, OBJECT);      // INVALID_INTERNAL_ALLOCATION_TYPE
        free(0x1000);

        final ValidationResult result = CallbackValidator.validate(records);
        assertEquals(List.of(
            Violation.INVALID_ALIGNMENT,
            Violation.INVALID_ALLOCATION_SCOPE,
            Violation.DOUBLE_FREE,
            Violation.FREE_NOT_ALLOCATED_PTR,
            Violation.REALLOC_NOT_ALLOCATED_PTR,
            Violation.REALLOC_DIFFERENT_ALIGNMENT,
            Violation.REALLOC_FREED_PTR,
            Violation.NEGATIVE_INTERNAL_ALLOCATION_TOTAL,
            Violation.INVALID_INTERNAL_ALLOCATION_TYPE), kinds(result));
        assertEquals(3, result.violations().get(2).recordIndex());
        assertFalse(result.check(0).passed());
    }

    @Test
    void reallocationFailureKeepsOriginalLiveAndSizeZeroFrees()
    {
        alloc(0x1000, 64, 8, OBJECT);
        realloc(0x1000, 0, 1 << 20, 8);   // failed: original stays live
        ValidationResult result = CallbackValidator.validate(records);
        assertEquals(1, result.liveBlocks().size());
        assertEquals(0x1000, result.liveBlocks().get(0).address());
        assertEquals(64, result.liveBlocks().get(0).size());
        assertEquals(1, result.statistics().failures(SystemAllocationScope.OBJECT));

        realloc(0x1000, 0, 0, 8);         // size 0: freed
        result = CallbackValidator.validate(records);
        assertTrue(result.liveBlocks().isEmpty());
        assertTrue(result.check(0).passed());

        free(0x1000);                      // and now a double free
        assertEquals(List.of(Violation.DOUBLE_FREE), kinds(CallbackValidator.validate(records)));
    }

    @Test
    void reallocationOfNullIsAnAllocation()
    {
        realloc(0, 0x4000, 48, 16);
        final ValidationResult result = CallbackValidator.validate(records);
        assertEquals(List.of(), result.violations());
        assertEquals(1, result.liveBlocks().size());
        assertEquals(1, result.statistics().allocations(SystemAllocationScope.OBJECT));
    }

    @Test
    void addressReuseAfterFreeIsFine()
    {
        alloc(0x1000, 64, 8, OBJECT);
        free(0x1000);
        alloc(0x1000, 32, 8, COMMAND);
        free(0x1000);
        assertTrue(CallbackValidator.validate(records).check(0).passed());
    }

    @Test
    void leakCheckHonoursTheAllowedScopeMask()
    {
        alloc(0x1000, 64, 8, OBJECT);
        alloc(0x2000, 16, 8, COMMAND);
        internal(INTERNAL_ALLOCATION, 4096, EXECUTABLE, SystemAllocationScope.DEVICE.value());
        final ValidationResult result = CallbackValidator.validate(records);

        final ValidationReport objectAllowed = result.check(
            SystemAllocationScope.OBJECT.bit() | SystemAllocationScope.DEVICE.bit());
        assertFalse(objectAllowed.passed());
        assertEquals(1, objectAllowed.leaks().size());
        assertEquals(SystemAllocationScope.COMMAND, objectAllowed.leaks().get(0).scope());
        assertTrue(objectAllowed.internalLeaks().isEmpty());

        final ValidationReport nothingAllowed = result.check(0);
        assertEquals(2, nothingAllowed.leaks().size());
        assertEquals(1, nothingAllowed.internalLeaks().size());
        assertEquals(4096, nothingAllowed.internalLeaks().get(0).bytes());
        final String text = nothingAllowed.text();
        assertTrue(text.startsWith("FAIL: 0 violations, 3 leaks"), text);
        assertTrue(text.contains("LEAK 0x2000 (16 bytes, align 8, COMMAND) from call #1"), text);
        assertTrue(text.contains("4096 bytes of EXECUTABLE internal memory still allocated in scope DEVICE"), text);

        assertTrue(result.check(SystemAllocationScope.ALL_SCOPES_MASK).passed());
        assertEquals(1, result.liveCount(SystemAllocationScope.COMMAND));
        assertEquals(4096, result.internalTotal(InternalAllocationType.EXECUTABLE, SystemAllocationScope.DEVICE));
    }

    @Test
    void negativeSizeIsInvalid()
    {
        alloc(0, -1, 8, OBJECT);
        assertEquals(List.of(Violation.INVALID_SIZE), kinds(CallbackValidator.validate(records)));
    }

    @Test
    void reportNamesTheOffendingCall()
    {
        alloc(0x1000, 64, 8, OBJECT);
        free(0x1000);
        free(0x1000);
        final String text = CallbackValidator.validate(records).check(0).text();
        assertTrue(text.contains("DOUBLE_FREE at call #2: FREE 0x1000 (memory freed twice)"), text);
    }
}
