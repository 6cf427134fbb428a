package dev.hostalloc.vulkan;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocationViolationException;
import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.lwjgl.system.Callback;
import org.lwjgl.vulkan.VkAllocationCallbacks;
import org.lwjgl.vulkan.VkAllocationFunction;
import org.lwjgl.vulkan.VkFreeFunction;
import org.lwjgl.vulkan.VkInternalAllocationNotification;
import org.lwjgl.vulkan.VkInternalFreeNotification;
import org.lwjgl.vulkan.VkReallocationFunction;

/**
 * One {@code VkAllocationCallbacks} struct that routes a Vulkan implementation's host allocations
 * to one {@link AllocationCallbacks}: pass {@link #struct()} as {@code pAllocator}.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>The five upcall stubs are created once, in the constructor, and kept: the struct's fields
 *       are set from the kept instances, so no call ever creates another stub.</li>
 *   <li>No exception ever reaches native code. Every delegate call is wrapped: a {@link Throwable}
 *       makes the upcall return 0 (allocation) or do nothing (free, notifications). An
 *       {@link AllocationViolationException} (a delegate using {@code ViolationPolicy.THROW}) is
 *       recorded in {@link #violations()} with its kind; any other throwable is counted in
 *       {@link #delegateThrowableCount()} and the first one kept.</li>
 *   <li>A scope or internal type outside Vulkan's enum range is reported as
 *       {@link Violation#INVALID_ALLOCATION_SCOPE} / {@link Violation#INVALID_INTERNAL_ALLOCATION_TYPE}
 *       and the call returns 0 / does nothing without reaching the delegate.</li>
 *   <li>After warm-up an upcall allocates no Java heap memory beyond what the delegate does.</li>
 *   <li>{@code pUserData} is NULL: every bridge has its own stubs, bound to it.</li>
 * </ul>
 *
 * <p>Lifetime: {@link #close()} frees the stubs and the struct. It must come after the last Vulkan
 * command that may use the struct, i.e. after the {@code vkDestroy*} of every object created with
 * it (the spec lets an implementation keep calling the callbacks until then); a driver calling a
 * closed bridge jumps into freed memory. Keep the bridge reachable until then (try-with-resources
 * does). The bridge is thread-safe as far as its own state goes; whether the delegate may be called
 * from several threads is the delegate's business ({@link AllocationCallbacks#traits()}).
 */
@DirectAllocation(reason = "The VkAllocationCallbacks struct handed to the Vulkan driver is the bridge itself: it must "
    + "exist before any AllocationCallbacks can be reached from native code and it must outlive every driver object "
    + "created with it, so it is allocated once by LWJGL (calloc) and freed in close(), never per call.")
public final class VulkanAllocationCallbacks implements AutoCloseable
{
    /** What an allocation upcall returns when it fails or is refused: NULL. */
    private static final long NULL = 0L;

    private final AllocationCallbacks callbacks;
    private final RecordingViolationHandler violations;
    private final AtomicLong delegateThrowables = new AtomicLong();
    private final AtomicReference<Throwable> firstDelegateThrowable = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private final VkAllocationFunction allocationFunction;
    private final VkReallocationFunction reallocationFunction;
    private final VkFreeFunction freeFunction;
    private final VkInternalAllocationNotification internalAllocationFunction;
    private final VkInternalFreeNotification internalFreeFunction;
    private final VkAllocationCallbacks struct;
    private final long address;

    /**
     * Creates the struct and its five upcall stubs for {@code callbacks}.
     *
     * @param callbacks the allocator the driver's host allocations go to.
     * @throws NullPointerException          when {@code callbacks} is {@code null}.
     * @throws UnsupportedOperationException when pointers are not 8 bytes wide.
     */
    public VulkanAllocationCallbacks(final AllocationCallbacks callbacks)
    {
        this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
        if (!VkAllocationCallbacksDescriptor.isSupportedDataModel())
        {
            throw new UnsupportedOperationException(
                "the Vulkan bridge needs 8-byte pointers; this platform has " + VkAllocationCallbacksDescriptor.POINTER_SIZE);
        }
        violations = new RecordingViolationHandler(RecordingViolationHandler.DEFAULT_DETAIL_CAPACITY);

        // Each create(...) makes exactly one upcall stub; the struct setters below read the kept
        // instances' addresses (Callback.address() is a field read, not a new stub).
        VkAllocationFunction allocation = null;
        VkReallocationFunction reallocation = null;
        VkFreeFunction free = null;
        VkInternalAllocationNotification internalAllocation = null;
        VkInternalFreeNotification internalFree = null;
        try
        {
            allocation = VkAllocationFunction.create(this::onAllocation);
            reallocation = VkReallocationFunction.create(this::onReallocation);
            free = VkFreeFunction.create(this::onFree);
            internalAllocation = VkInternalAllocationNotification.create(this::onInternalAllocation);
            internalFree = VkInternalFreeNotification.create(this::onInternalFree);
            struct = VkAllocationCallbacks.calloc()
                .pUserData(NULL)
                .pfnAllocation(allocation)
                .pfnReallocation(reallocation)
                .pfnFree(free)
                .pfnInternalAllocation(internalAllocation)
                .pfnInternalFree(internalFree);
        }
        catch (final RuntimeException | Error ex)
        {
            freeQuietly(allocation);
            freeQuietly(reallocation);
            freeQuietly(free);
            freeQuietly(internalAllocation);
            freeQuietly(internalFree);
            throw ex;
        }
        allocationFunction = allocation;
        reallocationFunction = reallocation;
        freeFunction = free;
        internalAllocationFunction = internalAllocation;
        internalFreeFunction = internalFree;
        address = struct.address();
    }

    /**
     * The struct to pass as {@code pAllocator}.
     *
     * @return the LWJGL view of the struct; the same instance on every call.
     * @throws IllegalStateException after {@link #close()}.
     */
    public VkAllocationCallbacks struct()
    {
        ensureOpen();
        return struct;
    }

    /**
     * The struct's native address, for code that passes {@code pAllocator} as a raw pointer.
     *
     * @return the address of the {@code VkAllocationCallbacks}.
     * @throws IllegalStateException after {@link #close()}.
     */
    public long address()
    {
        ensureOpen();
        return address;
    }

    /**
     * The allocator the driver's calls reach.
     *
     * @return the callbacks given to the constructor.
     */
    public AllocationCallbacks callbacks()
    {
        return callbacks;
    }

    /**
     * The bridge's own never-throwing violation record: invalid scopes and internal types coming from
     * the driver, and the violations a throwing delegate raised (an exception cannot cross into native
     * code, so they end up here whatever the delegate's own policy is).
     *
     * @return the handler; the same instance for the bridge's life.
     */
    public RecordingViolationHandler violations()
    {
        return violations;
    }

    /**
     * How many times the delegate threw something other than {@link AllocationViolationException}
     * (a bug in the delegate: the call returned 0 or did nothing).
     *
     * @return the count.
     */
    public long delegateThrowableCount()
    {
        return delegateThrowables.get();
    }

    /**
     * The first throwable counted by {@link #delegateThrowableCount()}, kept for diagnosis.
     *
     * @return the throwable, or {@code null} when the delegate never threw one.
     */
    public Throwable firstDelegateThrowable()
    {
        return firstDelegateThrowable.get();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once closed.
     */
    public boolean isClosed()
    {
        return closed.get();
    }

    /**
     * Frees the five upcall stubs and the struct. Idempotent. Must come after the last Vulkan command
     * that may use the struct (the {@code vkDestroy*} of every object created with it).
     */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            struct.free();
            allocationFunction.free();
            reallocationFunction.free();
            freeFunction.free();
            internalAllocationFunction.free();
            internalFreeFunction.free();
        }
    }

    @Override
    public String toString()
    {
        return "VulkanAllocationCallbacks[0x" + Long.toHexString(address) + (closed.get() ? ", closed" : "")
            + ", " + callbacks + "]";
    }

    private long onAllocation(final long userData, final long size, final long alignment, final int scope)
    {
        try
        {
            final SystemAllocationScope s = SystemAllocationScope.fromValueOrNull(scope);
            if (null == s)
            {
                violations.onViolation(Violation.INVALID_ALLOCATION_SCOPE, NULL, size, null, "pfnAllocation");
                return NULL;
            }
            final AllocationCallbacks delegate = callbacks;
            return delegate.allocate(size, alignment, s);
        }
        catch (final Throwable t)
        {
            onDelegateThrowable(t);
            return NULL;
        }
    }

    private long onReallocation(
        final long userData, final long original, final long size, final long alignment, final int scope)
    {
        try
        {
            final SystemAllocationScope s = SystemAllocationScope.fromValueOrNull(scope);
            if (null == s)
            {
                violations.onViolation(Violation.INVALID_ALLOCATION_SCOPE, original, size, null, "pfnReallocation");
                return NULL;
            }
            final AllocationCallbacks delegate = callbacks;
            return delegate.reallocate(original, size, alignment, s);
        }
        catch (final Throwable t)
        {
            onDelegateThrowable(t);
            return NULL;
        }
    }

    private void onFree(final long userData, final long memory)
    {
        try
        {
            final AllocationCallbacks delegate = callbacks;
            delegate.free(memory);
        }
        catch (final Throwable t)
        {
            onDelegateThrowable(t);
        }
    }

    private void onInternalAllocation(final long userData, final long size, final int type, final int scope)
    {
        try
        {
            final InternalAllocationType t = internalType(type, size, "pfnInternalAllocation");
            final SystemAllocationScope s = internalScope(scope, size, "pfnInternalAllocation");
            if (null != t && null != s)
            {
                callbacks.internalAllocationNotification(size, t, s);
            }
        }
        catch (final Throwable t)
        {
            onDelegateThrowable(t);
        }
    }

    private void onInternalFree(final long userData, final long size, final int type, final int scope)
    {
        try
        {
            final InternalAllocationType t = internalType(type, size, "pfnInternalFree");
            final SystemAllocationScope s = internalScope(scope, size, "pfnInternalFree");
            if (null != t && null != s)
            {
                callbacks.internalFreeNotification(size, t, s);
            }
        }
        catch (final Throwable t)
        {
            onDelegateThrowable(t);
        }
    }

    private InternalAllocationType internalType(final int type, final long size, final String function)
    {
        final InternalAllocationType t = InternalAllocationType.fromValueOrNull(type);
        if (null == t)
        {
            violations.onViolation(Violation.INVALID_INTERNAL_ALLOCATION_TYPE, NULL, size, null, function);
        }
        return t;
    }

    private SystemAllocationScope internalScope(final int scope, final long size, final String function)
    {
        final SystemAllocationScope s = SystemAllocationScope.fromValueOrNull(scope);
        if (null == s)
        {
            violations.onViolation(Violation.INVALID_ALLOCATION_SCOPE, NULL, size, null, function);
        }
        return s;
    }

    private void onDelegateThrowable(final Throwable t)
    {
        // Must not throw itself: it runs inside an upcall's catch.
        try
        {
            if (t instanceof final AllocationViolationException e)
            {
                violations.onViolation(e.violation(), e.address(), e.size(), e.scope(), e.getMessage());
            }
            else
            {
                delegateThrowables.incrementAndGet();
                firstDelegateThrowable.compareAndSet(null, t);
            }
        }
        catch (final Throwable ignored)
        {
            // Nothing sensible is left to do without risking an exception in native code.
        }
    }

    private void ensureOpen()
    {
        if (closed.get())
        {
            throw new IllegalStateException("VulkanAllocationCallbacks is closed");
        }
    }

    private static void freeQuietly(final Callback callback)
    {
        if (null != callback)
        {
            callback.free();
        }
    }
}
