package dev.hostalloc.vulkan;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Objects;

/**
 * Java code running on a native {@code VkAllocationCallbacks} that a C embedder supplied: the
 * reverse of {@link VulkanAllocationCallbacks}. {@code pUserData} and the five function pointers are
 * read once, at wrap time (as the spec requires of an implementation that keeps using the callbacks),
 * and called through {@code java.lang.foreign} downcall handles made once; a call allocates no Java
 * heap memory after warm-up.
 *
 * <p>The embedder's functions must stay valid for as long as this object is used. They are called on
 * the caller's thread; whether several threads may call at once is the embedder's business, so
 * {@link #traits()} is {@link AllocatorTraits#UNDECLARED} unless the embedder declares otherwise
 * through {@link #NativeAllocationCallbacks(long, AllocatorTraits)}.
 *
 * <p>The hostalloc contract is enforced on the Java side before anything reaches the embedder:
 * a size negative as signed
 * ({@link Violation#INVALID_SIZE}), an alignment that is not a power of two or exceeds
 * {@link AllocatorTraits#maxAlignment()} ({@link Violation#INVALID_ALIGNMENT}), or a {@code null}
 * scope or type ({@link Violation#INVALID_ALLOCATION_SCOPE},
 * {@link Violation#INVALID_INTERNAL_ALLOCATION_TYPE}) return 0 / do nothing and are reported to the
 * {@link ViolationHandler}. {@code free(0)} is a no-op without a call. Everything else is passed
 * through unchanged, including {@code allocate} of size 0 (the embedder decides: a block or 0) and
 * {@code reallocate(p, 0)} (which the spec obliges the embedder to treat as a free);
 * {@code reallocate(0, 0)} returns 0 without a call, since a reallocate to size 0 never returns a block.
 *
 * <p>Needs {@code --enable-native-access} for this module (it reads native memory and makes downcalls).
 */
@DirectAllocation(reason = "The bridge from Java to an embedder's C allocator: it makes native code callable "
    + "(five java.lang.foreign downcall handles, made once at wrap time) and every block it hands out is the "
    + "embedder's malloc, which is the point of the class.")
public final class NativeAllocationCallbacks implements AllocationCallbacks
{
    /** {@code void* (*)(void* pUserData, size_t size, size_t alignment, VkSystemAllocationScope)}. */
    static final FunctionDescriptor ALLOCATION_DESCRIPTOR =
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT);

    /** {@code void* (*)(void* pUserData, void* pOriginal, size_t size, size_t alignment, VkSystemAllocationScope)}. */
    static final FunctionDescriptor REALLOCATION_DESCRIPTOR =
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT);

    /** {@code void (*)(void* pUserData, void* pMemory)}. */
    static final FunctionDescriptor FREE_DESCRIPTOR = FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG);

    /** {@code void (*)(void* pUserData, size_t size, VkInternalAllocationType, VkSystemAllocationScope)}. */
    static final FunctionDescriptor INTERNAL_NOTIFICATION_DESCRIPTOR =
        FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT);

    private static final long NULL = 0L;

    private final long address;
    private final long userData;
    private final long pfnAllocation;
    private final long pfnReallocation;
    private final long pfnFree;
    private final long pfnInternalAllocation;
    private final long pfnInternalFree;
    private final MethodHandle allocation;
    private final MethodHandle reallocation;
    private final MethodHandle free;
    private final MethodHandle internalAllocation;
    private final MethodHandle internalFree;
    private final AllocatorTraits traits;
    private final long maxAlignment;
    private final ViolationHandler violationHandler;

    /**
     * Wraps a native struct; traits {@link AllocatorTraits#UNDECLARED}, violations to a new
     * {@link ViolationHandler#recordAndCount()} handler.
     *
     * @param pAllocator the address of a {@code VkAllocationCallbacks}.
     * @throws IllegalArgumentException when the struct is NULL, misaligned, or breaks one of the
     *                                  {@code VkAllocationCallbacks} valid-usage rules (the message
     *                                  names the VUID).
     */
    public NativeAllocationCallbacks(final long pAllocator)
    {
        this(pAllocator, AllocatorTraits.UNDECLARED, ViolationHandler.recordAndCount());
    }

    /**
     * Wraps a native struct whose embedder declared what its callbacks promise; violations to a new
     * {@link ViolationHandler#recordAndCount()} handler.
     *
     * @param pAllocator the address of a {@code VkAllocationCallbacks}.
     * @param traits     what the embedder's callbacks promise.
     * @throws IllegalArgumentException as {@link #NativeAllocationCallbacks(long)}.
     * @throws NullPointerException     when {@code traits} is {@code null}.
     */
    public NativeAllocationCallbacks(final long pAllocator, final AllocatorTraits traits)
    {
        this(pAllocator, traits, ViolationHandler.recordAndCount());
    }

    /**
     * Wraps a native struct.
     *
     * @param pAllocator       the address of a {@code VkAllocationCallbacks}.
     * @param traits           what the embedder's callbacks promise.
     * @param violationHandler where misuse from the Java side is reported.
     * @throws IllegalArgumentException      as {@link #NativeAllocationCallbacks(long)}.
     * @throws NullPointerException          when {@code traits} or {@code violationHandler} is {@code null}.
     * @throws UnsupportedOperationException when pointers are not 8 bytes wide.
     */
    @SuppressWarnings("restricted") // reading the embedder's struct and calling its functions is the point
    public NativeAllocationCallbacks(
        final long pAllocator, final AllocatorTraits traits, final ViolationHandler violationHandler)
    {
        this.traits = Objects.requireNonNull(traits, "traits");
        this.violationHandler = Objects.requireNonNull(violationHandler, "violationHandler");
        if (!VkAllocationCallbacksDescriptor.isSupportedDataModel())
        {
            throw new UnsupportedOperationException(
                "the Vulkan bridge needs 8-byte pointers; this platform has " + VkAllocationCallbacksDescriptor.POINTER_SIZE);
        }
        if (NULL == pAllocator)
        {
            throw new IllegalArgumentException("pAllocator is NULL");
        }
        if (!Alignment.isAligned(pAllocator, VkAllocationCallbacksDescriptor.ALIGNMENT))
        {
            throw new IllegalArgumentException("pAllocator 0x" + Long.toHexString(pAllocator)
                + " is not aligned to " + VkAllocationCallbacksDescriptor.ALIGNMENT + " bytes");
        }

        final MemorySegment struct = MemorySegment.ofAddress(pAllocator).reinterpret(VkAllocationCallbacksDescriptor.SIZE);
        address = pAllocator;
        userData = readPointer(struct, VkAllocationCallbacksDescriptor.USER_DATA_OFFSET);
        pfnAllocation = readPointer(struct, VkAllocationCallbacksDescriptor.ALLOCATION_OFFSET);
        pfnReallocation = readPointer(struct, VkAllocationCallbacksDescriptor.REALLOCATION_OFFSET);
        pfnFree = readPointer(struct, VkAllocationCallbacksDescriptor.FREE_OFFSET);
        pfnInternalAllocation = readPointer(struct, VkAllocationCallbacksDescriptor.INTERNAL_ALLOCATION_OFFSET);
        pfnInternalFree = readPointer(struct, VkAllocationCallbacksDescriptor.INTERNAL_FREE_OFFSET);

        requireFunction(pfnAllocation, "pfnAllocation", VkAllocationCallbacksDescriptor.VUID_PFN_ALLOCATION);
        requireFunction(pfnReallocation, "pfnReallocation", VkAllocationCallbacksDescriptor.VUID_PFN_REALLOCATION);
        requireFunction(pfnFree, "pfnFree", VkAllocationCallbacksDescriptor.VUID_PFN_FREE);
        if ((NULL == pfnInternalAllocation) != (NULL == pfnInternalFree))
        {
            throw new IllegalArgumentException(VkAllocationCallbacksDescriptor.VUID_PFN_INTERNAL_PAIR
                + ": pfnInternalAllocation (0x" + Long.toHexString(pfnInternalAllocation)
                + ") and pfnInternalFree (0x" + Long.toHexString(pfnInternalFree) + ") must both be NULL or both be set");
        }

        final Linker linker = Linker.nativeLinker();
        allocation = linker.downcallHandle(MemorySegment.ofAddress(pfnAllocation), ALLOCATION_DESCRIPTOR);
        reallocation = linker.downcallHandle(MemorySegment.ofAddress(pfnReallocation), REALLOCATION_DESCRIPTOR);
        free = linker.downcallHandle(MemorySegment.ofAddress(pfnFree), FREE_DESCRIPTOR);
        if (NULL != pfnInternalAllocation)
        {
            internalAllocation = linker.downcallHandle(
                MemorySegment.ofAddress(pfnInternalAllocation), INTERNAL_NOTIFICATION_DESCRIPTOR);
            internalFree = linker.downcallHandle(MemorySegment.ofAddress(pfnInternalFree), INTERNAL_NOTIFICATION_DESCRIPTOR);
        }
        else
        {
            internalAllocation = null;
            internalFree = null;
        }
        maxAlignment = traits.maxAlignment();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Calls the embedder's {@code pfnAllocation} unless the request is invalid.
     */
    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (!isValidRequest(NULL, size, alignment, scope))
        {
            return NULL;
        }
        try
        {
            return (long)allocation.invokeExact(userData, size, alignment, scope.value());
        }
        catch (final Throwable t)
        {
            throw downcallFailed("pfnAllocation", t);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Calls the embedder's {@code pfnReallocation} unless the request is invalid or is
     * {@code reallocate(0, 0, ...)}, which returns 0: a reallocate to size 0 never returns a block.
     */
    @Override
    public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (NULL == original && 0 == size)
        {
            return NULL;
        }
        if (!isValidRequest(original, size, alignment, scope))
        {
            return NULL;
        }
        try
        {
            return (long)reallocation.invokeExact(userData, original, size, alignment, scope.value());
        }
        catch (final Throwable t)
        {
            throw downcallFailed("pfnReallocation", t);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Calls the embedder's {@code pfnFree} unless {@code memory} is 0.
     */
    @Override
    public void free(final long memory)
    {
        if (NULL == memory)
        {
            return;
        }
        try
        {
            free.invokeExact(userData, memory);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("pfnFree", t);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Calls the embedder's {@code pfnInternalAllocation} when it supplied one.
     */
    @Override
    public void internalAllocationNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        final MethodHandle handle = internalAllocation;
        if (null != handle && isValidNotification(size, type, scope))
        {
            try
            {
                handle.invokeExact(userData, size, type.ordinal(), scope.value());
            }
            catch (final Throwable t)
            {
                throw downcallFailed("pfnInternalAllocation", t);
            }
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Calls the embedder's {@code pfnInternalFree} when it supplied one.
     */
    @Override
    public void internalFreeNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        final MethodHandle handle = internalFree;
        if (null != handle && isValidNotification(size, type, scope))
        {
            try
            {
                handle.invokeExact(userData, size, type.ordinal(), scope.value());
            }
            catch (final Throwable t)
            {
                throw downcallFailed("pfnInternalFree", t);
            }
        }
    }

    /**
     * What the embedder's callbacks promise.
     *
     * @return the traits given at wrap time, {@link AllocatorTraits#UNDECLARED} by default.
     */
    @Override
    public AllocatorTraits traits()
    {
        return traits;
    }

    /**
     * Where misuse from the Java side is reported.
     *
     * @return the handler.
     */
    public ViolationHandler violationHandler()
    {
        return violationHandler;
    }

    /**
     * The wrapped struct's address (its fields were copied at wrap time).
     *
     * @return the {@code VkAllocationCallbacks*}.
     */
    public long address()
    {
        return address;
    }

    /**
     * The embedder's {@code pUserData}, passed as the first argument of every call.
     *
     * @return the pointer, possibly 0.
     */
    public long userData()
    {
        return userData;
    }

    /**
     * Whether the embedder supplied the internal allocation notifications.
     *
     * @return {@code true} when {@code pfnInternalAllocation} and {@code pfnInternalFree} are set.
     */
    public boolean hasInternalNotifications()
    {
        return null != internalAllocation;
    }

    @Override
    public String toString()
    {
        return "NativeAllocationCallbacks[0x" + Long.toHexString(address)
            + ", pUserData=0x" + Long.toHexString(userData)
            + ", pfnAllocation=0x" + Long.toHexString(pfnAllocation)
            + ", pfnReallocation=0x" + Long.toHexString(pfnReallocation)
            + ", pfnFree=0x" + Long.toHexString(pfnFree)
            + ", pfnInternalAllocation=0x" + Long.toHexString(pfnInternalAllocation)
            + ", pfnInternalFree=0x" + Long.toHexString(pfnInternalFree) + "]";
    }

    private boolean isValidRequest(
        final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (size < 0)
        {
            violationHandler.onViolation(Violation.INVALID_SIZE, original, size, scope, null);
            return false;
        }
        if (!Alignment.isPowerOfTwo(alignment) || Long.compareUnsigned(alignment, maxAlignment) > 0)
        {
            violationHandler.onViolation(Violation.INVALID_ALIGNMENT, original, size, scope, null);
            return false;
        }
        if (null == scope)
        {
            violationHandler.onViolation(Violation.INVALID_ALLOCATION_SCOPE, original, size, null, null);
            return false;
        }
        return true;
    }

    private boolean isValidNotification(final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        if (null == type)
        {
            violationHandler.onViolation(Violation.INVALID_INTERNAL_ALLOCATION_TYPE, NULL, size, scope, null);
            return false;
        }
        if (null == scope)
        {
            violationHandler.onViolation(Violation.INVALID_ALLOCATION_SCOPE, NULL, size, null, null);
            return false;
        }
        return true;
    }

    private static long readPointer(final MemorySegment struct, final long offset)
    {
        return struct.get(ADDRESS, offset).address();
    }

    private static void requireFunction(final long pointer, final String name, final String vuid)
    {
        if (NULL == pointer)
        {
            throw new IllegalArgumentException(vuid + ": " + name + " must not be NULL");
        }
    }

    private static IllegalStateException downcallFailed(final String function, final Throwable t)
    {
        // A downcall cannot throw (a throwing upcall beneath it would have ended the JVM): this is unreachable.
        return new IllegalStateException("downcall to the embedder's " + function + " failed", t);
    }
}
