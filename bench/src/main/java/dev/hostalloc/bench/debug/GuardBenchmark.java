package dev.hostalloc.bench.debug;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.guard.Pages;
import dev.hostalloc.stack.Allocators;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

import static org.lwjgl.system.MemoryUtil.memSet;

/**
 * What the guard-page allocator costs against the system calls it cannot avoid: {@code bare} is a bare
 * {@code mmap} of the data pages plus a guard page, {@code mprotect} of the guard page and {@code munmap},
 * through the same {@link Pages} downcalls (the budget: {@code guard} within 1.2x of it).
 * {@code guard:quarantine=0} carves each block from reserved {@code PROT_NONE} address space (one
 * {@code mprotect}) and unmaps it on free; {@code guard} (the default 64 MiB quarantine) replaces the
 * freed range by {@code PROT_NONE} pages ({@code mmap(MAP_FIXED)}) and evicts in batches, one
 * {@code munmap} per run of neighbouring blocks.
 *
 * <p>Sizes: 4096 (a page: the block fills its data page, nothing else is written) and 64 (the rest of the
 * data page is filled and checked, so the page is touched; {@code bare} then touches it the same way, with
 * a memset of the same length, to compare like with like).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@DirectAllocation(reason = "benchmark baseline: the bare mmap/mprotect/munmap a guard block costs at least")
public class GuardBenchmark
{
    private static final long ALIGNMENT = 16;
    private static final String BARE = "bare";

    /** {@value #BARE}, or the stack measured. */
    @Param({ BARE, "guard:quarantine=0", "guard" })
    public String spec;

    /** Bytes per block. */
    @Param({ "4096", "64" })
    public long size;

    private AllocationCallbacks stack;
    private RecordingViolationHandler handler;
    private long pageSize;
    private long dataLength;
    private long fillLength;

    /** Builds the stack, or sizes the bare mapping. */
    @Setup(Level.Trial)
    public void setUp()
    {
        handler = new RecordingViolationHandler(4);
        pageSize = Pages.pageSize();
        dataLength = (size + pageSize - 1) & -pageSize;
        fillLength = dataLength - size;
        stack = BARE.equals(spec) ? null : Allocators.fromSpec(spec, handler);
    }

    /**
     * Fails the run if anything was reported.
     *
     * @throws IllegalStateException when the handler saw a violation.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (handler.hasViolations())
        {
            throw new IllegalStateException(handler.report());
        }
    }

    /**
     * One allocate and one free (or the bare system calls).
     *
     * @return the block's address.
     */
    @Benchmark
    public long allocateFree()
    {
        final AllocationCallbacks stack = this.stack;
        if (null == stack)
        {
            final long pageSize = this.pageSize;
            final long dataLength = this.dataLength;
            final long start = Pages.map(dataLength + pageSize, Pages.PROT_READ_WRITE);
            Pages.protect(start + dataLength, pageSize, Pages.PROT_NONE);
            if (fillLength != 0)
            {
                memSet(start, 0xAA, fillLength);
            }
            Pages.unmap(start, dataLength + pageSize);
            return start;
        }
        final long block = stack.allocate(size, ALIGNMENT, SystemAllocationScope.OBJECT);
        stack.free(block);
        return block;
    }
}
