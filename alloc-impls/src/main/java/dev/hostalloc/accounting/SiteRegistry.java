package dev.hostalloc.accounting;

import dev.hostalloc.api.AllocationCallbacks;

import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interns allocation sites (one Java frame each, as text) to small ids stored in block entries. Only
 * used when {@link SiteCapture} is on; walking the stack and interning allocate heap.
 */
final class SiteRegistry
{
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final String[] FOREIGN_PREFIXES = { "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.lwjgl." };
    private static final String BRIDGE_PACKAGE = "dev.hostalloc.vulkan";
    // LWJGL's MemoryUtil allocator bridge: the application frame is the one that called memAlloc & co.
    private static final String LWJGL_BRIDGE_PACKAGE = "dev.hostalloc.lwjgl";
    private static final String UNKNOWN = "(no application frame)";

    private final ConcurrentHashMap<String, Long> ids = new ConcurrentHashMap<>();
    private volatile String[] sites = { null }; // id 0: no site

    /**
     * Captures the calling application frame and returns its id.
     *
     * @return a site id above {@link BlockEntryDescriptor#NO_SITE}.
     */
    long capture()
    {
        final String site = WALKER.walk(frames -> frames
            .filter(frame -> !isAllocatorFrame(frame.getDeclaringClass()))
            .findFirst()
            .map(StackWalker.StackFrame::toString))
            .orElse(UNKNOWN);
        final Long known = ids.get(site);
        return null != known ? known : intern(site);
    }

    private synchronized long intern(final String site)
    {
        final Long known = ids.get(site);
        if (null != known)
        {
            return known;
        }
        final String[] grown = Arrays.copyOf(sites, sites.length + 1);
        final long id = grown.length - 1;
        grown[(int)id] = site;
        sites = grown;
        ids.put(site, id);
        return id;
    }

    /**
     * The site text of an id.
     *
     * @param id a site id.
     * @return the frame as text, or empty for {@link BlockEntryDescriptor#NO_SITE} or an unknown id.
     */
    Optional<String> site(final long id)
    {
        final String[] sites = this.sites;
        return id > 0 && id < sites.length ? Optional.of(sites[(int)id]) : Optional.empty();
    }

    private static boolean isAllocatorFrame(final Class<?> type)
    {
        if (AllocationCallbacks.class.isAssignableFrom(type) || type == SiteRegistry.class ||
            type.getPackageName().equals(BRIDGE_PACKAGE) || type.getPackageName().equals(LWJGL_BRIDGE_PACKAGE))
        {
            return true;
        }
        final String name = type.getName();
        for (final String prefix : FOREIGN_PREFIXES)
        {
            if (name.startsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }
}
