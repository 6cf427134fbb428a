package dev.hostalloc.sim.workload;

import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.sim.SimDriver;
import dev.hostalloc.sim.SimResult;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.AllocationRecord;
import dev.hostalloc.testkit.CallbackValidator;
import dev.hostalloc.testkit.LiveBlock;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures each driver-sim object's host state per scope, as seen by a {@link RecordingAllocator}
 * given to the object's create call (the environment around it uses other callbacks): the blocks
 * live after create, per scope, and the COMMAND-scope blocks used during create (all freed before it
 * returned). One more row shows what the frame workload's first recording adds.
 */
public final class ObjectAllocationTable
{
    /**
     * One object's measurements.
     *
     * @param object          what was created.
     * @param blocks          blocks per scope ({@link SystemAllocationScope#ordinal()}): for COMMAND the
     *                        allocations during create, for the others those live after it.
     * @param bytes           bytes of those blocks, per scope.
     * @param internalBytes   EXECUTABLE bytes reported by internal-allocation notifications and not yet
     *                        reported freed after create (memory the driver maps itself), over all scopes.
     * @param freedOnDestroy  whether destroy freed everything the create made (internal totals back to 0).
     * @param commandFreed    whether every COMMAND-scope block was freed before create returned.
     */
    public record Row(
        String object, long[] blocks, long[] bytes, long internalBytes, boolean freedOnDestroy, boolean commandFreed)
    {
    }

    private ObjectAllocationTable()
    {
    }

    /**
     * Creates and destroys one object of every {@link ObjectRecipe} and measures it, then the frame
     * workload's first recording.
     *
     * @return one row per recipe, then the recording row.
     * @throws IllegalStateException when a creation fails.
     */
    public static List<Row> measure()
    {
        final List<Row> rows = new ArrayList<>();
        for (final ObjectRecipe recipe : ObjectRecipe.values())
        {
            rows.add(measure(recipe));
        }
        rows.add(measureFirstRecording());
        return rows;
    }

    /**
     * Measures one recipe.
     *
     * @param recipe the object type.
     * @return its row.
     */
    public static Row measure(final ObjectRecipe recipe)
    {
        final ViolationHandler handler = ViolationHandler.throwing();
        final SimDriver driver = new SimDriver(new SystemAllocator(handler), handler);
        final RecordingAllocator recorder = new RecordingAllocator(new SystemAllocator(handler));
        final long[] state = new long[2];
        final long[] handles = new long[1];
        try (SimEnvironment env = SimEnvironment.create(driver, null))
        {
            SimEnvironment.check(driver, recipe.prepare(env, recorder, state), recipe.name() + " prepare");
            final int before = recorder.recordCount();
            SimEnvironment.check(driver, recipe.create(env, recorder, state, handles, 1), recipe.name() + " create");
            final List<AllocationRecord> records = recorder.records();
            final Row row = row(recipe.name(), records.subList(before, records.size()), () ->
            {
                recipe.destroy(env, recorder, state, handles, 1);
                recipe.unprepare(env, recorder, state);
                return recorder.validate().check(0).passed();
            });
            return row;
        }
    }

    private static Row measureFirstRecording()
    {
        final ViolationHandler handler = ViolationHandler.throwing();
        final RecordingAllocator recorder = new RecordingAllocator(new SystemAllocator(handler));
        final SimDriver driver = new SimDriver(new SystemAllocator(handler), handler);
        final FrameWorkload workload = new FrameWorkload(driver, recorder);
        final int before = recorder.recordCount();
        final int result = workload.frame(0);
        if (SimResult.SUCCESS != result)
        {
            workload.close();
            throw new IllegalStateException("frame 0 returned " + SimResult.name(result));
        }
        final List<AllocationRecord> records = recorder.records();
        return row("COMMAND_BUFFER recording (first frame; later frames: none)", records.subList(before, records.size()),
            () ->
            {
                workload.close();
                return recorder.validate().check(0).passed();
            });
    }

    private static Row row(
        final String name, final List<AllocationRecord> during, final java.util.function.BooleanSupplier destroy)
    {
        final long[] blocks = new long[SystemAllocationScope.COUNT];
        final long[] bytes = new long[SystemAllocationScope.COUNT];
        for (final AllocationRecord record : during)
        {
            final boolean allocation = record.kind() == AllocationRecord.Kind.ALLOCATION ||
                (record.kind() == AllocationRecord.Kind.REALLOCATION && 0 == record.original());
            if (allocation && SystemAllocationScope.COMMAND.value() == record.scope())
            {
                blocks[SystemAllocationScope.COMMAND.ordinal()]++;
                bytes[SystemAllocationScope.COMMAND.ordinal()] += record.size();
            }
        }
        final ValidationResult afterCreate = CallbackValidator.validate(new ArrayList<>(during));
        boolean commandFreed = true;
        for (final LiveBlock block : afterCreate.liveBlocks())
        {
            if (SystemAllocationScope.COMMAND == block.scope())
            {
                commandFreed = false;
            }
            else
            {
                blocks[block.scope().ordinal()]++;
                bytes[block.scope().ordinal()] += block.size();
            }
        }
        long internalBytes = 0;
        for (final SystemAllocationScope scope : SystemAllocationScope.values())
        {
            internalBytes += afterCreate.internalTotal(InternalAllocationType.EXECUTABLE, scope);
        }
        return new Row(name, blocks, bytes, internalBytes, destroy.getAsBoolean(), commandFreed);
    }

    /**
     * The rows as a Markdown table.
     *
     * @param rows rows from {@link #measure()}.
     * @return the table, one line per row, with a header.
     */
    public static String markdown(final List<Row> rows)
    {
        final StringBuilder sb = new StringBuilder(2048);
        sb.append("| object | COMMAND (during create) | OBJECT | CACHE | DEVICE | INSTANCE | EXECUTABLE internal " +
            "(notified) | all freed on destroy |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (final Row row : rows)
        {
            sb.append("| ").append(row.object());
            for (int scope = 0; scope < SystemAllocationScope.COUNT; scope++)
            {
                sb.append(" | ").append(cell(row.blocks()[scope], row.bytes()[scope]));
                if (scope == SystemAllocationScope.COMMAND.ordinal() && row.blocks()[scope] != 0)
                {
                    sb.append(row.commandFreed() ? ", freed before return" : ", NOT FREED");
                }
            }
            sb.append(" | ").append(0 == row.internalBytes() ? "–" : row.internalBytes() + " B");
            sb.append(" | ").append(row.freedOnDestroy() ? "yes" : "NO").append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(final long blocks, final long bytes)
    {
        return 0 == blocks ? "–" : blocks + (blocks == 1 ? " block, " : " blocks, ") + bytes + " B";
    }
}
