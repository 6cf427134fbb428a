package dev.hostalloc.cookie;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lossy memory of addresses freed lately, used only to name a misuse: a pointer that is not live
 * but was freed here is a double free; one never seen is foreign. Direct-mapped: each address has one
 * slot (by hash) and a later free hashing to the same slot overwrites it, so a double free of a block
 * freed long ago (after about {@link #slots()} other frees) may be named a foreign free instead. It
 * never causes a false report: it is consulted only for pointers already known not to be live.
 *
 * <p>Thread-safe, lock-free, allocation-free: one opaque store per free, one opaque load per lookup.
 */
public final class RecentlyFreed
{
    /** Slots of a default instance: 65,536 (512 KiB). */
    public static final int DEFAULT_SLOTS = 1 << 16;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final long[] addresses;
    private final int shift;

    /** Creates a memory of {@link #DEFAULT_SLOTS} slots. */
    public RecentlyFreed()
    {
        this(DEFAULT_SLOTS);
    }

    /**
     * Creates a memory.
     *
     * @param slots a power of two, at least 2.
     * @throws IllegalArgumentException when {@code slots} is not a power of two of at least 2.
     */
    public RecentlyFreed(final int slots)
    {
        if (slots < 2 || Integer.bitCount(slots) != 1)
        {
            throw new IllegalArgumentException("slots must be a power of two of at least 2: " + slots);
        }
        this.addresses = new long[slots];
        this.shift = Long.SIZE - Integer.numberOfTrailingZeros(slots);
    }

    /**
     * How many addresses it can remember at best.
     *
     * @return the slot count.
     */
    public int slots()
    {
        return addresses.length;
    }

    /**
     * Remembers that an address was freed.
     *
     * @param address the freed block's address.
     */
    public void add(final long address)
    {
        LONGS.setOpaque(addresses, slot(address), address);
    }

    /**
     * Whether an address was freed lately (and not overwritten since).
     *
     * @param address a pointer known not to be live.
     * @return {@code true} when its slot still holds it.
     */
    public boolean contains(final long address)
    {
        return 0 != address && (long)LONGS.getOpaque(addresses, slot(address)) == address;
    }

    private int slot(final long address)
    {
        return (int)((address * GOLDEN_GAMMA) >>> shift);
    }

    @Override
    public String toString()
    {
        return "RecentlyFreed[" + addresses.length + " slots]";
    }
}
