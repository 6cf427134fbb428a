package dev.hostalloc.sim;

import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.sim.workload.ObjectRecipe;
import dev.hostalloc.sim.workload.SimEnvironment;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.AllocationRecord;
import dev.hostalloc.testkit.DeterministicFailAllocator;
import dev.hostalloc.testkit.LiveBlock;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Vulkan CTS's object-management checks ({@code dEQP-VK.api.object_management.*}) on driver-sim,
 * for every object type: the environment (instance, device, shader module) uses the driver's own
 * callbacks, the object under test (and, for pooled objects, its pool) the callbacks under test.
 */
class ObjectManagementTest
{
    /** INSTANCE|DEVICE|CACHE|OBJECT: what may be live while an object lives (no COMMAND). */
    private static final int OBJECT_LIFETIME_SCOPES = SystemAllocationScope.INSTANCE.bit() |
        SystemAllocationScope.DEVICE.bit() | SystemAllocationScope.CACHE.bit() | SystemAllocationScope.OBJECT.bit();
    private static final int NOTHING_LIVE = 0;
    private static final int MAX_TRIES = 1024; // the CTS's limit
    private static final long UNSET_HANDLE = 0xDEADL;

    private final SimDriver driver = new SimDriver(ViolationHandler.throwing());

    @ParameterizedTest
    @EnumSource(ObjectRecipe.class)
    void singleAllocCallbacks(final ObjectRecipe recipe)
    {
        final RecordingAllocator recorder = new RecordingAllocator(new SystemAllocator(ViolationHandler.throwing()));
        final long[] state = new long[2];
        final long[] handle = new long[1];
        try (SimEnvironment env = SimEnvironment.create(driver, null))
        {
            assertEquals(SimResult.SUCCESS, recipe.prepare(env, recorder, state));
            assertEquals(SimResult.SUCCESS, recipe.create(env, recorder, state, handle, 1), driver::lastFailureReason);
            final ValidationReport whileAlive = recorder.validate().check(OBJECT_LIFETIME_SCOPES);
            assertTrue(whileAlive.passed(), () -> recipe + " while alive:\n" + whileAlive.text());
            assertTrue(recorder.validate().liveBlocks().stream().anyMatch(b -> b.address() == handle[0]),
                () -> recipe + ": the handle is not a block from the object's callbacks");
            recipe.destroy(env, recorder, state, handle, 1);
            recipe.unprepare(env, recorder, state);
        }
        final ValidationReport afterDestroy = recorder.validate().check(NOTHING_LIVE);
        assertTrue(afterDestroy.passed(), () -> recipe + " after destroy:\n" + afterDestroy.text());
        assertTrue(recorder.recordCount() > 0, () -> recipe + " never used the callbacks it was given");
    }

    @ParameterizedTest
    @EnumSource(ObjectRecipe.class)
    void allocCallbackFail(final ObjectRecipe recipe)
    {
        final int fullCreate = countAllocations(recipe, 1);
        assertTrue(fullCreate > 0, recipe + " allocates nothing");
        final int passedAt = failEachAllocation(recipe, 1);
        assertEquals(fullCreate, passedAt, recipe + ": creation must succeed exactly when every allocation does " +
            "(no allocation it can live without on this path)");
    }

    @ParameterizedTest
    @EnumSource(value = ObjectRecipe.class, names = { "PIPELINE", "DESCRIPTOR_SET", "COMMAND_BUFFER" })
    void allocCallbackFailMultiple(final ObjectRecipe recipe)
    {
        assertTrue(recipe.multiObject());
        final int fullCreate = countAllocations(recipe, ObjectRecipe.MULTI_COUNT);
        assertEquals(fullCreate, failEachAllocation(recipe, ObjectRecipe.MULTI_COUNT));
    }

    /** Allocation calls (allocate + reallocate) of one full create of {@code count} objects. */
    private int countAllocations(final ObjectRecipe recipe, final int count)
    {
        final DeterministicFailAllocator counter = new DeterministicFailAllocator(
            new SystemAllocator(ViolationHandler.throwing()), DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
        final long[] state = new long[2];
        final long[] handles = new long[count];
        try (SimEnvironment env = SimEnvironment.create(driver, null))
        {
            assertEquals(SimResult.SUCCESS, recipe.prepare(env, counter, state));
            counter.reset(DeterministicFailAllocator.Mode.COUNT_AND_FAIL, Long.MAX_VALUE);
            assertEquals(SimResult.SUCCESS, recipe.create(env, counter, state, handles, count));
            final long attempts = counter.attempts();
            counter.reset(DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
            recipe.destroy(env, counter, state, handles, count);
            recipe.unprepare(env, counter, state);
            return (int)attempts;
        }
    }

    /**
     * For N = 0, 1, 2, ...: let N allocations pass, fail the rest; creation must succeed or return
     * out-of-host-memory with every handle null and nothing of the call left live.
     *
     * @return the first N at which creation succeeded.
     */
    private int failEachAllocation(final ObjectRecipe recipe, final int count)
    {
        for (int passing = 0; passing < MAX_TRIES; passing++)
        {
            final DeterministicFailAllocator failing = new DeterministicFailAllocator(
                new SystemAllocator(ViolationHandler.throwing()), DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
            final RecordingAllocator recorder = new RecordingAllocator(failing);
            final long[] state = new long[2];
            final long[] handles = new long[count];
            Arrays.fill(handles, UNSET_HANDLE);
            final int result;
            try (SimEnvironment env = SimEnvironment.create(driver, null))
            {
                assertEquals(SimResult.SUCCESS, recipe.prepare(env, recorder, state));
                final int liveBefore = recorder.validate().liveBlocks().size();
                final int recordsBefore = recorder.recordCount();
                failing.reset(DeterministicFailAllocator.Mode.COUNT_AND_FAIL, passing);
                result = recipe.create(env, recorder, state, handles, count);
                failing.reset(DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
                if (SimResult.SUCCESS == result)
                {
                    recipe.destroy(env, recorder, state, handles, count);
                }
                else
                {
                    assertEquals(SimResult.ERROR_OUT_OF_HOST_MEMORY, result, () -> recipe + " with " + count +
                        " objects, " + failing.attempts() + " attempts: " + SimResult.name(result));
                    for (int i = 0; i < count; i++)
                    {
                        assertEquals(0, handles[i], recipe + ": handle " + i + " must be null after a failed call");
                    }
                    final int liveAfter = recorder.validate().liveBlocks().size();
                    assertEquals(liveBefore, liveAfter, () -> recipe + " left blocks of the failed call live: " +
                        recorder.records().subList(recordsBefore, recorder.recordCount()));
                }
                recipe.unprepare(env, recorder, state);
            }
            final ValidationReport report = recorder.validate().check(NOTHING_LIVE);
            final int n = passing;
            assertTrue(report.passed(), () -> recipe + " with " + count + " objects, N=" + n + ":\n" + report.text());
            if (SimResult.SUCCESS == result)
            {
                return passing;
            }
        }
        return fail(recipe + " never succeeded within " + MAX_TRIES + " tries");
    }

    @ParameterizedTest
    @EnumSource(ObjectRecipe.class)
    void noCommandScopeBlockOutlivesTheCreateCall(final ObjectRecipe recipe)
    {
        final RecordingAllocator recorder = new RecordingAllocator(new SystemAllocator(ViolationHandler.throwing()));
        final long[] state = new long[2];
        final long[] handle = new long[1];
        try (SimEnvironment env = SimEnvironment.create(driver, null))
        {
            recipe.prepare(env, recorder, state);
            recipe.create(env, recorder, state, handle, 1);
            for (final LiveBlock block : recorder.validate().liveBlocks())
            {
                assertTrue(block.scope() != SystemAllocationScope.COMMAND, () -> recipe + ": live " + block);
            }
            for (final AllocationRecord record : recorder.records())
            {
                assertTrue(SystemAllocationScope.isValid(record.scope()) || record.kind() == AllocationRecord.Kind.FREE);
            }
            recipe.destroy(env, recorder, state, handle, 1);
            recipe.unprepare(env, recorder, state);
        }
    }
}
