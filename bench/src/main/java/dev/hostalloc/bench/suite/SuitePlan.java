package dev.hostalloc.bench.suite;

import dev.hostalloc.bench.debug.GuardBenchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Every row of the suite, in table order, with its reference and goal (issue 10):
 * <ul>
 *   <li>pair and batch, alignments 8 and 64: glibc, jemalloc, mimalloc, the {@code MemoryStack} floor, then
 *       the hostalloc stacks; ratios against glibc ({@code aligned_alloc} at 64); {@code system} ≤ 1.3×,
 *       {@code tlsf:64m} ≤ 1.0×; decorators as added nanoseconds over {@code system}: cookies ≤ 5,
 *       accounting ≤ 5, logging ≤ 30, and the full debug stack ≤ 40 (the sum: hostalloc's reading);</li>
 *   <li>pages: {@code guard} and {@code guard:quarantine=0} against bare mmap+mprotect+munmap
 *       ({@link GuardBenchmark}), ≤ 1.2×;</li>
 *   <li>the pair on two threads: the baselines and the thread-safe stacks, the same goals against the
 *       two-thread glibc and {@code system} rows;</li>
 *   <li>Vulkan: buffer and command-buffer loops with {@code pAllocator = NULL} and through the bridge:
 *       production ({@value VulkanBenchmark#PRODUCTION}) ≤ 1.05×, full debug ≤ 1.5× the NULL row;</li>
 *   <li>the allocation control ({@link HeapControlBenchmark}).</li>
 * </ul>
 */
public final class SuitePlan
{
    /** The hostalloc stacks of the per-call matrix, in table order. */
    public static final List<String> STACKS = List.of(
        "system", "cookies,system", "accounting,system", "logging,system", "cookies,accounting,logging,system",
        "guard", "tlsf:64m");

    /** The native baselines, in table order. */
    public static final List<String> NATIVE = List.of(NativeHeap.GLIBC, NativeHeap.JEMALLOC, NativeHeap.MIMALLOC);

    /** The alignments of the per-call matrix. */
    public static final List<String> ALIGNMENTS = List.of("8", "64");

    /** The guard rows' block size (the page is partly filled, so the floor touches it too). */
    public static final String GUARD_BLOCK_SIZE = "64";

    /** The label prefix of the Vulkan rows. */
    public static final String VULKAN_PREFIX = "vulkan ";

    /** The control row's label. */
    public static final String CONTROL = "control: new long[2] per op";

    private static final String SYSTEM = "system";
    private static final String GUARD = "guard";
    private static final String MEMORY_STACK = "MemoryStack push/malloc/pop";
    private static final String BARE_PAGES = "bare";
    private static final Map<String, Double> ADDED_NANOS = Map.of(
        "cookies,system", 5.0,
        "accounting,system", 5.0,
        "logging,system", 30.0,
        "cookies,accounting,logging,system", 40.0);
    private static final Map<String, Double> RATIOS = Map.of(SYSTEM, 1.3, "tlsf:64m", 1.0);
    private static final double GUARD_RATIO = 1.2;
    private static final double PRODUCTION_RATIO = 1.05;
    private static final double DEBUG_RATIO = 1.5;

    private SuitePlan()
    {
    }

    /**
     * Every case.
     *
     * @param threadSafe which of {@link #STACKS} may be called from two threads at once.
     * @return the cases in table order; labels are unique.
     */
    public static List<SuiteCase> all(final Predicate<String> threadSafe)
    {
        final List<SuiteCase> cases = new ArrayList<>();
        for (final String pattern : List.of("pair", "batch"))
        {
            for (final String alignment : ALIGNMENTS)
            {
                final String prefix = pattern + " a=" + alignment + " ";
                final String glibc = prefix + NativeHeap.GLIBC;
                for (final String heap : NATIVE)
                {
                    cases.add(new SuiteCase(prefix + heap, SuiteCase.Role.BASELINE, BaselineBenchmark.class, pattern,
                        params("allocator", heap, "alignment", alignment), glibc, null));
                }
                cases.add(new SuiteCase(prefix + MEMORY_STACK, SuiteCase.Role.BASELINE, MemoryStackBenchmark.class, pattern,
                    params("alignment", alignment), glibc, null));
                for (final String spec : STACKS)
                {
                    cases.add(new SuiteCase(prefix + spec, SuiteCase.Role.HOSTALLOC, StackBenchmark.class, pattern,
                        params("spec", spec, "alignment", alignment), glibc, goal(spec, glibc, prefix + SYSTEM)));
                }
            }
        }

        final String pagesPrefix = "pages " + GUARD_BLOCK_SIZE + " B ";
        final String floor = pagesPrefix + "bare mmap+mprotect+munmap";
        cases.add(new SuiteCase(floor, SuiteCase.Role.BASELINE, GuardBenchmark.class, "allocateFree",
            params("spec", BARE_PAGES, "size", GUARD_BLOCK_SIZE), floor, null));
        for (final String spec : List.of("guard:quarantine=0", GUARD))
        {
            cases.add(new SuiteCase(pagesPrefix + spec, SuiteCase.Role.HOSTALLOC, GuardBenchmark.class, "allocateFree",
                params("spec", spec, "size", GUARD_BLOCK_SIZE), floor, Goal.ratio(GUARD_RATIO, floor)));
        }

        final String threadsPrefix = "pair a=8 " + TwoThreadBenchmark.THREADS + " threads ";
        final String glibcThreads = threadsPrefix + NativeHeap.GLIBC;
        for (final String heap : NATIVE)
        {
            cases.add(new SuiteCase(threadsPrefix + heap, SuiteCase.Role.BASELINE, TwoThreadBenchmark.class, "pair",
                params("subject", heap), glibcThreads, null));
        }
        for (final String spec : STACKS)
        {
            if (threadSafe.test(spec))
            {
                cases.add(new SuiteCase(threadsPrefix + spec, SuiteCase.Role.HOSTALLOC, TwoThreadBenchmark.class, "pair",
                    params("subject", spec), glibcThreads, goal(spec, glibcThreads, threadsPrefix + SYSTEM)));
            }
        }

        for (final String method : List.of("createDestroyBuffer", "allocateFreeCommandBuffer"))
        {
            final String prefix = VULKAN_PREFIX + method + " ";
            final String none = prefix + "pAllocator=NULL";
            cases.add(new SuiteCase(none, SuiteCase.Role.BASELINE, VulkanBenchmark.class, method,
                params("allocator", VulkanBenchmark.NULL_ALLOCATOR), none, null));
            cases.add(new SuiteCase(prefix + "bridge only " + VulkanBenchmark.BRIDGE_ONLY, SuiteCase.Role.HOSTALLOC,
                VulkanBenchmark.class, method, params("allocator", VulkanBenchmark.BRIDGE_ONLY), none, null));
            cases.add(new SuiteCase(prefix + "production " + VulkanBenchmark.PRODUCTION, SuiteCase.Role.HOSTALLOC,
                VulkanBenchmark.class, method, params("allocator", VulkanBenchmark.PRODUCTION), none,
                Goal.ratio(PRODUCTION_RATIO, none)));
            cases.add(new SuiteCase(prefix + "debug " + VulkanBenchmark.FULL_DEBUG, SuiteCase.Role.HOSTALLOC,
                VulkanBenchmark.class, method, params("allocator", VulkanBenchmark.FULL_DEBUG), none,
                Goal.ratio(DEBUG_RATIO, none)));
        }

        cases.add(new SuiteCase(CONTROL, SuiteCase.Role.CONTROL, HeapControlBenchmark.class, "allocateArray",
            Map.of(), null, null));
        return cases;
    }

    /**
     * The cases whose label matches {@code filter} (found anywhere in it), plus every row they are
     * compared with, and the control row always (it validates the B/op criterion), in table order.
     *
     * @param cases  the whole plan.
     * @param filter a regular expression, or {@code null} for everything.
     * @return the selection.
     */
    public static List<SuiteCase> select(final List<SuiteCase> cases, final Pattern filter)
    {
        if (null == filter)
        {
            return cases;
        }
        final Set<String> wanted = new LinkedHashSet<>();
        for (final SuiteCase c : cases)
        {
            if (filter.matcher(c.label()).find())
            {
                wanted.add(c.label());
                if (null != c.ratioTo())
                {
                    wanted.add(c.ratioTo());
                }
                if (null != c.goal())
                {
                    wanted.add(c.goal().reference());
                }
            }
        }
        wanted.add(CONTROL);
        final List<SuiteCase> selected = new ArrayList<>();
        for (final SuiteCase c : cases)
        {
            if (wanted.contains(c.label()))
            {
                selected.add(c);
            }
        }
        return selected;
    }

    private static Goal goal(final String spec, final String glibc, final String system)
    {
        final Double ratio = RATIOS.get(spec);
        if (null != ratio)
        {
            return Goal.ratio(ratio, glibc);
        }
        final Double added = ADDED_NANOS.get(spec);
        return null == added ? null : Goal.addedNanos(added, system);
    }

    private static Map<String, String> params(final String... keysAndValues)
    {
        final Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            params.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return params;
    }
}
