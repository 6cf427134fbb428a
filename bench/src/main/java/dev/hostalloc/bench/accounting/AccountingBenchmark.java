package dev.hostalloc.bench.accounting;

import dev.hostalloc.accounting.Account;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.system.SystemAllocator;
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

/**
 * What the accounting decorator costs per allocate+free pair over its delegate, measured in the same
 * run: the bare delegate ({@link SystemAllocator}), the spec {@code accounting:limit=256m,system} (root
 * account with a budget, every block tracked), the same in the lean mode ({@code blocks=off}), and a
 * leaf two levels down ({@code bench/renderer/textures}, a budget at every
 * level). All threads of a run share one allocator, as the driver's threads share its callbacks: run
 * with {@code -t 1} and {@code -t 2} to see that two threads do not collapse. Add {@code -prof gc}:
 * {@code gc.alloc.rate.norm} must read 0 B/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--enable-native-access=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED" })
public class AccountingBenchmark
{
    private static final SystemAllocationScope SCOPE = SystemAllocationScope.OBJECT;
    private static final long ALIGNMENT = 16;

    /** Bytes per block. */
    @Param({ "64" })
    public long size;

    private SystemAllocator bare;
    private AccountingAllocator accounting;
    private AccountingAllocator lean;
    private AllocationCallbacks leaf;

    /** Builds the allocators once per trial. */
    @Setup(Level.Trial)
    public void setUp()
    {
        bare = new SystemAllocator();
        accounting = (AccountingAllocator)Allocators.fromSpec("accounting:name=bench:limit=256m,system");
        final Account renderer = accounting.root().child("renderer", 128L << 20);
        leaf = renderer.child("textures", 64L << 20);
        lean = (AccountingAllocator)Allocators.fromSpec("accounting:name=lean:limit=256m:blocks=off,system");
    }

    /** Checks nothing leaked and closes the accounting allocator. */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (accounting.root().currentBytes() != 0)
        {
            throw new IllegalStateException("the benchmark leaked: " + accounting.leakReport().text());
        }
        accounting.close();
        lean.close();
    }

    /**
     * The delegate alone.
     *
     * @return the freed address, so the JIT keeps the work.
     */
    @Benchmark
    public long bareDelegate()
    {
        final long block = bare.allocate(size, ALIGNMENT, SCOPE);
        bare.free(block);
        return block;
    }

    /**
     * Through {@code accounting:limit=256m,system}: the root account with a budget.
     *
     * @return the freed address.
     */
    @Benchmark
    public long accountingRoot()
    {
        final long block = accounting.allocate(size, ALIGNMENT, SCOPE);
        accounting.free(block);
        return block;
    }

    /**
     * Through {@code accounting:limit=256m:blocks=off,system}: the lean mode, no per-block table.
     *
     * @return the freed address.
     */
    @Benchmark
    public long accountingLean()
    {
        final long block = lean.allocate(size, ALIGNMENT, SCOPE);
        lean.free(block);
        return block;
    }

    /**
     * Through a leaf two levels below the root, every level with a budget: three accounts charged.
     *
     * @return the freed address.
     */
    @Benchmark
    public long accountingDepth3()
    {
        final long block = leaf.allocate(size, ALIGNMENT, SCOPE);
        leaf.free(block);
        return block;
    }
}
