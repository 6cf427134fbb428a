package dev.hostalloc.cookie;

import dev.hostalloc.api.AllocationCallbacks;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The Java frames that allocate, interned to small ids a block header can hold: the first frame on the
 * stack that is not allocator machinery, i.e. not in a class implementing {@link AllocationCallbacks},
 * not in LWJGL ({@code org.lwjgl.}) and not in hostalloc's Vulkan and LWJGL-allocator bridges
 * ({@code dev.hostalloc.vulkan.}, {@code dev.hostalloc.lwjgl.}).
 * For a driver calling back from native code that is the Java frame that called the Vulkan command.
 *
 * <p>Capturing walks the stack and allocates Java heap: it is a debugging aid, off by default, and an
 * allocator that captures sites is not real-time safe. Describing an id never fails.
 *
 * <p>Thread-safe. At most {@link #MAX_SITES} distinct sites are kept; later new ones get
 * {@link #OVERFLOW_SITE}.
 */
public final class AllocationSites
{
    /** The id of "no site captured". */
    public static final int NO_SITE = 0;
    /** The id of "site table full". */
    public static final int OVERFLOW_SITE = 1;
    /** Distinct sites kept per table. */
    public static final int MAX_SITES = 1 << 16;

    private static final int FIRST_SITE = 2;
    private static final String LWJGL_PREFIX = "org.lwjgl.";
    private static final String BRIDGE_PREFIX = "dev.hostalloc.vulkan.";
    private static final String LWJGL_BRIDGE_PREFIX = "dev.hostalloc.lwjgl.";
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final AtomicReferenceArray<String> descriptions = new AtomicReferenceArray<>(MAX_SITES);
    private final AtomicInteger next = new AtomicInteger(FIRST_SITE);

    /** Creates an empty table. */
    public AllocationSites()
    {
    }

    /**
     * Interns the calling site.
     *
     * @return its id, or {@link #OVERFLOW_SITE} when the table is full, or {@link #NO_SITE} when the
     *         whole stack is allocator machinery.
     */
    public int capture()
    {
        final String site = callerFrame();
        if (null == site)
        {
            return NO_SITE;
        }
        final Integer known = ids.get(site);
        if (null != known)
        {
            return known;
        }
        return ids.computeIfAbsent(site, this::assign);
    }

    /**
     * What an id stands for.
     *
     * @param id an id from {@link #capture()}, or anything read from a possibly damaged header.
     * @return e.g. {@code "com.example.Renderer.createBuffers(Renderer.java:120)"}; a placeholder for
     *         {@link #NO_SITE}, {@link #OVERFLOW_SITE} and ids never assigned.
     */
    public String describe(final int id)
    {
        if (id == NO_SITE)
        {
            return "unknown (no site captured)";
        }
        if (id == OVERFLOW_SITE)
        {
            return "unknown (more than " + MAX_SITES + " allocation sites)";
        }
        final String description = id > 0 && id < MAX_SITES ? descriptions.get(id) : null;
        return null != description ? description : "unknown (site id " + id + " was never assigned)";
    }

    /**
     * Packs the sites of a freed block into one {@code long}.
     *
     * @param allocationSite where it was allocated.
     * @param freeSite       where it was freed.
     * @return the pair.
     */
    public static long pair(final int allocationSite, final int freeSite)
    {
        return (allocationSite & 0xFFFF_FFFFL) | ((long)freeSite << Integer.SIZE);
    }

    /**
     * The allocation site of a pair.
     *
     * @param pair from {@link #pair}.
     * @return the site id.
     */
    public static int allocationSiteOf(final long pair)
    {
        return (int)pair;
    }

    /**
     * The free site of a pair.
     *
     * @param pair from {@link #pair}.
     * @return the site id.
     */
    public static int freeSiteOf(final long pair)
    {
        return (int)(pair >>> Integer.SIZE);
    }

    /**
     * Report text for a block's sites.
     *
     * @param allocationSite where it was allocated, or {@link #NO_SITE}.
     * @param freeSite       where it was freed, or {@link #NO_SITE} when it was not (or not known).
     * @return e.g. {@code "; allocated at A.b(A.java:1); freed at C.d(C.java:2)"}, or an empty string when
     *         neither is known.
     */
    public String detail(final int allocationSite, final int freeSite)
    {
        final String allocated = allocationSite == NO_SITE ? "" : "; allocated at " + describe(allocationSite);
        return freeSite == NO_SITE ? allocated : allocated + "; first freed at " + describe(freeSite);
    }

    /**
     * How many distinct sites were interned.
     *
     * @return the count, at most {@link #MAX_SITES} - 2.
     */
    public int size()
    {
        return Math.min(next.get(), MAX_SITES) - FIRST_SITE;
    }

    /**
     * The first frame of the calling thread's stack that is not allocator machinery, as text; used for
     * reports even when sites are not captured at allocation.
     *
     * @return e.g. {@code "com.example.Renderer.destroy(Renderer.java:88)"}, or {@code null} when there
     *         is none.
     */
    public static String callerFrame()
    {
        final Optional<StackWalker.StackFrame> frame =
            WALKER.walk(frames -> frames.filter(AllocationSites::isCaller).findFirst());
        return frame.map(StackWalker.StackFrame::toString).orElse(null);
    }

    private Integer assign(final String site)
    {
        final int id = next.getAndIncrement();
        if (id >= MAX_SITES)
        {
            return OVERFLOW_SITE;
        }
        descriptions.set(id, site);
        return id;
    }

    private static boolean isCaller(final StackWalker.StackFrame frame)
    {
        final Class<?> type = frame.getDeclaringClass();
        final String name = type.getName();
        return !AllocationCallbacks.class.isAssignableFrom(type) &&
            type != AllocationSites.class &&
            !name.startsWith(LWJGL_PREFIX) &&
            !name.startsWith(BRIDGE_PREFIX) &&
            !name.startsWith(LWJGL_BRIDGE_PREFIX);
    }

    @Override
    public String toString()
    {
        return "AllocationSites[" + size() + " sites]";
    }
}
