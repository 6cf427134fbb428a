package dev.hostalloc.cookie;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecentlyFreedTest
{
    @Test
    void remembersUntilOverwrittenAndNeverInventsAnAddress()
    {
        final RecentlyFreed freed = new RecentlyFreed(2, false);
        assertEquals(2, freed.slots());
        assertFalse(freed.contains(0));
        freed.add(0x1000);
        assertTrue(freed.contains(0x1000));
        assertFalse(freed.contains(0x2000));
        for (long a = 0x10_000; a < 0x20_000; a += 16)
        {
            freed.add(a);
        }
        assertFalse(freed.contains(0x1000), "two slots cannot remember 4096 addresses");
        assertEquals(RecentlyFreed.DEFAULT_SLOTS, new RecentlyFreed().slots());
        assertThrows(IllegalArgumentException.class, () -> new RecentlyFreed(3, false));
        assertThrows(IllegalArgumentException.class, () -> new RecentlyFreed(1, false));
    }
}
