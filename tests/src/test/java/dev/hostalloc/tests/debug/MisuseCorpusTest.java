package dev.hostalloc.tests.debug;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocationViolationException;
import dev.hostalloc.api.DirectAllocation;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.ReportedViolation;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.cookie.CookieBlockDescriptor;
import dev.hostalloc.stack.Allocators;
import dev.hostalloc.system.SystemAllocator;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.system.MemoryUtil.memCopy;
import static org.lwjgl.system.MemoryUtil.memFree;
import static org.lwjgl.system.MemoryUtil.memGetByte;
import static org.lwjgl.system.MemoryUtil.memGetLong;
import static org.lwjgl.system.MemoryUtil.memAddress;
import static org.lwjgl.system.MemoryUtil.memAlloc;
import static org.lwjgl.system.MemoryUtil.memPutByte;
import static org.lwjgl.system.MemoryUtil.memPutLong;
import static org.lwjgl.system.libc.LibCStdlib.nfree;
import static org.lwjgl.system.libc.LibCStdlib.nmalloc;

/**
 * The misuse corpus: every case is one misuse of the callbacks, run against each debug stack, and must
 * produce exactly one violation of its expected kind (at the expected address), return 0 or do nothing,
 * leave every other block intact, and leave the process healthy (the stack and libc keep working and the
 * case's blocks free cleanly). Each case runs twice per stack: with {@code RECORD_AND_COUNT} and with
 * {@code THROW} (the exception comes after the call was made harmless).
 *
 * <p>Writes land only where each stack has a check (cookie header and canary, guard fill and slack):
 * writes into a guard page kill the JVM, which {@code GuardPageCrashTest} proves in child JVMs.
 */
@DirectAllocation(reason = "test: libc and LWJGL pointers are the foreign pointers the debug allocators must refuse")
class MisuseCorpusTest
{
    /** The stacks, each with whether a cookie layer is outermost (it decides the underflow kinds). */
    enum Stack
    {
        COOKIES_SYSTEM("cookies,system", true),
        COOKIES_STRICT_SYSTEM("cookies:strict,system", true),
        COOKIES_ALL_OPTIONS_SYSTEM("cookies:poison:sites:canary=16,system", true),
        GUARD("guard", false),
        GUARD_NO_QUARANTINE("guard:quarantine=0", false),
        COOKIES_GUARD("cookies,guard", true),
        COOKIES_GUARD_BELOW("cookies,guard:below", true);

        final String spec;
        final boolean cookies;

        Stack(final String spec, final boolean cookies)
        {
            this.spec = spec;
            this.cookies = cookies;
        }
    }

    /** One misuse: runs setup and the misuse, returns the address the report must name (0: not checked). */
    @FunctionalInterface
    interface Misuse
    {
        long run(Ctx c);
    }

    /**
     * A case: the kind expected when a cookie layer is outermost, and when a guard allocator stands alone
     * (they differ only for underflows: a damaged cookie header versus damaged guard fill).
     */
    record Case(String name, Violation withCookies, Violation guardAlone, Misuse misuse)
    {
        Violation expected(final Stack stack)
        {
            return stack.cookies ? withCookies : guardAlone;
        }
    }

    static final List<Case> CORPUS = List.of(
        same("double free", Violation.DOUBLE_FREE, c ->
        {
            final long b = c.allocate(40, 8);
            c.free(b);
            c.stack.free(b);
            return b;
        }),
        same("free of the old pointer after reallocate moved the block", Violation.DOUBLE_FREE, c ->
        {
            final long b = c.allocate(16, 8);
            final long moved = c.stack.reallocate(b, 1 << 20, 8, OBJECT);
            c.replace(b, moved);
            assertNotEquals(b, moved, "a 16-byte block grown to 1 MiB moves");
            c.stack.free(b);
            return b;
        }),
        same("free after reallocate to size 0 freed it", Violation.DOUBLE_FREE, c ->
        {
            final long b = c.allocate(40, 8);
            assertEquals(0, c.stack.reallocate(b, 0, 8, OBJECT));
            c.forget(b);
            c.stack.free(b);
            return b;
        }),
        same("reallocate of a freed pointer", Violation.REALLOC_FREED_PTR, c ->
        {
            final long b = c.allocate(40, 8);
            c.free(b);
            assertEquals(0, c.stack.reallocate(b, 80, 8, OBJECT));
            return b;
        }),
        same("reallocate to size 0 of a freed pointer", Violation.REALLOC_FREED_PTR, c ->
        {
            final long b = c.allocate(40, 8);
            c.free(b);
            assertEquals(0, c.stack.reallocate(b, 0, 8, OBJECT));
            return b;
        }),
        same("free of a libc malloc pointer", Violation.FOREIGN_FREE, c ->
        {
            final long p = c.libc(64);
            c.stack.free(p);
            return p;
        }),
        same("reallocate of a libc malloc pointer", Violation.FOREIGN_FREE, c ->
        {
            final long p = c.libc(64);
            assertEquals(0, c.stack.reallocate(p, 128, 8, OBJECT));
            return p;
        }),
        same("free of an LWJGL memAlloc pointer", Violation.FOREIGN_FREE, c ->
        {
            final long p = c.lwjgl(64);
            c.stack.free(p);
            return p;
        }),
        same("free of a block of another instance of the same stack", Violation.FOREIGN_FREE, c ->
        {
            final long p = c.otherInstanceBlock(48);
            c.stack.free(p);
            return p;
        }),
        same("free of a block of the plain system allocator", Violation.FOREIGN_FREE, c ->
        {
            final long p = c.systemBlock(48);
            c.stack.free(p);
            return p;
        }),
        same("free of an interior pointer (+8)", Violation.FOREIGN_FREE, c ->
        {
            final long b = c.allocate(64, 8);
            c.stack.free(b + 8);
            return b + 8;
        }),
        same("free of an odd interior pointer (+1)", Violation.FOREIGN_FREE, c ->
        {
            final long b = c.allocate(64, 8);
            c.stack.free(b + 1);
            return b + 1;
        }),
        same("reallocate of an interior pointer (+16)", Violation.FOREIGN_FREE, c ->
        {
            final long b = c.allocate(64, 16);
            assertEquals(0, c.stack.reallocate(b + 16, 128, 16, OBJECT));
            return b + 16;
        }),
        same("free of a forgery: a live block's header and data copied into a libc buffer", Violation.FOREIGN_FREE, c ->
        {
            final long b = c.allocate(64, 16);
            final long buffer = c.libc(256);
            final long fake = buffer + 128;
            memCopy(b - 32, fake - 32, 32 + 64); // the cookie header (or guard fill) and the data
            c.stack.free(fake);
            return fake;
        }),
        same("free of a small integer taken for a pointer (0x1000)", Violation.FOREIGN_FREE, c ->
        {
            c.stack.free(0x1000);
            return 0x1000;
        }),
        same("reallocate of a kernel-half address (-4096)", Violation.FOREIGN_FREE, c ->
        {
            assertEquals(0, c.stack.reallocate(-4096, 64, 8, OBJECT));
            return -4096;
        }),
        same("reallocate with another alignment", Violation.REALLOC_DIFFERENT_ALIGNMENT, c ->
        {
            final long b = c.allocate(64, 16);
            assertEquals(0, c.stack.reallocate(b, 128, 64, OBJECT));
            return b;
        }),
        new Case("one byte written before the block", Violation.HEADER_CORRUPTED, Violation.BUFFER_UNDERFLOW, c ->
        {
            final long b = c.allocate(64, 8);
            c.poke(b - 1, (byte)0x55);
            c.forget(b); // the debug layer keeps it (cookies leak it, guard unmaps it)
            c.stack.free(b);
            return b;
        }),
        new Case("eight bytes written before the block", Violation.HEADER_CORRUPTED, Violation.BUFFER_UNDERFLOW, c ->
        {
            final long b = c.allocate(64, 8);
            for (int i = 1; i <= 8; i++)
            {
                c.poke(b - i, (byte)0);
            }
            c.forget(b);
            c.stack.free(b);
            return b;
        }),
        new Case("a wild write 32 bytes before the block (the cookie's tag)", Violation.HEADER_CORRUPTED,
            Violation.BUFFER_UNDERFLOW, c ->
        {
            final long b = c.allocate(64, 8);
            for (int i = 25; i <= 32; i++)
            {
                c.poke(b - i, (byte)0x33);
            }
            c.forget(b);
            c.stack.free(b);
            return b;
        }),
        same("one byte written after the end (size 13, alignment 8)", Violation.BUFFER_OVERFLOW, c ->
        {
            final long b = c.allocate(13, 8);
            c.poke(b + 13, (byte)0x41);
            c.forget(b);
            c.stack.free(b);
            return b;
        }),
        same("the canary slack: the last slack byte of size 13, alignment 16", Violation.BUFFER_OVERFLOW, c ->
        {
            final long b = c.allocate(13, 16);
            c.poke(b + 15, (byte)0x00);
            c.forget(b);
            c.stack.free(b);
            return b;
        }),
        same("an overflow caught by reallocate, which refuses the block", Violation.BUFFER_OVERFLOW, c ->
        {
            final long b = c.allocate(13, 8);
            c.poke(b + 14, (byte)0x00);
            assertEquals(0, c.stack.reallocate(b, 100, 8, OBJECT));
            return b;
        }),
        new Case("an underflow caught by reallocate, which refuses the block", Violation.HEADER_CORRUPTED,
            Violation.BUFFER_UNDERFLOW, c ->
        {
            final long b = c.allocate(64, 8);
            c.poke(b - 2, (byte)0x00);
            assertEquals(0, c.stack.reallocate(b, 100, 8, OBJECT));
            return b;
        }),
        same("alignment 0", Violation.INVALID_ALIGNMENT, c ->
        {
            assertEquals(0, c.stack.allocate(64, 0, OBJECT));
            return 0;
        }),
        same("alignment 3 (not a power of two)", Violation.INVALID_ALIGNMENT, c ->
        {
            assertEquals(0, c.stack.allocate(64, 3, OBJECT));
            return 0;
        }),
        same("alignment 2^40 (above every maximum)", Violation.INVALID_ALIGNMENT, c ->
        {
            assertEquals(0, c.stack.allocate(64, 1L << 40, OBJECT));
            return 0;
        }),
        same("reallocate with alignment 48", Violation.INVALID_ALIGNMENT, c ->
        {
            final long b = c.allocate(64, 16);
            assertEquals(0, c.stack.reallocate(b, 128, 48, OBJECT));
            return b;
        }),
        same("size 2^63 - 8", Violation.INVALID_SIZE, c ->
        {
            assertEquals(0, c.stack.allocate(Long.MAX_VALUE - 7, 8, OBJECT));
            return 0;
        }),
        same("size -1 (2^64 - 1 as size_t)", Violation.INVALID_SIZE, c ->
        {
            assertEquals(0, c.stack.allocate(-1, 8, OBJECT));
            return 0;
        }),
        same("reallocate to size 2^63 - 1", Violation.INVALID_SIZE, c ->
        {
            final long b = c.allocate(64, 8);
            assertEquals(0, c.stack.reallocate(b, Long.MAX_VALUE, 8, OBJECT));
            return b;
        }),
        same("a null scope", Violation.INVALID_ALLOCATION_SCOPE, c ->
        {
            assertEquals(0, c.stack.allocate(64, 8, null));
            return 0;
        }));

    private static Case same(final String name, final Violation kind, final Misuse misuse)
    {
        return new Case(name, kind, kind, misuse);
    }

    @Test
    void theCorpusIsLargeAndCoversEveryDebugKind()
    {
        assertTrue(CORPUS.size() >= 20, "cases: " + CORPUS.size());
        for (final Violation kind : List.of(Violation.DOUBLE_FREE, Violation.REALLOC_FREED_PTR, Violation.FOREIGN_FREE,
            Violation.HEADER_CORRUPTED, Violation.BUFFER_OVERFLOW, Violation.BUFFER_UNDERFLOW,
            Violation.REALLOC_DIFFERENT_ALIGNMENT, Violation.INVALID_ALIGNMENT, Violation.INVALID_SIZE,
            Violation.INVALID_ALLOCATION_SCOPE))
        {
            assertTrue(CORPUS.stream().anyMatch(c -> c.withCookies == kind || c.guardAlone == kind), kind.name());
        }
    }

    @TestFactory
    List<DynamicContainer> everyCaseOnEveryStack()
    {
        final List<DynamicContainer> stacks = new ArrayList<>();
        for (final Stack stack : Stack.values())
        {
            final List<DynamicTest> tests = new ArrayList<>();
            for (final Case misuse : CORPUS)
            {
                tests.add(DynamicTest.dynamicTest(misuse.name + " -> " + misuse.expected(stack),
                    () ->
                    {
                        recorded(stack, misuse);
                        thrown(stack, misuse);
                    }));
            }
            stacks.add(DynamicContainer.dynamicContainer(stack.spec, tests));
        }
        return stacks;
    }

    private static void recorded(final Stack stack, final Case misuse)
    {
        final RecordingViolationHandler handler = new RecordingViolationHandler(8);
        final Ctx c = new Ctx(stack, handler);
        final long address;
        try
        {
            address = misuse.misuse.run(c);
        }
        finally
        {
            c.restore();
        }
        final String where = stack.spec + " / " + misuse.name + ": " + handler.report();
        assertEquals(1, handler.totalCount(), where);
        final ReportedViolation reported = handler.violations().get(0);
        assertEquals(misuse.expected(stack), reported.violation(), where);
        if (address != 0)
        {
            // Over guard, an overflow into the slack is found by the guard layer, which names its own block:
            // the caller's block less the cookie header in front of it.
            final boolean guardFound = stack == Stack.COOKIES_GUARD && reported.violation() == Violation.BUFFER_OVERFLOW;
            assertEquals(guardFound ? address - CookieBlockDescriptor.HEADER_LENGTH : address, reported.address(), where);
        }
        c.cleanUpAndCheckHealth();
        assertEquals(1, handler.totalCount(), "the clean-up and health check reported: " + where);
    }

    private static void thrown(final Stack stack, final Case misuse)
    {
        final Ctx c = new Ctx(stack, ViolationHandler.throwing());
        try
        {
            final AllocationViolationException e =
                assertThrows(AllocationViolationException.class, () -> misuse.misuse.run(c), stack.spec);
            assertEquals(misuse.expected(stack), e.violation(), stack.spec + " / " + misuse.name + ": " + e.getMessage());
        }
        finally
        {
            c.restore();
        }
        c.cleanUpAndCheckHealth();
    }

    /** What a case works with; remembers every block and byte it touched so it can clean up. */
    @DirectAllocation(reason = "test: makes the foreign pointers and frees them")
    static final class Ctx
    {
        final Stack kind;
        final AllocationCallbacks stack;
        private final ViolationHandler handler;
        private final List<Long> live = new ArrayList<>();
        private final List<Long> libc = new ArrayList<>();
        private final List<java.nio.ByteBuffer> lwjgl = new ArrayList<>();
        private final List<long[]> pokes = new ArrayList<>();
        private AllocationCallbacks other;
        private final List<Long> otherBlocks = new ArrayList<>();
        private SystemAllocator system;
        private final List<Long> systemBlocks = new ArrayList<>();

        Ctx(final Stack kind, final ViolationHandler handler)
        {
            this.kind = kind;
            this.handler = handler;
            this.stack = Allocators.fromSpec(kind.spec, handler);
        }

        long allocate(final long size, final long alignment)
        {
            final long block = stack.allocate(size, alignment, OBJECT);
            assertNotEquals(0, block);
            live.add(block);
            return block;
        }

        void free(final long block)
        {
            stack.free(block);
            forget(block);
        }

        void forget(final long block)
        {
            live.remove(block);
        }

        void replace(final long block, final long moved)
        {
            forget(block);
            live.add(moved);
        }

        long libc(final long size)
        {
            final long p = nmalloc(size);
            libc.add(p);
            return p;
        }

        long lwjgl(final int size)
        {
            final java.nio.ByteBuffer buffer = memAlloc(size);
            lwjgl.add(buffer);
            return memAddress(buffer);
        }

        long otherInstanceBlock(final long size)
        {
            other = Allocators.fromSpec(kind.spec, ViolationHandler.throwing());
            final long p = other.allocate(size, 8, OBJECT);
            otherBlocks.add(p);
            return p;
        }

        long systemBlock(final long size)
        {
            system = new SystemAllocator(ViolationHandler.throwing());
            final long p = system.allocate(size, 8, OBJECT);
            systemBlocks.add(p);
            return p;
        }

        /**
         * Writes a byte, remembering the old one for {@link #restore()}; if the byte already holds
         * {@code value}, writes its complement instead, so the write always changes memory.
         */
        void poke(final long address, final byte value)
        {
            final byte old = memGetByte(address);
            pokes.add(new long[] { address, old });
            memPutByte(address, old == value ? (byte)~value : value);
        }

        /** Undoes every poke into blocks that are still live (they stay live: the misuse was refused). */
        void restore()
        {
            for (int i = pokes.size() - 1; i >= 0; i--)
            {
                final long[] poke = pokes.get(i);
                if (owner(poke[0]))
                {
                    memPutByte(poke[0], (byte)poke[1]);
                }
            }
        }

        private boolean owner(final long address)
        {
            for (final long block : live)
            {
                if (Math.abs(address - block) < 4096)
                {
                    return true;
                }
            }
            return false;
        }

        /** Frees what is left cleanly, then checks that the stack and libc still work. */
        void cleanUpAndCheckHealth()
        {
            for (final long block : live)
            {
                stack.free(block);
            }
            live.clear();
            libc.forEach(p -> nfree(p));
            lwjgl.forEach(b -> memFree(b));
            otherBlocks.forEach(p -> other.free(p));
            systemBlocks.forEach(p -> system.free(p));

            final SplittableRandom random = new SplittableRandom(kind.ordinal());
            final long[] blocks = new long[32];
            for (int i = 0; i < blocks.length; i++)
            {
                final long size = 8 + random.nextInt(2000);
                blocks[i] = stack.allocate(size, 8L << random.nextInt(4), SystemAllocationScope.COMMAND);
                assertNotEquals(0, blocks[i]);
                memPutLong(blocks[i], blocks[i]);
                final long p = nmalloc(size);
                memPutLong(p, p);
                assertEquals(p, memGetLong(p));
                nfree(p);
            }
            for (final long block : blocks)
            {
                assertEquals(block, memGetLong(block));
                stack.free(block);
            }
        }
    }
}
