package dev.hostalloc.testkit;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A decorator that records every call in order, as the Vulkan CTS's {@code AllocationCallbackRecorder}
 * does, for {@link CallbackValidator}.
 *
 * <p>Thread-safe. Each call holds the recorder's lock across the delegate call and the append, so the
 * record order is the order in which blocks really changed hands (a pointer freed by one thread and
 * returned to another always appears freed first). That serializes the delegate: this is a test tool.
 * Records are kept as primitives in one growing array; the Java heap is touched only when it grows.
 * An exception thrown by the delegate is recorded as a call that returned 0, then rethrown.
 */
public final class RecordingAllocator implements AllocationCallbacks
{
    /** Records the array holds before its first growth. */
    public static final int DEFAULT_INITIAL_CAPACITY = 4096;

    // One record = RECORD_LONGS longs at index * RECORD_LONGS.
    private static final int KIND = 0;
    private static final int ORIGINAL = 1;
    private static final int SIZE = 2;
    private static final int ALIGNMENT = 3;
    private static final int SCOPE_AND_TYPE = 4;
    private static final int RETURNED = 5;
    private static final int RECORD_LONGS = 6;
    private static final int MAX_STORE_LENGTH = Integer.MAX_VALUE - 8;
    private static final AllocationRecord.Kind[] KINDS = AllocationRecord.Kind.values();

    private final AllocationCallbacks delegate;
    private final Object lock = new Object();
    private long[] store;
    private int count;

    /**
     * Records calls to {@code delegate}.
     *
     * @param delegate the callbacks that do the work.
     */
    public RecordingAllocator(final AllocationCallbacks delegate)
    {
        this(delegate, DEFAULT_INITIAL_CAPACITY);
    }

    /**
     * Records calls to {@code delegate}, with room for {@code initialCapacity} records before growing.
     *
     * @param delegate        the callbacks that do the work.
     * @param initialCapacity records to preallocate, at least 1.
     * @throws IllegalArgumentException when {@code initialCapacity} is below 1.
     */
    public RecordingAllocator(final AllocationCallbacks delegate, final int initialCapacity)
    {
        if (null == delegate)
        {
            throw new NullPointerException("delegate");
        }
        if (initialCapacity < 1)
        {
            throw new IllegalArgumentException("initialCapacity must be at least 1: " + initialCapacity);
        }
        this.delegate = delegate;
        store = new long[initialCapacity * RECORD_LONGS];
    }

    @Override
    public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        synchronized (lock)
        {
            long result = 0;
            try
            {
                result = delegate.allocate(size, alignment, scope);
                return result;
            }
            finally
            {
                append(AllocationRecord.Kind.ALLOCATION, 0, size, alignment, scopeValue(scope),
                    AllocationRecord.NO_VALUE, result);
            }
        }
    }

    @Override
    public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        synchronized (lock)
        {
            long result = 0;
            try
            {
                result = delegate.reallocate(original, size, alignment, scope);
                return result;
            }
            finally
            {
                append(AllocationRecord.Kind.REALLOCATION, original, size, alignment, scopeValue(scope),
                    AllocationRecord.NO_VALUE, result);
            }
        }
    }

    @Override
    public void free(final long memory)
    {
        synchronized (lock)
        {
            try
            {
                delegate.free(memory);
            }
            finally
            {
                append(AllocationRecord.Kind.FREE, memory, 0, 0, AllocationRecord.NO_VALUE, AllocationRecord.NO_VALUE, 0);
            }
        }
    }

    @Override
    public void internalAllocationNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        synchronized (lock)
        {
            try
            {
                delegate.internalAllocationNotification(size, type, scope);
            }
            finally
            {
                append(AllocationRecord.Kind.INTERNAL_ALLOCATION, 0, size, 0, scopeValue(scope), typeValue(type), 0);
            }
        }
    }

    @Override
    public void internalFreeNotification(
        final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        synchronized (lock)
        {
            try
            {
                delegate.internalFreeNotification(size, type, scope);
            }
            finally
            {
                append(AllocationRecord.Kind.INTERNAL_FREE, 0, size, 0, scopeValue(scope), typeValue(type), 0);
            }
        }
    }

    /**
     * The delegate's traits: recording changes no promise except adding a lock.
     *
     * @return the delegate's traits, not real-time safe (the recorder locks and grows).
     */
    @Override
    public AllocatorTraits traits()
    {
        return delegate.traits().withRealtimeSafe(false);
    }

    /**
     * The calls so far, in order.
     *
     * @return a new list.
     */
    public List<AllocationRecord> records()
    {
        synchronized (lock)
        {
            final List<AllocationRecord> result = new ArrayList<>(count);
            for (int i = 0; i < count; i++)
            {
                result.add(recordAt(i));
            }
            return result;
        }
    }

    /**
     * How many calls were recorded.
     *
     * @return the count.
     */
    public int recordCount()
    {
        synchronized (lock)
        {
            return count;
        }
    }

    /** Forgets all records (blocks still live become unknown to a later validation). */
    public void clear()
    {
        synchronized (lock)
        {
            count = 0;
        }
    }

    /**
     * Validates the calls so far.
     *
     * @return {@code CallbackValidator.validate(records())}.
     */
    public ValidationResult validate()
    {
        return CallbackValidator.validate(records());
    }

    /**
     * The wrapped callbacks.
     *
     * @return the delegate.
     */
    public AllocationCallbacks delegate()
    {
        return delegate;
    }

    private void append(
        final AllocationRecord.Kind kind,
        final long original,
        final long size,
        final long alignment,
        final int scope,
        final int internalType,
        final long returned)
    {
        long[] store = this.store;
        final int index = count * RECORD_LONGS;
        if (index == store.length)
        {
            if (store.length > MAX_STORE_LENGTH / 2)
            {
                throw new IllegalStateException("recorder full: " + count + " records");
            }
            store = Arrays.copyOf(store, store.length * 2);
            this.store = store;
        }
        store[index + KIND] = kind.ordinal();
        store[index + ORIGINAL] = original;
        store[index + SIZE] = size;
        store[index + ALIGNMENT] = alignment;
        store[index + SCOPE_AND_TYPE] = ((long)scope << Integer.SIZE) | (internalType & 0xFFFF_FFFFL);
        store[index + RETURNED] = returned;
        count++;
    }

    private AllocationRecord recordAt(final int i)
    {
        final int index = i * RECORD_LONGS;
        final long scopeAndType = store[index + SCOPE_AND_TYPE];
        return new AllocationRecord(
            KINDS[(int)store[index + KIND]],
            store[index + ORIGINAL],
            store[index + SIZE],
            store[index + ALIGNMENT],
            (int)(scopeAndType >> Integer.SIZE),
            (int)scopeAndType,
            store[index + RETURNED]);
    }

    private static int scopeValue(final SystemAllocationScope scope)
    {
        return null == scope ? AllocationRecord.NO_VALUE : scope.value();
    }

    private static int typeValue(final InternalAllocationType type)
    {
        return null == type ? AllocationRecord.NO_VALUE : type.ordinal();
    }
}
