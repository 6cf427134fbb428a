package dev.hostalloc.cli;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.stack.ElementArgs;
import dev.hostalloc.stack.ElementFactory;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulateCommandTest
{
    private static final String OUT_OF_MEMORY = "sim-test-out-of-memory";

    private record Run(int exitCode, String out, String err)
    {
    }

    private static Run run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int exitCode = HostallocCommand.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void simulatePrintsTheSummaryAndPasses()
    {
        final Run run = run("simulate", "--callbacks", "system", "--frames", "20");
        assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().startsWith("hostalloc simulate: driver-sim frame workload, 20 frames, instance callbacks " +
            "= 'system'"), run.out());
        assertTrue(run.out().contains("frames 2..20: 0 (steady state allocates nothing)"), run.out());
        assertTrue(run.out().contains("Allocations per scope"), run.out());
        assertTrue(run.out().contains("  PIPELINE_CACHE   CACHE "), run.out());
        assertTrue(run.out().strip().endsWith("hostalloc simulate: PASSED"), run.out());
    }

    @Test
    void tablePrintsEveryObject()
    {
        final Run run = run("simulate", "--table");
        assertEquals(HostallocCommand.EXIT_OK, run.exitCode(), run.out() + run.err());
        for (final String object : new String[] { "INSTANCE", "DEVICE", "BUFFER", "IMAGE", "SHADER_MODULE",
            "PIPELINE_CACHE", "PIPELINE", "DESCRIPTOR_POOL", "DESCRIPTOR_SET", "COMMAND_POOL", "COMMAND_BUFFER", "FENCE" })
        {
            assertTrue(run.out().contains("\n| " + object + " | "), object + " missing:\n" + run.out());
        }
    }

    @Test
    void badUsageExitsTwo()
    {
        assertEquals(HostallocCommand.EXIT_USAGE, run("simulate", "--frames", "0").exitCode());
        final Run bad = run("simulate", "--callbacks", "no-such-element");
        assertEquals(HostallocCommand.EXIT_USAGE, bad.exitCode());
        assertTrue(bad.err().contains("no-such-element"), bad.err());
    }

    @Test
    void aStackThatRunsOutOfMemoryFailsWithExitCodeOne()
    {
        Allocators.register(OUT_OF_MEMORY, ElementFactory.of(ElementFactory.Kind.DECORATOR,
            OUT_OF_MEMORY + "  test only: every allocation fails", ElementArgs::requireNone,
            (args, delegate, handler) -> new OutOfMemory(delegate)));
        final Run run = run("simulate", "--callbacks", OUT_OF_MEMORY + ",system", "--frames", "3");
        assertEquals(HostallocCommand.EXIT_FAILED, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("FAILED: the simulation stopped on java.lang.IllegalStateException: " +
            "createInstance returned VK_ERROR_OUT_OF_HOST_MEMORY"), run.out());
    }

    /** Fails every allocation (test only). */
    private record OutOfMemory(AllocationCallbacks delegate) implements AllocationCallbacks
    {
        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            return 0;
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            return 0 == size ? delegate.reallocate(original, size, alignment, scope) : 0;
        }

        @Override
        public void free(final long memory)
        {
            delegate.free(memory);
        }
    }
}
