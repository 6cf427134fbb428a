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
 * <p>With sites, each slot also keeps the freed block's allocation and free sites
 * ({@link AllocationSites#pair}), so a double free can say where the block came from and where it was
 * first freed.
 *
 * <p>Thread-safe, lock-free, allocation-free: one or two opaque stores per free, one or two opaque loads
 * per lookup. A lookup racing with an overwrite of the same slot may return the newer block's sites;
 * they only ever end up in a report.
 */
public final class RecentlyFreed
{
    /** Slots of a default instance: 65,536 (512 KiB). */
    public static final int DEFAULT_SLOTS = 1 << 16;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** What {@link #sites(long)} returns when nothing is known. */
    public static final long NO_SITES = 0L;

    private final long[] addresses;
    private final long[] sites;
    private final int shift;

    /** Creates a memory of {@link #DEFAULT_SLOTS} slots, without sites. */
    public RecentlyFreed()
    {
        this(DEFAULT_SLOTS, false);
    }

    /**
     * Creates a memory.
     *
     * @param slots     a power of two, at least 2.
     * @param withSites keep each freed block's sites too.
     * @throws IllegalArgumentException when {@code slots} is not a power of two of at least 2.
     */
    public RecentlyFreed(final int slots, final boolean withSites)
    {
        if (slots < 2 || Integer.bitCount(slots) != 1)
        {
            throw new IllegalArgumentException("slots must be a power of two of at least 2: " + slots);
        }
        this.addresses = new long[slots];
        this.sites = withSites ? new long[slots] : null;
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
     * Remembers that an address was freed, with its sites (kept only by a memory made with sites).
     *
     * @param address the freed block's address.
     * @param sites   from {@link AllocationSites#pair}.
     */
    public void add(final long address, final long sites)
    {
        final int slot = slot(address);
        if (null != this.sites)
        {
            LONGS.setOpaque(this.sites, slot, sites);
        }
        LONGS.setRelease(addresses, slot, address);
    }

    /**
     * The sites remembered with an address.
     *
     * @param address a pointer known not to be live.
     * @return the pair from {@link AllocationSites#pair}, or {@link #NO_SITES} when the address is not
     *         remembered or the memory keeps no sites.
     */
    public long sites(final long address)
    {
        if (null == sites || !contains(address))
        {
            return NO_SITES;
        }
        final int slot = slot(address);
        final long pair = (long)LONGS.getOpaque(sites, slot);
        return (long)LONGS.getAcquire(addresses, slot) == address ? pair : NO_SITES;
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
