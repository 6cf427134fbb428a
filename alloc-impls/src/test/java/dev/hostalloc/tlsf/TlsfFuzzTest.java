package dev.hostalloc.tlsf;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.system.SystemAllocator;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lwjgl.system.MemoryUtil.memGetByte;
import static org.lwjgl.system.MemoryUtil.memPutByte;
import static org.lwjgl.system.MemoryUtil.memSet;

/**
 * Random operation sequences against {@link TlsfAllocator} and a reference model, with
 * {@link TlsfAllocator#check()} after every operation.
 *
 * <p>The model knows each live block's address, size, alignment and byte pattern, and checks:
 * results aligned, live blocks never overlapping, contents kept (up to {@code min(old, new)} on
 * reallocate, the whole block across other operations), a failed reallocate leaving the original
 * untouched, misuse reported and harmless, and the good-fit bound: an allocation fails only when no
 * free block at all is in a size class at or above the request's search class.
 *
 * <p>{@code ./mvnw verify} replays the inputs under
 * {@code src/test/resources/dev/hostalloc/tlsf/TlsfFuzzTestInputs/operationSequences/} (regression
 * mode). To fuzz for new ones: {@code JAZZER_FUZZ=1 ./mvnw -pl alloc-impls -am verify
 * -Dtest=TlsfFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}, two minutes by default (add crashing inputs it finds to that directory).
 */
class TlsfFuzzTest
{
    private static final long ARENA = 256 * 1024;
    private static final int SLOTS = 48;
    private static final int MAX_OPERATIONS = 400;
    private static final int MAX_SIZE = 20_000;
    private static final int MAX_ALIGNMENT_SHIFT = 16;
    private static final SystemAllocationScope[] SCOPES = SystemAllocationScope.values();
    private static final SystemAllocator SYSTEM = new SystemAllocator();

    @FuzzTest(maxDuration = "2m")
    void operationSequences(final FuzzedDataProvider data)
    {
        final ThreadingMode mode = data.consumeBoolean() ? ThreadingMode.SHARED : ThreadingMode.OWNED;
        final RecordingViolationHandler handler = new RecordingViolationHandler(4);
        try (TlsfAllocator pool = new TlsfAllocator(SYSTEM, ARENA, mode, handler))
        {
            new Model(pool, handler).run(data);
        }
    }

    private static final class Model
    {
        private final TlsfAllocator pool;
        private final RecordingViolationHandler handler;
        private final long[] address = new long[SLOTS];
        private final long[] size = new long[SLOTS];
        private final long[] alignment = new long[SLOTS];
        private final byte[] pattern = new byte[SLOTS];
        private final TreeMap<Long, Long> live = new TreeMap<>();
        private long expectedViolations;
        private byte nextPattern = 1;

        Model(final TlsfAllocator pool, final RecordingViolationHandler handler)
        {
            this.pool = pool;
            this.handler = handler;
        }

        void run(final FuzzedDataProvider data)
        {
            for (int op = 0; op < MAX_OPERATIONS && data.remainingBytes() > 0; op++)
            {
                final int slot = data.consumeInt(0, SLOTS - 1);
                switch (data.consumeInt(0, 7))
                {
                    case 0, 1 -> allocate(slot, data.consumeLong(0, MAX_SIZE), data.consumeInt(0, MAX_ALIGNMENT_SHIFT),
                        SCOPES[data.consumeInt(0, SCOPES.length - 1)], data.consumeBoolean());
                    case 2 -> free(slot);
                    case 3, 4 -> reallocate(slot, data.consumeLong(1, MAX_SIZE));
                    case 5 -> reallocateToZero(slot);
                    case 6 -> allocate(slot, data.consumeLong(0, ARENA), data.consumeInt(0, 20),
                        SystemAllocationScope.OBJECT, false);
                    default -> misuse(slot, data.consumeInt(0, 3));
                }
                pool.check();
                assertEquals(expectedViolations, handler.totalCount(), handler::report);
            }
            for (int slot = 0; slot < SLOTS; slot++)
            {
                free(slot);
            }
            pool.check();
            assertEquals(0, pool.usedBlocks());
        }

        private void allocate(
            final int slot, final long bytes, final int shift, final SystemAllocationScope scope, final boolean viaRealloc)
        {
            free(slot);
            final long align = 1L << shift;
            final long p = viaRealloc ? pool.reallocate(0, bytes, align, scope) : pool.allocate(bytes, align, scope);
            if (viaRealloc && bytes == 0)
            {
                assertEquals(0, p, "reallocate(0, 0) returns 0");
                return;
            }
            if (p == 0)
            {
                assertGoodFit(bytes, align);
                return;
            }
            assertTrue(Alignment.isAligned(p, align), "misaligned");
            assertTrue(TlsfAllocator.usableSize(p) >= bytes);
            addLive(p, bytes);
            address[slot] = p;
            size[slot] = bytes;
            alignment[slot] = align;
            pattern[slot] = nextPattern++;
            fill(p, bytes, pattern[slot]);
        }

        private void free(final int slot)
        {
            if (address[slot] != 0)
            {
                verify(slot, size[slot]);
                live.remove(address[slot]);
                pool.free(address[slot]);
                address[slot] = 0;
            }
        }

        private void reallocate(final int slot, final long bytes)
        {
            if (address[slot] == 0)
            {
                return;
            }
            final long p = pool.reallocate(address[slot], bytes, alignment[slot], SystemAllocationScope.OBJECT);
            if (p == 0)
            {
                verify(slot, size[slot]);         // the original is untouched
                assertGoodFit(bytes, alignment[slot]);
                return;
            }
            assertTrue(Alignment.isAligned(p, alignment[slot]), "reallocate lost the alignment");
            verify(p, Math.min(size[slot], bytes), pattern[slot]);
            live.remove(address[slot]);
            addLive(p, bytes);
            address[slot] = p;
            size[slot] = bytes;
            pattern[slot] = nextPattern++;
            fill(p, bytes, pattern[slot]);
        }

        private void reallocateToZero(final int slot)
        {
            if (address[slot] == 0)
            {
                return;
            }
            live.remove(address[slot]);
            assertEquals(0, pool.reallocate(address[slot], 0, alignment[slot], SystemAllocationScope.OBJECT));
            address[slot] = 0;
        }

        private void misuse(final int slot, final int kind)
        {
            final long p = address[slot];
            switch (kind)
            {
                case 0 ->
                {
                    if (p != 0)
                    {
                        free(slot);
                        pool.free(p);                    // double free
                        expect(Violation.DOUBLE_FREE);
                    }
                }
                case 1 ->
                {
                    if (p != 0)
                    {
                        final long other = alignment[slot] == 1 ? 2 : alignment[slot] >>> 1;
                        assertEquals(0, pool.reallocate(p, size[slot] + 1, other, SystemAllocationScope.OBJECT));
                        expect(Violation.REALLOC_DIFFERENT_ALIGNMENT);
                        verify(slot, size[slot]);
                    }
                }
                case 2 ->
                {
                    if (p != 0 && size[slot] >= 48)
                    {
                        memSet(p, 0, 32);               // no stray bytes that could pass for a header
                        pool.free(p + 32);              // inside a block: not a header
                        expect(Violation.FREE_NOT_ALLOCATED_PTR);
                        fill(p, size[slot], pattern[slot]);
                    }
                }
                default ->
                {
                    assertEquals(0, pool.allocate(16, 3 + slot * 2L, SystemAllocationScope.OBJECT));
                    expect(Violation.INVALID_ALIGNMENT);
                }
            }
        }

        private void expect(final Violation violation)
        {
            expectedViolations++;
            assertTrue(handler.count(violation) > 0, () -> "expected " + violation + ": " + handler.report());
        }

        /** A failed request must not have had a free block in any class at or above its search class. */
        private void assertGoodFit(final long bytes, final long align)
        {
            if (bytes > pool.traits().capacityBytes())
            {
                return;
            }
            final long need = TlsfHeap.blockSizeFor(bytes) + (align > TlsfBlockDescriptor.GRANULE ? align + 16 : 0);
            final int index = TlsfMapping.searchIndex(need);
            if (index == TlsfMapping.NO_INDEX)
            {
                return;
            }
            final long largest = pool.statistics().largestFreeBlockBytes();
            assertTrue(largest < TlsfMapping.classLowerBound(index), () -> "allocate(" + bytes + ", " + align +
                ") failed although a free block of " + largest + " bytes is in a class that serves " + need);
        }

        private void addLive(final long p, final long bytes)
        {
            final long end = p + Math.max(bytes, 1);
            final Map.Entry<Long, Long> below = live.floorEntry(p);
            assertTrue(null == below || below.getKey() + Math.max(below.getValue(), 1) <= p, "overlaps the block below");
            final Map.Entry<Long, Long> above = live.ceilingEntry(p);
            assertTrue(null == above || above.getKey() >= end, "overlaps the block above");
            live.put(p, bytes);
        }

        private void verify(final int slot, final long bytes)
        {
            verify(address[slot], bytes, pattern[slot]);
        }

        private static void verify(final long p, final long bytes, final byte seed)
        {
            for (long i = 0; i < bytes; i++)
            {
                if (memGetByte(p + i) != (byte)(seed + i * 31))
                {
                    throw new AssertionError("byte " + i + " of block 0x" + Long.toHexString(p) + " changed");
                }
            }
        }

        private static void fill(final long p, final long bytes, final byte seed)
        {
            for (long i = 0; i < bytes; i++)
            {
                memPutByte(p + i, (byte)(seed + i * 31));
            }
        }
    }
}
