package dev.hostalloc.conformance;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.AllocationCallbacks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The conformance checks every {@link AllocationCallbacks} implementation must pass: each rule of
 * the Vulkan specification's "Host Memory" chapter for {@code pfnAllocation},
 * {@code pfnReallocation}, {@code pfnFree} and the internal notifications, plus hostalloc's
 * documented choices where the spec is silent. The JUnit kit
 * ({@code dev.hostalloc.tests.conformance.AllocationCallbacksConformanceTest}) and
 * {@code ./hostalloc check} run the same checks.
 *
 * <p>Size 0: the spec says nothing. hostalloc's own allocators answer {@code allocate(0)} with a
 * unique block that must be freed (as glibc's {@code malloc(0)} and Mesa's default allocator do; the
 * CTS's reference allocator returns 0). The kit accepts both: 0, or a pointer that is aligned,
 * distinct from every other live block and taken back by {@code free}.
 *
 * <pre>{@code
 * ConformanceReport report = ConformanceSuite.standard().runAll(() -> new MyCallbacks());
 * System.out.print(report.text());
 * if (!report.passed()) { ... }
 * }</pre>
 */
public final class ConformanceSuite
{
    /** The largest alignment the kit verifies: 64 KiB ({@link Alignment#CONFORMANCE_MAX_ALIGNMENT}). */
    public static final long MAX_ALIGNMENT_CHECKED = Alignment.CONFORMANCE_MAX_ALIGNMENT;

    /** The largest block the kit allocates: 1 MiB. */
    public static final long LARGEST_BLOCK_BYTES = 1L << 20;

    /** The least {@code traits().capacityBytes()} a bounded allocator needs to run every check: 32 MiB. */
    public static final long REQUIRED_CAPACITY_BYTES = 32L << 20;

    /** The size used to make reallocate fail: 2^62 bytes, more than any address space holds. */
    public static final long UNSATISFIABLE_SIZE = 1L << 62;

    /** Threads in the concurrency check. */
    public static final int CONCURRENT_THREADS = 8;

    private static final ConformanceSuite STANDARD = new ConformanceSuite(List.of(
        new ConformanceCheck("alignment",
            "allocate honours every power-of-two alignment from 1 to 64 KiB in every scope",
            BlockChecks::alignment),
        new ConformanceCheck("alignment-above-maximum",
            "an alignment above traits().maxAlignment() gets 0 (or an aligned block), never a misaligned one",
            BlockChecks::alignmentAboveMaximum),
        new ConformanceCheck("writable-block",
            "a block is writable over [0, size): a pattern written is read back intact",
            BlockChecks::writableBlock),
        new ConformanceCheck("no-overlap",
            "distinct live blocks never share a byte, also after frees and reuse",
            BlockChecks::noOverlap),
        new ConformanceCheck("size-zero",
            "allocate(0) returns 0 or a distinct aligned block (hostalloc's choice) that free takes back",
            BlockChecks::sizeZero),
        new ConformanceCheck("free-null",
            "free(0) is a no-op",
            BlockChecks::freeNull),
        new ConformanceCheck("reallocate-null-is-allocate",
            "reallocate(0, size) behaves exactly like allocate(size)",
            ReallocationChecks::nullOriginalIsAllocate),
        new ConformanceCheck("reallocate-zero-is-free",
            "reallocate(p, 0) behaves exactly like free(p) and returns 0",
            ReallocationChecks::zeroSizeIsFree),
        new ConformanceCheck("reallocate-grow",
            "reallocate to a larger size keeps bytes [0, old size)",
            ReallocationChecks::grow),
        new ConformanceCheck("reallocate-shrink",
            "reallocate to a smaller size keeps bytes [0, new size)",
            ReallocationChecks::shrink),
        new ConformanceCheck("reallocate-failure-keeps-original",
            "a failed reallocate returns 0 and leaves the original valid, intact and not freed",
            ReallocationChecks::failureKeepsOriginal),
        new ConformanceCheck("reallocate-keeps-alignment",
            "reallocate keeps the original alignment (256 B to 64 KiB), also when the block moves",
            ReallocationChecks::keepsAlignment),
        new ConformanceCheck("internal-notifications",
            "internal allocation/free notifications are accepted in every scope and change nothing",
            BlockChecks::internalNotifications),
        new ConformanceCheck("traits",
            "traits() is stable, maxAlignment covers the 64 KiB the kit verifies, capacity suffices",
            BlockChecks::traits),
        new ConformanceCheck("concurrent-use",
            "8 threads allocate, write, verify, reallocate, hand off and free at once (when threadSafe)",
            ConcurrencyCheck::concurrentUse)));

    private final List<ConformanceCheck> checks;

    private ConformanceSuite(final List<ConformanceCheck> checks)
    {
        final Set<String> names = new HashSet<>();
        for (final ConformanceCheck check : checks)
        {
            if (!names.add(check.name()))
            {
                throw new IllegalArgumentException("duplicate check name: " + check.name());
            }
        }
        this.checks = List.copyOf(checks);
    }

    /**
     * The standard suite: every check, in a fixed order.
     *
     * @return the shared, immutable suite.
     */
    public static ConformanceSuite standard()
    {
        return STANDARD;
    }

    /**
     * The checks, in the order {@link #runAll} runs them.
     *
     * @return an unmodifiable list.
     */
    public List<ConformanceCheck> checks()
    {
        return checks;
    }

    /**
     * One check by name.
     *
     * @param name a check's name, e.g. {@code "reallocate-grow"}.
     * @return the check.
     * @throws IllegalArgumentException naming the valid checks when there is none of that name.
     */
    public ConformanceCheck check(final String name)
    {
        final List<String> names = new ArrayList<>(checks.size());
        for (final ConformanceCheck check : checks)
        {
            if (check.name().equals(name))
            {
                return check;
            }
            names.add(check.name());
        }
        throw new IllegalArgumentException("no conformance check named '" + name + "'; the checks are " + names);
    }

    /**
     * Runs one check and captures its outcome instead of throwing.
     *
     * @param check   the check.
     * @param factory makes the allocator under test.
     * @return passed; failed with the failure message (an exception other than
     *         {@link ConformanceFailure}, e.g. from the factory, also counts as failed); or skipped with
     *         the reason.
     */
    public static ConformanceResult run(final ConformanceCheck check, final Supplier<? extends AllocationCallbacks> factory)
    {
        try
        {
            check.run(factory);
            return new ConformanceResult(check.name(), check.rule(), ConformanceResult.Outcome.PASSED, "", null);
        }
        catch (final ConformanceSkipped skipped)
        {
            return new ConformanceResult(check.name(), check.rule(), ConformanceResult.Outcome.SKIPPED,
                skipped.reason(), null);
        }
        catch (final ConformanceFailure failure)
        {
            return new ConformanceResult(check.name(), check.rule(), ConformanceResult.Outcome.FAILED,
                String.valueOf(failure.getMessage()), failure);
        }
        catch (final RuntimeException | Error ex)
        {
            return new ConformanceResult(check.name(), check.rule(), ConformanceResult.Outcome.FAILED,
                "the check stopped on " + ex, ex);
        }
    }

    /**
     * Runs every check, each on a fresh allocator from {@code factory}, and collects the outcomes.
     * Never throws for a failing allocator.
     *
     * @param factory makes the allocator under test; called once per check.
     * @return the report, in suite order.
     */
    public ConformanceReport runAll(final Supplier<? extends AllocationCallbacks> factory)
    {
        final List<ConformanceResult> results = new ArrayList<>(checks.size());
        for (final ConformanceCheck check : checks)
        {
            results.add(run(check, factory));
        }
        return new ConformanceReport(results);
    }
}
