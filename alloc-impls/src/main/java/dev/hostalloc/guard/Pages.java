package dev.hostalloc.guard;

import dev.hostalloc.api.DirectAllocation;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Anonymous page mappings through {@code java.lang.foreign}: {@code mmap}, {@code mprotect},
 * {@code munmap} and the page size from {@code sysconf(_SC_PAGESIZE)}. LWJGL's {@code MMAN} has no
 * {@code mprotect}, so all three are bound here, once, as downcall handles of C's {@code libc}.
 *
 * <p>Pointers are passed as {@code long}: on the 64-bit Linux ABIs (x86-64 System V, AArch64 AAPCS64) a
 * pointer and a {@code long} travel the same way, and no {@code MemorySegment} is created per call, so
 * calls allocate no Java heap. Linux only; the constants are Linux's (identical on x86-64 and AArch64).
 * On other systems {@link #supported()} is {@code false} and every other method throws.
 *
 * <p>Thread-safe (the kernel serialises changes to the address space).
 */
@DirectAllocation(reason = "guard-page allocation: each block is its own anonymous mmap with a PROT_NONE page, " +
    "which no allocator below can provide")
public final class Pages
{
    /** {@code PROT_NONE}: any access faults. */
    public static final int PROT_NONE = 0x0;
    /** {@code PROT_READ}. */
    public static final int PROT_READ = 0x1;
    /** {@code PROT_WRITE}. */
    public static final int PROT_WRITE = 0x2;
    /** {@code PROT_READ | PROT_WRITE}. */
    public static final int PROT_READ_WRITE = PROT_READ | PROT_WRITE;
    /** {@code MAP_PRIVATE}. */
    public static final int MAP_PRIVATE = 0x02;
    /** {@code MAP_ANONYMOUS} (Linux's value). */
    public static final int MAP_ANONYMOUS = 0x20;
    /** {@code MAP_NORESERVE} (Linux's value): no swap is reserved for the pages. */
    public static final int MAP_NORESERVE = 0x4000;
    /** What {@code mmap} returns on failure: {@code (void*)-1}. */
    public static final long MAP_FAILED = -1L;
    /** glibc's {@code _SC_PAGESIZE} ({@code <bits/confname.h>}). */
    public static final int SC_PAGESIZE = 30;

    private static final int NO_FD = -1;
    private static final long NO_OFFSET = 0L;
    private static final long ANYWHERE = 0L;
    private static final int SUCCESS = 0;

    private static final String UNSUPPORTED_REASON;
    private static final MethodHandle MMAP;
    private static final MethodHandle MPROTECT;
    private static final MethodHandle MUNMAP;
    private static final long PAGE_SIZE;

    static
    {
        final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux"))
        {
            UNSUPPORTED_REASON = "guard pages need Linux (mmap/mprotect constants); this is " + os;
            MMAP = null;
            MPROTECT = null;
            MUNMAP = null;
            PAGE_SIZE = 0;
        }
        else
        {
            final Linker linker = Linker.nativeLinker();
            final SymbolLookup libc = linker.defaultLookup();
            MMAP = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
            MPROTECT = linker.downcallHandle(libc.find("mprotect").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
            MUNMAP = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
            final MethodHandle sysconf = linker.downcallHandle(libc.find("sysconf").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
            try
            {
                PAGE_SIZE = (long)sysconf.invokeExact(SC_PAGESIZE);
            }
            catch (final Throwable t)
            {
                throw new ExceptionInInitializerError(t);
            }
            UNSUPPORTED_REASON = PAGE_SIZE > 0 && Long.bitCount(PAGE_SIZE) == 1 ? null :
                "sysconf(_SC_PAGESIZE) returned " + PAGE_SIZE;
        }
    }

    private Pages()
    {
    }

    /**
     * Whether guard pages work on this system.
     *
     * @return {@code true} on Linux with a power-of-two page size.
     */
    public static boolean supported()
    {
        return null == UNSUPPORTED_REASON;
    }

    /**
     * Fails unless {@link #supported()}.
     *
     * @throws UnsupportedOperationException saying why guard pages are unavailable.
     */
    public static void requireSupported()
    {
        if (null != UNSUPPORTED_REASON)
        {
            throw new UnsupportedOperationException(UNSUPPORTED_REASON);
        }
    }

    /**
     * The system's page size, read once from {@code sysconf(_SC_PAGESIZE)}.
     *
     * @return e.g. 4096.
     * @throws UnsupportedOperationException when not {@link #supported()}.
     */
    public static long pageSize()
    {
        requireSupported();
        return PAGE_SIZE;
    }

    /**
     * Maps fresh anonymous, private, zero-filled pages anywhere.
     *
     * @param length     bytes, a multiple of the page size.
     * @param protection e.g. {@link #PROT_READ_WRITE} or {@link #PROT_NONE}.
     * @return the page-aligned address, or 0 when the kernel refused (out of memory or of mappings).
     */
    public static long map(final long length, final int protection)
    {
        try
        {
            final long address = (long)MMAP.invokeExact(ANYWHERE, length, protection, MAP_PRIVATE | MAP_ANONYMOUS,
                NO_FD, NO_OFFSET);
            return address == MAP_FAILED ? 0L : address;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * Reserves inaccessible address space anywhere ({@code mmap(NULL, length, PROT_NONE,
     * MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)}): no memory and no swap is committed until parts of it
     * are made accessible with {@link #protect}, and ranges made inaccessible again with {@link #protect}
     * merge with it into one kernel mapping (same flags).
     *
     * @param length bytes, a multiple of the page size.
     * @return the page-aligned address, or 0 when the kernel refused.
     */
    public static long reserve(final long length)
    {
        try
        {
            final long address = (long)MMAP.invokeExact(ANYWHERE, length, PROT_NONE,
                MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, NO_FD, NO_OFFSET);
            return address == MAP_FAILED ? 0L : address;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * Changes the protection of mapped pages.
     *
     * @param address    page-aligned.
     * @param length     bytes, a multiple of the page size.
     * @param protection e.g. {@link #PROT_NONE}.
     * @return {@code true} on success; {@code false} when the kernel refused (e.g. {@code ENOMEM}: the
     *         change would split a mapping beyond {@code vm.max_map_count}).
     */
    public static boolean protect(final long address, final long length, final int protection)
    {
        try
        {
            return (int)MPROTECT.invokeExact(address, length, protection) == SUCCESS;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    /**
     * Unmaps pages.
     *
     * @param address page-aligned.
     * @param length  bytes, a multiple of the page size.
     * @return {@code true} on success.
     */
    public static boolean unmap(final long address, final long length)
    {
        try
        {
            return (int)MUNMAP.invokeExact(address, length) == SUCCESS;
        }
        catch (final Throwable t)
        {
            throw unexpected(t);
        }
    }

    private static IllegalStateException unexpected(final Throwable t)
    {
        // invokeExact on a handle of exactly this type throws only if the runtime itself fails.
        return new IllegalStateException("downcall failed", t);
    }
}
