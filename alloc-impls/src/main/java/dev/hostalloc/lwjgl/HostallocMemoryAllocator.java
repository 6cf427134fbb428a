package dev.hostalloc.lwjgl;

import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocationViolationException;
import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.stack.Allocators;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryUtil;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * LWJGL's {@code MemoryUtil.MemoryAllocator} on a hostalloc {@link AllocationCallbacks} stack: every
 * {@code memAlloc}/{@code memCalloc}/{@code memRealloc}/{@code memFree}, {@code memAlignedAlloc}/
 * {@code memAlignedFree}, struct {@code malloc()}/{@code calloc()}/{@code free()} and every native
 * library that calls LWJGL's allocator through its function pointers ends in the same stack as the
 * Vulkan driver's host allocations, so one accounting report or one debug stack covers both.
 *
 * <h2>Selecting it</h2>
 * <ul>
 *   <li>An unmodified LWJGL application:
 *       {@code -Dorg.lwjgl.system.allocator=dev.hostalloc.lwjgl.HostallocMemoryAllocator
 *       -Dhostalloc.callbacks=cookies,accounting,system} (LWJGL's {@code MemoryManage} instantiates the
 *       named class through its public no-arg constructor, {@link #HostallocMemoryAllocator()}, the
 *       first time {@code MemoryUtil} allocates). {@code -Dhostalloc.report=<file>} adds a JSON report
 *       written at JVM exit ({@link #REPORT_PROPERTY}).</li>
 *   <li>Code that builds its own stack: {@link #install(AllocationCallbacks)} before any LWJGL memory
 *       use.</li>
 * </ul>
 * LWJGL reads {@code Configuration.MEMORY_ALLOCATOR} exactly once, when {@code MemoryUtil} first
 * needs its allocator; afterwards it cannot be changed.
 *
 * <h2>C semantics on Vulkan-semantics callbacks</h2>
 * The Java methods follow C's {@code malloc} family; each maps to one call of the stack:
 * <ul>
 *   <li>{@link #malloc}, {@link #calloc} and {@link #realloc} ask for {@link #DEFAULT_ALIGNMENT} (16
 *       bytes: C's {@code alignof(max_align_t)} on x86-64 and AArch64, what glibc's {@code malloc}
 *       guarantees), so code relying on {@code malloc}'s alignment keeps working.</li>
 *   <li>{@code malloc(0)} is passed on as an allocation of 0 bytes: hostalloc's allocators return a unique
 *       block that must be freed, which C allows (as it allows NULL).</li>
 *   <li>{@code calloc(num, size)} refuses a product that overflows {@code size_t} (NULL and an
 *       {@link Violation#INVALID_SIZE} report) and zeroes the block.</li>
 *   <li>{@code realloc(NULL, n)} is {@code malloc(n)}; {@code realloc(p, 0)} frees {@code p} and returns
 *       NULL (glibc's behaviour); on failure NULL is returned and {@code p} stays valid. A block from
 *       {@link #aligned_alloc} must not be passed to {@code realloc} (as in LWJGL, whose
 *       {@code memRealloc} does not keep large alignments).</li>
 *   <li>{@code aligned_alloc(alignment, size)}: {@code alignment} must be a power of two (else NULL and an
 *       {@link Violation#INVALID_ALIGNMENT} report); any power of two is honoured, including those below
 *       the pointer size that LWJGL's own contract excludes, and {@code size} need not be a multiple of it
 *       (C17 dropped that rule). Alignments above the stack's {@code maxAlignment} get NULL.</li>
 *   <li>{@code free(NULL)} and {@code aligned_free(NULL)} do nothing; {@code aligned_free} is
 *       {@code free}: hostalloc's free needs neither size nor alignment.</li>
 *   <li>Sizes are {@code size_t}: a negative {@code long} is a size of 2^63 or more, which the stack
 *       refuses and reports.</li>
 * </ul>
 *
 * <h2>Guarantees</h2>
 * LWJGL allocates on whatever thread calls it, so the stack must be thread-safe unless the application
 * allocates through LWJGL from one thread ({@link #HostallocMemoryAllocator()} warns on standard error
 * when the configured stack's {@code traits()} say it is not).
 * <ul>
 *   <li>No method throws, so none can throw into native code: a throwable from the stack makes the call
 *       return NULL (or do nothing); an {@link AllocationViolationException} (a stack with a throwing
 *       handler) is reported to {@link #violationHandler()} as what it is, any other throwable is counted
 *       ({@link #throwableCount()}) and the first one kept.</li>
 *   <li>After warm-up, the Java methods and the native entry points allocate no Java heap beyond what the
 *       stack does, and take no lock: thread-safety and blocking are the stack's (its
 *       {@code traits()}).</li>
 *   <li>The six native function pointers are upcall stubs made once, in the constructor.</li>
 * </ul>
 */
public final class HostallocMemoryAllocator implements MemoryUtil.MemoryAllocator
{
    /** The alignment of {@code malloc}, {@code calloc} and {@code realloc}: C's {@code alignof(max_align_t)}. */
    public static final long DEFAULT_ALIGNMENT = 16;

    /**
     * The scope application allocations are reported under unless told otherwise: {@code OBJECT}. LWJGL
     * gives no lifetime hint, and application memory typically lives as long as something the application
     * made (a buffer, a mesh, a struct handed to an API). {@code COMMAND} would claim it is gone when the
     * call returns, which a validator checks; {@code DEVICE}/{@code INSTANCE} would claim a lifetime
     * hostalloc cannot know.
     */
    public static final SystemAllocationScope DEFAULT_SCOPE = SystemAllocationScope.OBJECT;

    /** LWJGL's system property naming the allocator class: {@code org.lwjgl.system.allocator}. */
    public static final String ALLOCATOR_PROPERTY = "org.lwjgl.system.allocator";

    /**
     * The system property read by {@link #HostallocMemoryAllocator()}: a file to write the JSON report
     * ({@link #reportJson()}) to at JVM exit, with a one-line summary on standard error.
     */
    public static final String REPORT_PROPERTY = "hostalloc.report";

    private static final long NULL = 0L;
    private static final Object INSTALL_LOCK = new Object();

    private final AllocationCallbacks callbacks;
    private final SystemAllocationScope scope;
    private final ViolationHandler violationHandler;
    private final String spec;
    private final List<AccountingAllocator> accounting;
    private final AtomicLong throwables = new AtomicLong();
    private final AtomicReference<Throwable> firstThrowable = new AtomicReference<>();
    private final MemoryAllocatorUpcalls upcalls;

    /**
     * The allocator LWJGL makes from {@code -Dorg.lwjgl.system.allocator=<this class>}: builds the stack
     * configured by {@code -Dhostalloc.callbacks} (else {@code HOSTALLOC_CALLBACKS}, else {@code system}:
     * {@link Allocators#configured()}), every element reporting to one new
     * {@link RecordingViolationHandler}, which is also {@link #violationHandler()}. Application memory is
     * reported under {@link #DEFAULT_SCOPE}. With {@code -Dhostalloc.report=<file>} a shutdown hook writes
     * {@link #reportJson()} there.
     *
     * <p>LWJGL swallows a constructor's exception and silently falls back to its default allocator, so
     * this constructor first prints why it failed to standard error.
     *
     * @throws dev.hostalloc.stack.AllocatorSpecException when the configured spec is invalid.
     * @throws UnsupportedOperationException              when pointers are not 8 bytes wide.
     */
    public HostallocMemoryAllocator()
    {
        final String configuredSpec = Allocators.configuredSpec();
        final RecordingViolationHandler handler = ViolationHandler.recordAndCount();
        final AllocationCallbacks stack;
        try
        {
            stack = Allocators.fromSpec(configuredSpec, handler);
        }
        catch (final RuntimeException ex)
        {
            System.err.println("hostalloc: cannot build the LWJGL allocator stack '" + configuredSpec + "' (-D" +
                Allocators.CALLBACKS_PROPERTY + " / " + Allocators.CALLBACKS_ENV + "): " + ex.getMessage() +
                System.lineSeparator() + "hostalloc: LWJGL falls back to its default allocator; nothing is routed.");
            throw ex;
        }
        if (!stack.traits().threadSafe())
        {
            // LWJGL allocates on whatever thread calls it; say so rather than corrupt a pool silently.
            System.err.println("hostalloc: warning: the LWJGL allocator stack '" + configuredSpec + "' is not " +
                "thread-safe (its traits say so); allocate through LWJGL from one thread only, or use a thread-safe stack.");
        }
        this.callbacks = stack;
        this.scope = DEFAULT_SCOPE;
        this.violationHandler = handler;
        this.spec = configuredSpec;
        this.accounting = accountingOf(handler);
        this.upcalls = new MemoryAllocatorUpcalls(this);
        final String report = System.getProperty(REPORT_PROPERTY);
        if (null != report && !report.isBlank())
        {
            LwjglAllocationReport.writeAtExit(this, Path.of(report.trim()));
        }
    }

    /**
     * An allocator on {@code callbacks}, reporting application memory under {@link #DEFAULT_SCOPE} and its
     * own findings to a new {@link RecordingViolationHandler}.
     *
     * @param callbacks the stack every allocation goes to.
     * @throws NullPointerException          when {@code callbacks} is {@code null}.
     * @throws UnsupportedOperationException when pointers are not 8 bytes wide.
     */
    public HostallocMemoryAllocator(final AllocationCallbacks callbacks)
    {
        this(callbacks, DEFAULT_SCOPE, ViolationHandler.recordAndCount());
    }

    /**
     * An allocator on {@code callbacks}.
     *
     * @param callbacks        the stack every allocation goes to.
     * @param scope            the scope application allocations are reported under.
     * @param violationHandler where this allocator reports misuse it detects itself (a {@code calloc}
     *                         overflow, an {@code aligned_alloc} alignment that is not a power of two) and
     *                         violations the stack threw as {@link AllocationViolationException}; usually
     *                         the stack's own handler, so one handler sees everything.
     * @throws NullPointerException          when an argument is {@code null}.
     * @throws UnsupportedOperationException when pointers are not 8 bytes wide.
     */
    public HostallocMemoryAllocator(
        final AllocationCallbacks callbacks, final SystemAllocationScope scope, final ViolationHandler violationHandler)
    {
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.violationHandler = Objects.requireNonNull(violationHandler, "violationHandler");
        this.spec = null;
        this.accounting = callbacks instanceof final AccountingAllocator a ? List.of(a) : List.of();
        this.upcalls = new MemoryAllocatorUpcalls(this);
    }

    /**
     * Makes LWJGL's {@code MemoryUtil} allocate through {@code callbacks}: sets
     * {@code Configuration.MEMORY_ALLOCATOR} to a new allocator on them and checks that {@code MemoryUtil}
     * really uses it. This initializes {@code MemoryUtil}'s allocator if nothing has yet.
     *
     * @param callbacks the stack; application memory is reported under {@link #DEFAULT_SCOPE}.
     * @return the installed allocator.
     * @throws IllegalStateException when {@code MemoryUtil} already initialized its allocator (any LWJGL
     *                               memory use before this call, or an earlier install): it cannot be
     *                               replaced. {@code Configuration.MEMORY_ALLOCATOR} is restored. The message
     *                               says what to do instead.
     * @throws NullPointerException  when {@code callbacks} is {@code null}.
     */
    public static HostallocMemoryAllocator install(final AllocationCallbacks callbacks)
    {
        return install(new HostallocMemoryAllocator(callbacks));
    }

    /**
     * Makes LWJGL's {@code MemoryUtil} allocate through {@code allocator}, as
     * {@link #install(AllocationCallbacks)}.
     *
     * @param allocator the allocator to install.
     * @return {@code allocator}.
     * @throws IllegalStateException as {@link #install(AllocationCallbacks)}.
     * @throws NullPointerException  when {@code allocator} is {@code null}.
     */
    public static HostallocMemoryAllocator install(final HostallocMemoryAllocator allocator)
    {
        Objects.requireNonNull(allocator, "allocator");
        synchronized (INSTALL_LOCK)
        {
            final Object previous = Configuration.MEMORY_ALLOCATOR.get();
            Configuration.MEMORY_ALLOCATOR.set(allocator);
            // getAllocator(false) is MemoryUtil's own allocator, under LWJGL's debug wrapper if that is on;
            // reading it initializes MemoryUtil's allocator now if nothing has yet.
            final MemoryUtil.MemoryAllocator used = MemoryUtil.getAllocator(false);
            if (used != allocator)
            {
                Configuration.MEMORY_ALLOCATOR.set(previous);
                throw new IllegalStateException("LWJGL's MemoryUtil already allocates with " + describe(used) +
                    ": it reads Configuration.MEMORY_ALLOCATOR once, at its first allocation, and keeps that " +
                    "allocator for the JVM's lifetime. Call HostallocMemoryAllocator.install before any LWJGL " +
                    "memory use (memAlloc, struct malloc()/calloc(), anything that allocates), or start the JVM " +
                    "with -D" + ALLOCATOR_PROPERTY + "=" + HostallocMemoryAllocator.class.getName() + " -D" +
                    Allocators.CALLBACKS_PROPERTY + "=<spec> and reach that allocator with " +
                    "HostallocMemoryAllocator.current().");
            }
            return allocator;
        }
    }

    /**
     * The allocator LWJGL's {@code MemoryUtil} uses, if it is a {@code HostallocMemoryAllocator} (selected
     * by {@code -Dorg.lwjgl.system.allocator} or {@link #install}): how code reaches the stack LWJGL
     * allocates from, e.g. to give the Vulkan driver the same callbacks. Initializes {@code MemoryUtil}'s
     * allocator if nothing has yet.
     *
     * @return the allocator, or empty when {@code MemoryUtil} uses another one.
     */
    public static Optional<HostallocMemoryAllocator> current()
    {
        return MemoryUtil.getAllocator(false) instanceof final HostallocMemoryAllocator allocator ?
            Optional.of(allocator) : Optional.empty();
    }

    /**
     * The stack every allocation goes to.
     *
     * @return the callbacks given or configured.
     */
    public AllocationCallbacks callbacks()
    {
        return callbacks;
    }

    /**
     * The scope application allocations are reported under.
     *
     * @return the scope.
     */
    public SystemAllocationScope scope()
    {
        return scope;
    }

    /**
     * Where this allocator reports misuse it detects itself; for {@link #HostallocMemoryAllocator()} also
     * the configured stack's handler.
     *
     * @return the handler.
     */
    public ViolationHandler violationHandler()
    {
        return violationHandler;
    }

    /**
     * The spec the stack was built from, for {@link #HostallocMemoryAllocator()}.
     *
     * @return the spec, or empty when the callbacks were given.
     */
    public Optional<String> spec()
    {
        return Optional.ofNullable(spec);
    }

    /**
     * The accounting allocators of the stack that {@link #reportJson()} covers: for a configured stack every
     * {@code accounting} element of it; for given callbacks, the callbacks themselves when they are an
     * {@link AccountingAllocator}.
     *
     * @return an unmodifiable list, possibly empty.
     */
    public List<AccountingAllocator> accounting()
    {
        return accounting;
    }

    /**
     * How many throwables other than {@link AllocationViolationException} the stack threw into this
     * allocator (each made its call return NULL or do nothing).
     *
     * @return the count.
     */
    public long throwableCount()
    {
        return throwables.get();
    }

    /**
     * The first throwable counted by {@link #throwableCount()}, kept for diagnosis.
     *
     * @return the throwable, or {@code null}.
     */
    public Throwable firstThrowable()
    {
        return firstThrowable.get();
    }

    /**
     * A JSON report of what this allocator saw: spec, scope, violations (when the handler is a
     * {@link RecordingViolationHandler}), every {@link #accounting()} allocator's snapshot and live blocks
     * (leaks, with allocation sites when the element captures them). Exact when the threads using LWJGL are
     * quiescent.
     *
     * @return the document (format {@code hostalloc-lwjgl-report}, version 1).
     */
    public String reportJson()
    {
        return LwjglAllocationReport.toJson(this);
    }

    /** {@inheritDoc} An upcall stub made once: {@code void* malloc(size_t)} calling {@link #malloc}. */
    @Override
    public long getMalloc()
    {
        return upcalls.malloc();
    }

    /** {@inheritDoc} An upcall stub made once: {@code void* calloc(size_t, size_t)} calling {@link #calloc}. */
    @Override
    public long getCalloc()
    {
        return upcalls.calloc();
    }

    /** {@inheritDoc} An upcall stub made once: {@code void* realloc(void*, size_t)} calling {@link #realloc}. */
    @Override
    public long getRealloc()
    {
        return upcalls.realloc();
    }

    /** {@inheritDoc} An upcall stub made once: {@code void free(void*)} calling {@link #free}. */
    @Override
    public long getFree()
    {
        return upcalls.free();
    }

    /**
     * {@inheritDoc} An upcall stub made once: {@code void* aligned_alloc(size_t, size_t)} calling
     * {@link #aligned_alloc}.
     */
    @Override
    public long getAlignedAlloc()
    {
        return upcalls.alignedAlloc();
    }

    /** {@inheritDoc} An upcall stub made once: {@code void aligned_free(void*)} calling {@link #aligned_free}. */
    @Override
    public long getAlignedFree()
    {
        return upcalls.alignedFree();
    }

    /**
     * C's {@code malloc}: {@code size} bytes aligned to {@link #DEFAULT_ALIGNMENT}.
     *
     * @param size bytes, read as unsigned; 0 gives what the stack gives for 0 (a unique block, or NULL).
     * @return the block, or 0 (NULL) when the stack refuses or fails. Never throws.
     */
    @Override
    public long malloc(final long size)
    {
        try
        {
            return callbacks.allocate(size, DEFAULT_ALIGNMENT, scope);
        }
        catch (final Throwable t)
        {
            onThrowable(t);
            return NULL;
        }
    }

    /**
     * C's {@code calloc}: {@code num * size} zeroed bytes aligned to {@link #DEFAULT_ALIGNMENT}.
     *
     * @param num  elements, read as unsigned.
     * @param size bytes per element, read as unsigned.
     * @return the zeroed block, or 0 (NULL) when the product overflows {@code size_t} (reported as
     *         {@link Violation#INVALID_SIZE}) or the stack refuses or fails. Never throws.
     */
    @Override
    public long calloc(final long num, final long size)
    {
        try
        {
            if (Math.unsignedMultiplyHigh(num, size) != 0)
            {
                report(Violation.INVALID_SIZE, NULL, size,
                    "calloc(" + Long.toUnsignedString(num) + ", " + Long.toUnsignedString(size) + ") overflows size_t");
                return NULL;
            }
            final long bytes = num * size;
            final long address = callbacks.allocate(bytes, DEFAULT_ALIGNMENT, scope);
            if (NULL != address && bytes > 0)
            {
                MemoryUtil.memSet(address, 0, bytes);
            }
            return address;
        }
        catch (final Throwable t)
        {
            onThrowable(t);
            return NULL;
        }
    }

    /**
     * C's {@code realloc}, on a block from {@link #malloc}, {@link #calloc} or {@code realloc}.
     *
     * @param ptr  the block, or 0: then this is {@code malloc(size)}.
     * @param size the new size, read as unsigned; 0 frees {@code ptr} and returns NULL.
     * @return the resized block (possibly {@code ptr}), its first {@code min(old, size)} bytes kept; or 0
     *         (NULL) on failure, {@code ptr} then still valid and unchanged. Never throws.
     */
    @Override
    public long realloc(final long ptr, final long size)
    {
        try
        {
            final AllocationCallbacks stack = callbacks;
            if (NULL == ptr)
            {
                return stack.allocate(size, DEFAULT_ALIGNMENT, scope);
            }
            if (0 == size)
            {
                stack.free(ptr);
                return NULL;
            }
            return stack.reallocate(ptr, size, DEFAULT_ALIGNMENT, scope);
        }
        catch (final Throwable t)
        {
            onThrowable(t);
            return NULL;
        }
    }

    /**
     * C's {@code free}.
     *
     * @param ptr a block from this allocator's {@code malloc}, {@code calloc} or {@code realloc}, or 0 (a
     *            no-op). Misuse (a double or foreign free) is the stack's to detect and report. Never throws.
     */
    @Override
    public void free(final long ptr)
    {
        if (NULL == ptr)
        {
            return;
        }
        try
        {
            callbacks.free(ptr);
        }
        catch (final Throwable t)
        {
            onThrowable(t);
        }
    }

    /**
     * C's {@code aligned_alloc}; free the block with {@link #aligned_free}.
     *
     * @param alignment a power of two (any, including below the pointer size).
     * @param size      bytes, read as unsigned; need not be a multiple of {@code alignment}.
     * @return the block, or 0 (NULL) when {@code alignment} is not a power of two (reported as
     *         {@link Violation#INVALID_ALIGNMENT}), exceeds what the stack honours, or the stack refuses or
     *         fails. Never throws.
     */
    @Override
    public long aligned_alloc(final long alignment, final long size)
    {
        try
        {
            if (!Alignment.isPowerOfTwo(alignment))
            {
                report(Violation.INVALID_ALIGNMENT, NULL, size,
                    "aligned_alloc alignment " + Long.toUnsignedString(alignment) + " is not a power of two");
                return NULL;
            }
            return callbacks.allocate(size, alignment, scope);
        }
        catch (final Throwable t)
        {
            onThrowable(t);
            return NULL;
        }
    }

    /**
     * Frees a block from {@link #aligned_alloc}.
     *
     * @param ptr the block, or 0 (a no-op). Never throws.
     */
    @Override
    public void aligned_free(final long ptr)
    {
        free(ptr);
    }

    /**
     * Names the stack and the scope.
     *
     * @return e.g. {@code HostallocMemoryAllocator[cookies,system, scope OBJECT]}.
     */
    @Override
    public String toString()
    {
        return "HostallocMemoryAllocator[" + (null != spec ? spec : callbacks.toString()) + ", scope " + scope + "]";
    }

    private void report(final Violation violation, final long address, final long size, final String detail)
    {
        try
        {
            violationHandler.onViolation(violation, address, size, scope, detail);
        }
        catch (final Throwable t)
        {
            onThrowable(t);
        }
    }

    private void onThrowable(final Throwable t)
    {
        // Runs inside a catch that may be an upcall's: must not throw itself.
        try
        {
            if (t instanceof final AllocationViolationException e)
            {
                try
                {
                    violationHandler.onViolation(e.violation(), e.address(), e.size(), e.scope(), e.getMessage());
                    return;
                }
                catch (final Throwable again)
                {
                    // A throwing handler: counted below instead.
                }
            }
            throwables.incrementAndGet();
            firstThrowable.compareAndSet(null, t);
        }
        catch (final Throwable ignored)
        {
            // Nothing sensible is left to do without risking an exception in native code.
        }
    }

    private static List<AccountingAllocator> accountingOf(final ViolationHandler handler)
    {
        // The accounting element reports to the stack's handler, which is new and ours: that identifies
        // exactly the accounting allocators of this stack.
        final List<AccountingAllocator> found = new ArrayList<>();
        for (final AccountingAllocator allocator : AccountingAllocator.live())
        {
            if (allocator.violationHandler() == handler)
            {
                found.add(allocator);
            }
        }
        return List.copyOf(found);
    }

    private static String describe(final MemoryUtil.MemoryAllocator allocator)
    {
        return allocator instanceof HostallocMemoryAllocator ? allocator.toString() : allocator.getClass().getName();
    }
}
