package dev.hostalloc.tests.debug;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.cookie.CookieAllocator;
import dev.hostalloc.cookie.CookieBlockDescriptor;
import dev.hostalloc.guard.GuardMode;
import dev.hostalloc.guard.GuardOptions;
import dev.hostalloc.guard.GuardPageAllocator;
import dev.hostalloc.stack.Allocators;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The body of the child JVMs GuardPageCrashTest starts: makes one guard-page misuse that must kill the
 * process. Before the fatal write it prints {@code RANGE <start> <end>} (hex), the bytes the fault
 * address must lie in, and flushes; a line {@code SURVIVED} after it means the guard did not work.
 */
public final class GuardFaultChild
{
    private static final long SIZE = 64;
    private static final long ALIGNMENT = 16;
    private static final byte PATTERN = 0x41;
    private static final MethodHandle MEMSET = Linker.nativeLinker().downcallHandle(
        Linker.nativeLinker().defaultLookup().find("memset").orElseThrow(),
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG));

    private GuardFaultChild()
    {
    }

    /**
     * Runs one scenario.
     *
     * @param args the scenario name.
     * @throws Throwable never expected: the process dies first.
     */
    public static void main(final String[] args) throws Throwable
    {
        switch (args[0])
        {
            case "overflow" ->
            {
                // memset one byte too long, from native code, over a 64-byte block
                final GuardPageAllocator guard = guard(GuardMode.OVERFLOW);
                final long block = guard.allocate(SIZE, ALIGNMENT, SystemAllocationScope.OBJECT);
                final long page = guard.guardPageAddress(block);
                range(page, page + guard.pageSize());
                memset(block, SIZE + 1);
            }
            case "underflow" ->
            {
                // memset starting one byte before the block, guard:below
                final GuardPageAllocator guard = guard(GuardMode.UNDERFLOW);
                final long block = guard.allocate(SIZE, ALIGNMENT, SystemAllocationScope.OBJECT);
                final long page = guard.guardPageAddress(block);
                range(page, page + guard.pageSize());
                memset(block - 1, SIZE + 1);
            }
            case "use-after-free" ->
            {
                // one byte written into a block freed into the quarantine
                final GuardPageAllocator guard = guard(GuardMode.OVERFLOW);
                final long block = guard.allocate(SIZE, ALIGNMENT, SystemAllocationScope.OBJECT);
                guard.free(block);
                range(block, block + SIZE);
                memset(block + 10, 1);
            }
            case "cookies-guard-overflow" ->
            {
                // the same through the spec string "cookies,guard": the caller's block ends at the guard page
                final AllocationCallbacks stack = Allocators.fromSpec("cookies,guard", ViolationHandler.recordAndCount());
                final long block = stack.allocate(SIZE, ALIGNMENT, SystemAllocationScope.OBJECT);
                final GuardPageAllocator guard = (GuardPageAllocator)((CookieAllocator)stack).delegate();
                final long page = guard.guardPageAddress(block - CookieBlockDescriptor.HEADER_LENGTH);
                if (page != block + SIZE)
                {
                    throw new IllegalStateException("not flush: block end " + (block + SIZE) + ", guard page " + page);
                }
                range(page, page + guard.pageSize());
                memset(block, SIZE + 1);
            }
            case "java-raw-overflow" ->
            {
                // Java code writing past the end without bounds (Unsafe, as LWJGL's memPutByte does) dies too
                final GuardPageAllocator guard = guard(GuardMode.OVERFLOW);
                final long block = guard.allocate(SIZE, ALIGNMENT, SystemAllocationScope.OBJECT);
                final long page = guard.guardPageAddress(block);
                range(page, page + guard.pageSize());
                org.lwjgl.system.MemoryUtil.memPutByte(block + SIZE, PATTERN);
            }
            case "java-view" ->
            {
                // Java code reading through a bounded view gets an exception instead, and lives
                final GuardPageAllocator guard = guard(GuardMode.OVERFLOW);
                final long block = guard.allocate(SIZE, ALIGNMENT, SystemAllocationScope.OBJECT);
                final MemorySegment view = guard.view(block);
                try
                {
                    System.out.println("READ " + view.get(ValueLayout.JAVA_BYTE, SIZE));
                }
                catch (final IndexOutOfBoundsException ex)
                {
                    System.out.println("CAUGHT " + ex.getClass().getSimpleName());
                }
                guard.free(block);
            }
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
        System.out.println("SURVIVED");
    }

    private static GuardPageAllocator guard(final GuardMode mode)
    {
        return new GuardPageAllocator(ViolationHandler.recordAndCount(), GuardOptions.DEFAULT.withMode(mode));
    }

    private static void range(final long start, final long end)
    {
        System.out.println("RANGE " + Long.toHexString(start) + " " + Long.toHexString(end));
        System.out.flush();
    }

    private static void memset(final long address, final long length) throws Throwable
    {
        final long ignored = (long)MEMSET.invokeExact(address, (int)PATTERN, length);
    }
}
