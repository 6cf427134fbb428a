package dev.hostalloc.cookie;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed-capacity, lock-free, allocation-free table of live block addresses, each with up to two
 * {@code long} values: how the debug allocators know that a pointer is theirs without reading the bytes
 * around it (which may be unmapped). Open addressing with linear probing over a power-of-two key array;
 * every transition of a key slot is one compare-and-set, so no operation ever blocks or parks.
 *
 * <p>Slot states: {@link #EMPTY} (never used), a key (a live address), {@link #TOMBSTONE} (a removed
 * key; probes run past it and inserts reuse it), {@link #RESERVED} (an insert is writing the values;
 * published by a release store of the key, so a reader that sees the key sees its values).
 *
 * <p>Capacity is reserved before an insert ({@link #tryReserve}), so an insert of a reserved entry
 * always finds a slot: the table holds at most {@link #maxEntries()} keys and has twice as many slots.
 * Nothing is ever resized, so nothing allocates after construction.
 *
 * <p>Keys are positive addresses (user-space pointers on 64-bit Linux are below 2^47). Lookups of 0 or
 * negative keys find nothing. Because tombstones are never turned back into {@link #EMPTY} (that would
 * race with concurrent probes), a lookup of an <em>absent</em> key may probe far on a table that has
 * seen much churn, at worst once round the table; absent keys are misuse (a foreign or freed pointer),
 * so only error paths pay for it. Lookups of present keys stop at the key.
 *
 * <p>Thread-safe. Concurrent inserts of the same key cannot happen (a key is an address only its owner
 * holds); concurrent removals of the same key (a racing double free) are resolved by the
 * compare-and-set: exactly one wins.
 */
public final class BlockRegistry
{
    /** A slot never used. */
    public static final long EMPTY = 0L;
    /** A slot whose key was removed. */
    public static final long TOMBSTONE = -1L;
    /** A slot an insert has claimed but not yet published. */
    public static final long RESERVED = -2L;
    /** Returned by {@link #indexOf} when the key is absent. */
    public static final int NOT_FOUND = -1;
    /** The most values an entry can carry. */
    public static final int MAX_VALUES = 2;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    private static final int LOAD_FACTOR_INVERSE = 2;

    private final long[] keys;
    private final long[] values0;
    private final long[] values1;
    private final int mask;
    private final int shift;
    private final int maxEntries;
    private final AtomicInteger reserved = new AtomicInteger();

    /**
     * Creates a table.
     *
     * @param maxEntries how many keys may be present at once, at least 1 and at most 2^29.
     * @param valueCount values per entry, 0 to {@link #MAX_VALUES}.
     * @throws IllegalArgumentException when either is out of range.
     */
    public BlockRegistry(final int maxEntries, final int valueCount)
    {
        if (maxEntries < 1 || maxEntries > (1 << 29))
        {
            throw new IllegalArgumentException("maxEntries must be 1..2^29: " + maxEntries);
        }
        if (valueCount < 0 || valueCount > MAX_VALUES)
        {
            throw new IllegalArgumentException("valueCount must be 0.." + MAX_VALUES + ": " + valueCount);
        }
        final int capacity = Integer.highestOneBit(maxEntries * LOAD_FACTOR_INVERSE - 1) << 1;
        this.keys = new long[capacity];
        this.values0 = valueCount > 0 ? new long[capacity] : null;
        this.values1 = valueCount > 1 ? new long[capacity] : null;
        this.mask = capacity - 1;
        this.shift = Long.SIZE - Integer.numberOfTrailingZeros(capacity);
        this.maxEntries = maxEntries;
    }

    /**
     * How many keys may be present at once.
     *
     * @return the limit given at construction.
     */
    public int maxEntries()
    {
        return maxEntries;
    }

    /**
     * How many slots the key array has.
     *
     * @return a power of two, at least twice {@link #maxEntries()}.
     */
    public int capacity()
    {
        return keys.length;
    }

    /**
     * Entries reserved: present keys plus inserts in progress.
     *
     * @return the count.
     */
    public int reservedCount()
    {
        return reserved.get();
    }

    /**
     * Reserves room for one entry; call before the insert of a new key.
     *
     * @return {@code false} when {@link #maxEntries()} entries are already reserved.
     */
    public boolean tryReserve()
    {
        // One atomic add in the common case; an overshoot past the limit is given back at once (the table
        // has twice the slots, so a momentary overshoot by a few racing threads still finds slots).
        final AtomicInteger reserved = this.reserved;
        if (reserved.getAndIncrement() < maxEntries)
        {
            return true;
        }
        reserved.decrementAndGet();
        return false;
    }

    /** Gives back one reservation: after a removal, or when the reserved insert did not happen. */
    public void unreserve()
    {
        reserved.decrementAndGet();
    }

    /**
     * Inserts a key that is not present, under a reservation already held.
     *
     * @param key    a positive address.
     * @param value0 the first value (ignored when the table has none).
     * @param value1 the second value (ignored when the table has fewer than two).
     * @return the slot index.
     * @throws IllegalArgumentException when {@code key} is not positive.
     * @throws IllegalStateException    when no slot is free: only when inserting without a reservation.
     */
    public int insert(final long key, final long value0, final long value1)
    {
        if (key <= 0)
        {
            throw new IllegalArgumentException("keys are positive addresses: 0x" + Long.toHexString(key));
        }
        final long[] keys = this.keys;
        final int mask = this.mask;
        int index = home(key);
        for (int probes = 0; probes <= mask; probes++)
        {
            final long current = (long)LONGS.getVolatile(keys, index);
            if ((current == EMPTY || current == TOMBSTONE) && LONGS.compareAndSet(keys, index, current, RESERVED))
            {
                if (null != values0)
                {
                    values0[index] = value0;
                    if (null != values1)
                    {
                        values1[index] = value1;
                    }
                }
                LONGS.setRelease(keys, index, key);
                return index;
            }
            index = (index + 1) & mask;
        }
        throw new IllegalStateException("BlockRegistry full: insert without a reservation");
    }

    /**
     * Finds a key.
     *
     * @param key an address.
     * @return its slot index, or {@link #NOT_FOUND}.
     */
    public int indexOf(final long key)
    {
        if (key <= 0)
        {
            return NOT_FOUND;
        }
        final long[] keys = this.keys;
        final int mask = this.mask;
        int index = home(key);
        for (int probes = 0; probes <= mask; probes++)
        {
            final long current = (long)LONGS.getAcquire(keys, index);
            if (current == key)
            {
                return index;
            }
            if (current == EMPTY)
            {
                return NOT_FOUND;
            }
            index = (index + 1) & mask;
        }
        return NOT_FOUND;
    }

    /**
     * Whether a key is present.
     *
     * @param key an address.
     * @return {@code true} when found.
     */
    public boolean contains(final long key)
    {
        return indexOf(key) != NOT_FOUND;
    }

    /**
     * Removes the key at a slot found by {@link #indexOf}, if it is still there; the reservation stays
     * held (give it back with {@link #unreserve()}, or reuse it for an insert).
     *
     * @param index the slot.
     * @param key   the key expected there.
     * @return {@code true} when this call removed it; {@code false} when another thread did first.
     */
    public boolean remove(final int index, final long key)
    {
        return LONGS.compareAndSet(keys, index, key, TOMBSTONE);
    }

    /**
     * The first value of the entry at a slot, read after {@link #indexOf} found its key.
     *
     * @param index the slot.
     * @return the value.
     */
    public long value0(final int index)
    {
        return (long)LONGS.getVolatile(values0, index);
    }

    /**
     * The second value of the entry at a slot.
     *
     * @param index the slot.
     * @return the value.
     */
    public long value1(final int index)
    {
        return (long)LONGS.getVolatile(values1, index);
    }

    /**
     * Sets the second value of an entry whose key this thread owns (e.g. a freed block's sites).
     *
     * @param index the slot.
     * @param value the new value.
     */
    public void setValue1(final int index, final long value)
    {
        LONGS.setRelease(values1, index, value);
    }

    /**
     * Changes the first value of an entry atomically, e.g. a state held in it.
     *
     * @param index    the slot.
     * @param expected the value expected.
     * @param value    the new value.
     * @return {@code true} when it was {@code expected} and is now {@code value}.
     */
    public boolean compareAndSetValue0(final int index, final long expected, final long value)
    {
        return LONGS.compareAndSet(values0, index, expected, value);
    }

    private int home(final long key)
    {
        return (int)((key * GOLDEN_GAMMA) >>> shift);
    }

    @Override
    public String toString()
    {
        return "BlockRegistry[" + reserved.get() + "/" + maxEntries + " entries, " + keys.length + " slots]";
    }
}
