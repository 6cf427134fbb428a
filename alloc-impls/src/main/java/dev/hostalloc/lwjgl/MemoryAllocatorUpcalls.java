package dev.hostalloc.lwjgl;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.hostalloc.api.DirectAllocation;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The six C function pointers of one {@link HostallocMemoryAllocator}: {@code java.lang.foreign} upcall
 * stubs, made once when the allocator is made and kept for its lifetime (making a stub is expensive,
 * calling one is cheap), each calling the allocator's Java method of the same name.
 *
 * <p>Pointers and {@code size_t} are passed as {@code long} ({@code JAVA_LONG}), not as
 * {@code MemorySegment}: an {@code ADDRESS} argument would wrap every pointer in a heap object. That
 * needs 8-byte pointers, which {@link #isSupportedDataModel()} checks.
 *
 * <p>The stubs live in an automatic arena owned by this object: they stay valid while the allocator is
 * reachable (LWJGL's {@code MemoryUtil} keeps its allocator for the JVM's lifetime) and are reclaimed
 * with it otherwise. The target methods never throw, as an upcall must not.
 */
@DirectAllocation(reason = "Makes LWJGL's allocator callable from native code: six upcall stubs (native code "
    + "memory) in an automatic java.lang.foreign arena, made once per HostallocMemoryAllocator.")
final class MemoryAllocatorUpcalls
{
    /** {@code void* malloc(size_t size)}. */
    static final FunctionDescriptor MALLOC = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG);

    /** {@code void* calloc(size_t num, size_t size)}. */
    static final FunctionDescriptor CALLOC = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG);

    /** {@code void* realloc(void* ptr, size_t size)}. */
    static final FunctionDescriptor REALLOC = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG);

    /** {@code void free(void* ptr)}. */
    static final FunctionDescriptor FREE = FunctionDescriptor.ofVoid(JAVA_LONG);

    /** {@code void* aligned_alloc(size_t alignment, size_t size)}. */
    static final FunctionDescriptor ALIGNED_ALLOC = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG);

    /** {@code void aligned_free(void* ptr)}. */
    static final FunctionDescriptor ALIGNED_FREE = FunctionDescriptor.ofVoid(JAVA_LONG);

    private static final long POINTER_SIZE = JAVA_LONG.byteSize();

    private final Arena arena;
    private final long malloc;
    private final long calloc;
    private final long realloc;
    private final long free;
    private final long alignedAlloc;
    private final long alignedFree;

    /**
     * Makes the six stubs for {@code target}.
     *
     * @param target the allocator every stub calls.
     * @throws UnsupportedOperationException when pointers are not 8 bytes wide.
     */
    MemoryAllocatorUpcalls(final HostallocMemoryAllocator target)
    {
        if (!isSupportedDataModel())
        {
            throw new UnsupportedOperationException("LWJGL's allocator function pointers need 8-byte pointers; this " +
                "platform has " + Linker.nativeLinker().canonicalLayouts().get("void*").byteSize());
        }
        final Linker linker = Linker.nativeLinker();
        final MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        arena = Arena.ofAuto();
        malloc = stub(linker, lookup, target, "malloc", MALLOC);
        calloc = stub(linker, lookup, target, "calloc", CALLOC);
        realloc = stub(linker, lookup, target, "realloc", REALLOC);
        free = stub(linker, lookup, target, "free", FREE);
        alignedAlloc = stub(linker, lookup, target, "aligned_alloc", ALIGNED_ALLOC);
        alignedFree = stub(linker, lookup, target, "aligned_free", ALIGNED_FREE);
    }

    /**
     * Whether this platform's pointers and {@code size_t} are 8 bytes, as the stubs' {@code long}
     * parameters assume.
     *
     * @return {@code true} on 64-bit platforms.
     */
    static boolean isSupportedDataModel()
    {
        final Linker linker = Linker.nativeLinker();
        return linker.canonicalLayouts().get("void*").byteSize() == POINTER_SIZE &&
            linker.canonicalLayouts().get("size_t").byteSize() == POINTER_SIZE;
    }

    /**
     * The {@code malloc} function pointer.
     *
     * @return the stub's address, the same on every call.
     */
    long malloc()
    {
        return malloc;
    }

    /**
     * The {@code calloc} function pointer.
     *
     * @return the stub's address, the same on every call.
     */
    long calloc()
    {
        return calloc;
    }

    /**
     * The {@code realloc} function pointer.
     *
     * @return the stub's address, the same on every call.
     */
    long realloc()
    {
        return realloc;
    }

    /**
     * The {@code free} function pointer.
     *
     * @return the stub's address, the same on every call.
     */
    long free()
    {
        return free;
    }

    /**
     * The {@code aligned_alloc} function pointer.
     *
     * @return the stub's address, the same on every call.
     */
    long alignedAlloc()
    {
        return alignedAlloc;
    }

    /**
     * The {@code aligned_free} function pointer.
     *
     * @return the stub's address, the same on every call.
     */
    long alignedFree()
    {
        return alignedFree;
    }

    private long stub(
        final Linker linker,
        final MethodHandles.Lookup lookup,
        final HostallocMemoryAllocator target,
        final String name,
        final FunctionDescriptor descriptor)
    {
        try
        {
            final MethodType type = descriptor.toMethodType();
            final MethodHandle handle = lookup.findVirtual(HostallocMemoryAllocator.class, name, type).bindTo(target);
            final MemorySegment stub = linker.upcallStub(handle, descriptor, arena);
            return stub.address();
        }
        catch (final NoSuchMethodException | IllegalAccessException ex)
        {
            throw new IllegalStateException("HostallocMemoryAllocator." + name + descriptor.toMethodType() +
                " must be a public method matching the C signature", ex);
        }
    }
}
