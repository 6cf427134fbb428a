package dev.hostalloc.tests.conformance;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.system.SystemAllocator;
import org.lwjgl.system.MemoryUtil;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test fixture: {@link SystemAllocator} with one deliberate {@link Defect}, to prove the kit
 * fails allocators that break a rule. With {@link Defect#NONE} it is correct (the control).
 *
 * <p>It tracks every live block's size itself, so its defective reallocate can copy (or not).
 */
final class BrokenAllocator implements AllocationCallbacks
{
    /** The one rule this fixture breaks. */
    enum Defect
    {
        /** None: the control that must pass every check. */
        NONE,
        /** Gives malloc's 16-byte alignment whatever alignment is asked for. */
        IGNORES_ALIGNMENT,
        /** reallocate allocates a new block and frees the old one without copying. */
        REALLOCATE_DOES_NOT_COPY,
        /** A reallocate that fails also frees the original (simulated: poisoned, never reused). */
        FREES_ON_FAILED_REALLOCATE,
        /** reallocate(p, 0) returns a fresh 1-byte block instead of freeing p and returning 0. */
        REALLOCATE_ZERO_RETURNS_POINTER,
        /** reallocate moves blocks to malloc's 16-byte alignment, as C realloc or TLSF do. */
        REALLOCATE_LOSES_ALIGNMENT,
        /** allocate(0) returns one shared block every time (and free ignores it). */
        SIZE_ZERO_SHARED_BLOCK,
        /** Correct, but declares itself not thread-safe. */
        NOT_THREAD_SAFE
    }

    private static final long MALLOC_ALIGNMENT = 16;
    private static final byte POISON = (byte)0xDD;
    private static final long SHARED_ZERO_ALIGNMENT = 65536;

    private final SystemAllocator system = new SystemAllocator(ViolationHandler.throwing());
    private final Defect defect;
    private final Map<Long, Long> sizes = new ConcurrentHashMap<>();
    private final Set<Long> poisoned = ConcurrentHashMap.newKeySet();
    private final long sharedZeroBlock;

    BrokenAllocator(final Defect defect)
    {
        this.defect = defect;
        // Never freed: a few bytes per fixture instance, for the one defect that needs it.
        sharedZeroBlock = defect == Defect.SIZE_ZERO_SHARED_BLOCK ?
            system.allocate(1, SHARED_ZERO_ALIGNMENT, SystemAllocationScope.INSTANCE) : 0;
    }

    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (size == 0 && defect == Defect.SIZE_ZERO_SHARED_BLOCK)
        {
            return sharedZeroBlock;
        }
        final long effective = defect == Defect.IGNORES_ALIGNMENT ? MALLOC_ALIGNMENT : alignment;
        return track(system.allocate(size, effective, scope), size);
    }

    @Override
    public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        if (original == 0)
        {
            return allocate(size, alignment, scope);
        }
        if (size == 0)
        {
            free(original);
            return defect == Defect.REALLOCATE_ZERO_RETURNS_POINTER ? allocate(1, alignment, scope) : 0;
        }
        final long oldSize = sizes.get(original);
        final long newAlignment = switch (defect)
        {
            case IGNORES_ALIGNMENT, REALLOCATE_LOSES_ALIGNMENT -> MALLOC_ALIGNMENT;
            default -> alignment;
        };
        final long moved = system.allocate(size, newAlignment, scope);
        if (moved == 0)
        {
            if (defect == Defect.FREES_ON_FAILED_REALLOCATE)
            {
                // Really freeing would make the kit's use of the original a use-after-free in libc;
                // poisoning shows the same loss of contents without risking the JVM.
                MemoryUtil.memSet(original, POISON, oldSize);
                poisoned.add(original);
            }
            return 0;
        }
        if (defect != Defect.REALLOCATE_DOES_NOT_COPY)
        {
            MemoryUtil.memCopy(original, moved, Math.min(oldSize, size));
        }
        free(original);
        return track(moved, size);
    }

    @Override
    public void free(final long memory)
    {
        if (memory == 0 || memory == sharedZeroBlock)
        {
            return;
        }
        sizes.remove(memory);
        if (!poisoned.remove(memory))
        {
            system.free(memory);
        }
    }

    @Override
    public AllocatorTraits traits()
    {
        return defect == Defect.NOT_THREAD_SAFE ? system.traits().withThreadSafe(false) : system.traits();
    }

    @Override
    public String toString()
    {
        return "BrokenAllocator[" + defect + "]";
    }

    private long track(final long address, final long size)
    {
        if (address != 0)
        {
            sizes.put(address, size);
        }
        return address;
    }
}
