package dev.hostalloc.sim.workload;

import dev.hostalloc.api.SystemAllocationScope;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObjectAllocationTableTest
{
    @Test
    void everyObjectsHostStateIsInItsScopeAndFreedOnDestroy()
    {
        final List<ObjectAllocationTable.Row> rows = ObjectAllocationTable.measure();
        assertEquals(ObjectRecipe.values().length + 1, rows.size());
        for (final ObjectAllocationTable.Row row : rows)
        {
            assertTrue(row.freedOnDestroy(), row.object());
            assertTrue(row.commandFreed(), row.object());
        }
        final ObjectAllocationTable.Row instance = rows.get(ObjectRecipe.INSTANCE.ordinal());
        assertEquals(2, instance.blocks()[SystemAllocationScope.INSTANCE.ordinal()], "instance + physical device");
        assertEquals(1, instance.blocks()[SystemAllocationScope.COMMAND.ordinal()]);
        final ObjectAllocationTable.Row device = rows.get(ObjectRecipe.DEVICE.ordinal());
        assertEquals(3, device.blocks()[SystemAllocationScope.DEVICE.ordinal()], "device, shared tables, queue");
        final ObjectAllocationTable.Row cache = rows.get(ObjectRecipe.PIPELINE_CACHE.ordinal());
        assertEquals(2, cache.blocks()[SystemAllocationScope.CACHE.ordinal()]);
        assertEquals(0, cache.blocks()[SystemAllocationScope.OBJECT.ordinal()]);
        final ObjectAllocationTable.Row buffer = rows.get(ObjectRecipe.BUFFER.ordinal());
        assertEquals(2, buffer.blocks()[SystemAllocationScope.OBJECT.ordinal()]);
        assertTrue(buffer.bytes()[SystemAllocationScope.OBJECT.ordinal()] >= ObjectRecipe.BUFFER_SIZE);

        final String table = ObjectAllocationTable.markdown(rows);
        assertTrue(table.startsWith("| object | COMMAND (during create) | OBJECT | CACHE | DEVICE | INSTANCE |"), table);
        assertTrue(table.contains("| INSTANCE | 1 block, 256 B, freed before return | – | – | – | 2 blocks, 112 B | – | yes |"),
            table);
        assertEquals(dev.hostalloc.sim.layout.PipelineDescriptor.EXECUTABLE_CODE_SIZE,
            rows.get(ObjectRecipe.PIPELINE.ordinal()).internalBytes());
        assertEquals(0, buffer.internalBytes());
    }
}
