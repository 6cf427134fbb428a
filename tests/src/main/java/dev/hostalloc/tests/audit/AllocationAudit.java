package dev.hostalloc.tests.audit;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.stack.ElementArgs;
import dev.hostalloc.stack.ElementFactory;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Proves a code path allocates nothing: after a warm-up pass, the audited pass fails if its thread
 * allocated any Java heap bytes ({@code com.sun.management.ThreadMXBean}) or made any host-memory
 * call (allocate, reallocate, free, internal notifications) through an allocator the audit watches.
 *
 * <pre>{@code
 * AllocationCallbacks host = AllocationAudit.watch(Allocators.configured());  // or spec "audit,..."
 * ...
 * new AllocationAudit().run(() -> renderOneFrame());     // throws AssertionFailedError on allocation
 * }</pre>
 * or, in a JUnit 5 test, {@link NoAllocation @NoAllocation} on the test method.
 *
 * <p>Watching: {@link #watch(AllocationCallbacks)} wraps an allocator (or put the spec element
 * {@value #SPEC_ELEMENT} in a spec after {@link #registerSpecElement()}) so every call on it is
 * seen. Wrap what a real-time path must never reach: the system allocator, or the parent a TLSF
 * pool takes its arena from. Allocating from a real-time pool is not host allocation (its memory
 * was taken once, up front); to audit that too, wrap the pool itself.
 *
 * <p>Only the audited thread is audited: a reclaimer thread freeing retired blocks is not
 * counted. The watching decorator allocates nothing and costs one volatile read while no audit is
 * running. Passes are not re-entrant: one audit, one thread, one pass at a time. "Warm-up
 * blindness": a branch that runs for the first time inside the audited pass (a message type the
 * warm-up never saw) may allocate while it loads or links classes; that is reported, as it would
 * happen in production, so make the warm-up exercise every branch the audited pass will.
 */
public final class AllocationAudit
{
    /** Host operations whose details are kept by default; further ones are only counted. */
    public static final int DEFAULT_DETAIL_CAPACITY = 32;

    /** Warm-up passes {@link #run(Runnable)} makes before the audited one. */
    public static final int DEFAULT_WARM_UP_PASSES = 1;

    /** The spec element name registered by {@link #registerSpecElement()}. */
    public static final String SPEC_ELEMENT = "audit";

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final AllocationAudit[] NONE = new AllocationAudit[0];
    private static final Object REGISTRY_LOCK = new Object();
    private static final HostOperation.Kind[] KINDS = HostOperation.Kind.values();
    private static final SystemAllocationScope[] SCOPES = SystemAllocationScope.values();
    private static final int NO_SCOPE = -1;

    private static volatile AllocationAudit[] running = NONE;

    private final int detailCapacity;
    private final int[] kinds;
    private final long[] sizes;
    private final long[] alignments;
    private final int[] scopes;
    private final long[] addresses;
    private Thread thread;        // the audited thread while a pass runs, else null
    private long hostOperations;
    private long hostBytes;
    private long heapAtBegin;
    private long heapBytes;
    private String lastThreadName = "";
    /** Creates an audit keeping {@link #DEFAULT_DETAIL_CAPACITY} host-operation details. */
    public AllocationAudit()
    {
        this(DEFAULT_DETAIL_CAPACITY);
    }

    /**
     * Creates an audit.
     *
     * @param detailCapacity host operations whose details are kept; at least 0.
     * @throws IllegalArgumentException when negative.
     * @throws UnsupportedOperationException when this JVM cannot measure per-thread heap allocation.
     */
    public AllocationAudit(final int detailCapacity)
    {
        if (detailCapacity < 0)
        {
            throw new IllegalArgumentException("detailCapacity must not be negative: " + detailCapacity);
        }
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled())
        {
            throw new UnsupportedOperationException("this JVM does not measure per-thread heap allocation");
        }
        this.detailCapacity = detailCapacity;
        kinds = new int[detailCapacity];
        sizes = new long[detailCapacity];
        alignments = new long[detailCapacity];
        scopes = new int[detailCapacity];
        addresses = new long[detailCapacity];
    }

    /**
     * Wraps an allocator so audits see the calls made on it (from their audited thread).
     *
     * @param delegate the allocator to watch.
     * @return a decorator with the delegate's semantics and traits.
     * @throws NullPointerException when {@code delegate} is {@code null}.
     */
    public static AllocationCallbacks watch(final AllocationCallbacks delegate)
    {
        return new AuditedAllocationCallbacks(delegate);
    }

    /**
     * Registers the decorator element {@value #SPEC_ELEMENT} with {@link Allocators}, so a spec such
     * as {@code audit,cookies,system} builds a watched stack. Idempotent and thread-safe; call it
     * before building stacks from specs (e.g. in a static initializer of the test).
     */
    public static void registerSpecElement()
    {
        synchronized (REGISTRY_LOCK)
        {
            if (!Allocators.elementNames().contains(SPEC_ELEMENT))
            {
                Allocators.register(SPEC_ELEMENT, ElementFactory.of(ElementFactory.Kind.DECORATOR,
                    SPEC_ELEMENT + "  lets AllocationAudit (hostalloc tests) see every call made below it; no arguments",
                    ElementArgs::requireNone, (args, delegate, handler) -> watch(delegate)));
            }
        }
    }

    /**
     * Runs {@code region} once to warm it up, then once audited.
     *
     * @param region the code that must not allocate.
     * @throws org.opentest4j.AssertionFailedError saying what the audited pass allocated.
     */
    public void run(final Runnable region)
    {
        run(region, DEFAULT_WARM_UP_PASSES);
    }

    /**
     * Runs {@code region} {@code warmUpPasses} times unaudited, then once audited.
     *
     * @param region       the code that must not allocate.
     * @param warmUpPasses passes before the audited one, 0 or more.
     * @throws org.opentest4j.AssertionFailedError saying what the audited pass allocated.
     */
    public void run(final Runnable region, final int warmUpPasses)
    {
        Objects.requireNonNull(region, "region");
        if (warmUpPasses < 0)
        {
            throw new IllegalArgumentException("warmUpPasses must not be negative: " + warmUpPasses);
        }
        // Warm-up passes are audited too (their results dropped) so the audited pass runs the very
        // same code as they did, begin() and end() included.
        AuditResult result = null;
        for (int pass = 0; pass <= warmUpPasses; pass++)
        {
            result = measure(region);
        }
        result.assertClean();
    }

    /**
     * Runs {@code region} once, audited, without warm-up and without failing.
     *
     * @param region the code to audit.
     * @return what it allocated on the current thread.
     */
    public AuditResult measure(final Runnable region)
    {
        Objects.requireNonNull(region, "region");
        begin();
        try
        {
            region.run();
        }
        finally
        {
            end();
        }
        return result();
    }

    /**
     * Starts auditing the current thread. Everything between here and {@link #end()} counts.
     *
     * @throws IllegalStateException when this audit is already running.
     */
    public void begin()
    {
        synchronized (REGISTRY_LOCK)
        {
            if (null != thread)
            {
                throw new IllegalStateException("this audit is already running on " + thread);
            }
            thread = Thread.currentThread();
            hostOperations = 0;
            hostBytes = 0;
            final AllocationAudit[] grown = Arrays.copyOf(running, running.length + 1);
            grown[grown.length - 1] = this;
            running = grown;
        }
        heapAtBegin = THREADS.getCurrentThreadAllocatedBytes(); // last: registering allocated
    }

    /**
     * Stops auditing; {@link #result()} then describes the pass.
     *
     * @throws IllegalStateException when not running, or called from another thread than
     *                               {@link #begin()}.
     */
    public void end()
    {
        final long heapAtEnd = THREADS.getCurrentThreadAllocatedBytes(); // first: unregistering allocates
        synchronized (REGISTRY_LOCK)
        {
            if (thread != Thread.currentThread())
            {
                throw new IllegalStateException(null == thread ? "this audit is not running" :
                    "this audit runs on " + thread + ", not on " + Thread.currentThread());
            }
            final List<AllocationAudit> others = new ArrayList<>(Arrays.asList(running));
            others.remove(this);
            running = others.toArray(NONE);
            heapBytes = heapAtEnd - heapAtBegin;
            lastThreadName = thread.getName();
            thread = null;
        }
    }

    /**
     * What the last finished pass allocated.
     *
     * @return the result of the pass between the last {@link #begin()} and {@link #end()}.
     * @throws IllegalStateException while a pass is running.
     */
    public AuditResult result()
    {
        synchronized (REGISTRY_LOCK)
        {
            if (null != thread)
            {
                throw new IllegalStateException("the audit is still running on " + thread);
            }
            final int kept = (int)Math.min(hostOperations, detailCapacity);
            final List<HostOperation> details = new ArrayList<>(kept);
            for (int i = 0; i < kept; i++)
            {
                details.add(new HostOperation(KINDS[kinds[i]], sizes[i], alignments[i],
                    scopes[i] == NO_SCOPE ? null : SCOPES[scopes[i]], addresses[i]));
            }
            return new AuditResult(lastThreadName, heapBytes, hostOperations, hostBytes, details);
        }
    }

    /**
     * Called by the watching decorator for every call; records it in every audit running on the
     * current thread. Allocates nothing.
     */
    static void onHostOperation(
        final HostOperation.Kind kind,
        final long size,
        final long alignment,
        final SystemAllocationScope scope,
        final long address)
    {
        final AllocationAudit[] audits = running;
        if (audits.length == 0)
        {
            return;
        }
        final Thread current = Thread.currentThread();
        for (final AllocationAudit audit : audits)
        {
            if (audit.thread == current)
            {
                audit.record(kind, size, alignment, scope, address);
            }
        }
    }

    // Only the audited thread calls this, between begin() and end().
    private void record(
        final HostOperation.Kind kind,
        final long size,
        final long alignment,
        final SystemAllocationScope scope,
        final long address)
    {
        final long index = hostOperations++;
        if (kind != HostOperation.Kind.FREE && kind != HostOperation.Kind.INTERNAL_FREE)
        {
            hostBytes += size;
        }
        if (index < detailCapacity)
        {
            final int i = (int)index;
            kinds[i] = kind.ordinal();
            sizes[i] = size;
            alignments[i] = alignment;
            scopes[i] = null == scope ? NO_SCOPE : scope.ordinal();
            addresses[i] = address;
        }
    }
}
