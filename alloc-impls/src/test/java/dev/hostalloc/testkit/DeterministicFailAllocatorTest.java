package dev.hostalloc.testkit;

import dev.hostalloc.api.SystemAllocationScope;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DeterministicFailAllocatorTest
{
    private static final SystemAllocationScope SCOPE = SystemAllocationScope.OBJECT;

    @Test
    void firstNAllocationsPassThenAllFail()
    {
        final DeterministicFailAllocator allocator = new DeterministicFailAllocator(
            new FakeAddressAllocator(), DeterministicFailAllocator.Mode.COUNT_AND_FAIL, 2);
        final long a = allocator.allocate(8, 8, SCOPE);
        final long b = allocator.reallocate(a, 16, 8, SCOPE);
        assertNotEquals(0, a);
        assertNotEquals(0, b);
        assertEquals(0, allocator.allocate(8, 8, SCOPE));
        assertEquals(0, allocator.reallocate(b, 32, 8, SCOPE));
        assertEquals(0, allocator.reallocate(0, 32, 8, SCOPE));
        assertEquals(5, allocator.attempts());
        assertEquals(3, allocator.failures());
    }

    @Test
    void freesAndReallocateToZeroNeverFailNorCount()
    {
        final FakeAddressAllocator fake = new FakeAddressAllocator();
        final DeterministicFailAllocator allocator = new DeterministicFailAllocator(
            fake, DeterministicFailAllocator.Mode.COUNT_AND_FAIL, 1);
        final long a = allocator.allocate(8, 8, SCOPE);
        final long b = fake.allocate(8, 8, SCOPE);
        allocator.free(a);
        assertEquals(0, allocator.reallocate(b, 0, 8, SCOPE));
        assertEquals(2, fake.frees);
        assertEquals(1, allocator.attempts());
        assertEquals(0, allocator.failures());
    }

    @Test
    void zeroPassingFailsTheVeryFirstAndDoNotCountPassesAll()
    {
        final DeterministicFailAllocator allocator = new DeterministicFailAllocator(
            new FakeAddressAllocator(), DeterministicFailAllocator.Mode.COUNT_AND_FAIL, 0);
        assertEquals(0, allocator.allocate(8, 8, SCOPE));

        allocator.reset(DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
        for (int i = 0; i < 100; i++)
        {
            assertNotEquals(0, allocator.allocate(8, 8, SCOPE));
        }
        assertEquals(0, allocator.attempts());

        allocator.reset(DeterministicFailAllocator.Mode.COUNT_AND_FAIL, 3);
        int passed = 0;
        for (int i = 0; i < 10; i++)
        {
            passed += allocator.allocate(8, 8, SCOPE) != 0 ? 1 : 0;
        }
        assertEquals(3, passed);
        assertEquals(7, allocator.failures());
    }

    @Test
    void rejectsANegativeLimit()
    {
        assertThrows(IllegalArgumentException.class, () -> new DeterministicFailAllocator(
            new FakeAddressAllocator(), DeterministicFailAllocator.Mode.COUNT_AND_FAIL, -1));
    }
}
