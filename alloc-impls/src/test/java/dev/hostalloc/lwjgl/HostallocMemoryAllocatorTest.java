package dev.hostalloc.lwjgl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocationViolationException;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.system.SystemAllocator;
import dev.hostalloc.testkit.AllocationRecord;
import dev.hostalloc.testkit.DeterministicFailAllocator;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lwjgl.system.MemoryUtil;

import java.util.List;

/** The Java methods' C semantics, mapped onto the stack's Vulkan semantics. */
class HostallocMemoryAllocatorTest
{
    private RecordingViolationHandler violations;
    private DeterministicFailAllocator failing;
    private RecordingAllocator recording;
    private HostallocMemoryAllocator allocator;

    @BeforeEach
    void setUp()
    {
        violations = ViolationHandler.recordAndCount();
        failing = new DeterministicFailAllocator(new SystemAllocator(violations), DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
        recording = new RecordingAllocator(failing);
        allocator = new HostallocMemoryAllocator(recording, HostallocMemoryAllocator.DEFAULT_SCOPE, violations);
    }

    @AfterEach
    void noLeaksNoUnexpectedThrowables()
    {
        assertEquals(0, allocator.throwableCount(), () -> "throwables: " + allocator.firstThrowable());
        final ValidationReport report = recording.validate().check(0);
        assertTrue(report.passed(), report::text);
    }

    @Test
    void mallocAsksForMaxAlignTUnderTheDefaultScope()
    {
        final long p = allocator.malloc(100);
        assertNotEquals(0, p);
        assertEquals(0, p % HostallocMemoryAllocator.DEFAULT_ALIGNMENT);
        final AllocationRecord record = only(AllocationRecord.Kind.ALLOCATION);
        assertEquals(100, record.size());
        assertEquals(16, record.alignment());
        assertEquals(SystemAllocationScope.OBJECT, record.scopeOrNull());
        allocator.free(p);
    }

    @Test
    void mallocOfZeroGivesWhatTheStackGivesAndItCanBeFreed()
    {
        final long p = allocator.malloc(0);
        final long q = allocator.malloc(0);
        assertNotEquals(0, p, "hostalloc's system allocator gives a unique block for 0 bytes");
        assertNotEquals(p, q, "unique");
        allocator.free(p);
        allocator.free(q);
    }

    @Test
    void mallocOfASizeAboveTwoToThe63IsRefusedAndReportedByTheStack()
    {
        assertEquals(0, allocator.malloc(-1L));
        assertEquals(1, violations.count(Violation.INVALID_SIZE));
        // size_t passed through unchanged: the validator sees the same misuse; then start clean.
        assertEquals(Violation.INVALID_SIZE, recording.validate().violations().get(0).violation());
        recording.clear();
    }

    @Test
    void callocZeroesWhatTheStackHandsOutDirty()
    {
        final AllocationCallbacks dirty = new DirtyAllocator(new SystemAllocator());
        final HostallocMemoryAllocator onDirty = new HostallocMemoryAllocator(dirty);
        final long p = onDirty.calloc(7, 33);
        assertNotEquals(0, p);
        for (int i = 0; i < 7 * 33; i++)
        {
            assertEquals(0, MemoryUtil.memGetByte(p + i), "byte " + i);
        }
        assertEquals((byte)DirtyAllocator.FILL, MemoryUtil.memGetByte(p + 7 * 33), "only the asked bytes are zeroed");
        onDirty.free(p);
    }

    @Test
    void callocOverflowIsRefusedAndReportedWithoutReachingTheStack()
    {
        assertEquals(0, allocator.calloc(1L << 32, 1L << 32));
        assertEquals(0, allocator.calloc(-1L, 2));
        assertEquals(2, violations.count(Violation.INVALID_SIZE));
        assertEquals(0, recording.recordCount(), "nothing reached the stack");
        assertTrue(violations.violations().get(0).detail().contains("overflows size_t"), violations.report());
    }

    @Test
    void callocOfZeroElementsIsAnAllocationOfZeroBytes()
    {
        final long p = allocator.calloc(0, 1000);
        assertNotEquals(0, p);
        assertEquals(0, only(AllocationRecord.Kind.ALLOCATION).size());
        allocator.free(p);
    }

    @Test
    void reallocOfNullIsMalloc()
    {
        final long p = allocator.realloc(0, 64);
        assertNotEquals(0, p);
        final AllocationRecord record = only(AllocationRecord.Kind.ALLOCATION);
        assertEquals(64, record.size());
        assertEquals(16, record.alignment());
        allocator.free(p);
    }

    @Test
    void reallocOfNullToZeroIsMallocOfZero()
    {
        final long p = allocator.realloc(0, 0);
        assertNotEquals(0, p, "malloc(0) of the system allocator: a unique block");
        assertEquals(0, only(AllocationRecord.Kind.ALLOCATION).size());
        allocator.free(p);
    }

    @Test
    void reallocToZeroFreesAndReturnsNull()
    {
        final long p = allocator.malloc(64);
        assertEquals(0, allocator.realloc(p, 0));
        assertEquals(p, only(AllocationRecord.Kind.FREE).original());
    }

    @Test
    void reallocKeepsTheContentsAndTheAlignment()
    {
        final long p = allocator.malloc(8);
        MemoryUtil.memPutLong(p, 0x0123_4567_89ab_cdefL);
        final long q = allocator.realloc(p, 1 << 20);
        assertNotEquals(0, q);
        assertEquals(0x0123_4567_89ab_cdefL, MemoryUtil.memGetLong(q));
        final AllocationRecord record = only(AllocationRecord.Kind.REALLOCATION);
        assertEquals(16, record.alignment());
        assertEquals(SystemAllocationScope.OBJECT, record.scopeOrNull());
        allocator.free(q);
    }

    @Test
    void failedReallocReturnsNullAndLeavesTheBlockValid()
    {
        final long p = allocator.malloc(16);
        MemoryUtil.memPutLong(p, 42);
        failing.reset(DeterministicFailAllocator.Mode.COUNT_AND_FAIL, 0);
        assertEquals(0, allocator.realloc(p, 4096));
        failing.reset(DeterministicFailAllocator.Mode.DO_NOT_COUNT, 0);
        assertEquals(42, MemoryUtil.memGetLong(p));
        allocator.free(p);
    }

    @Test
    void freeOfNullReachesNothing()
    {
        allocator.free(0);
        allocator.aligned_free(0);
        assertEquals(0, recording.recordCount());
    }

    @Test
    void alignedAllocHonoursEveryPowerOfTwoAndAnySize()
    {
        for (final long alignment : new long[] { 1, 2, 4, 8, 64, 4096, 1 << 16 })
        {
            final long p = allocator.aligned_alloc(alignment, 100);
            assertNotEquals(0, p, "alignment " + alignment);
            assertEquals(0, p % alignment, "alignment " + alignment);
            allocator.aligned_free(p);
        }
        final List<AllocationRecord> records = recording.records();
        assertEquals(4096, records.get(10).alignment(), records.toString());
    }

    @Test
    void alignedAllocOfANonPowerOfTwoIsRefusedAndReported()
    {
        assertEquals(0, allocator.aligned_alloc(0, 64));
        assertEquals(0, allocator.aligned_alloc(48, 96));
        assertEquals(2, violations.count(Violation.INVALID_ALIGNMENT));
        assertEquals(0, recording.recordCount());
    }

    @Test
    void aThrowingStackMakesTheCallReturnNullAndIsCounted()
    {
        final IllegalStateException boom = new IllegalStateException("boom");
        final HostallocMemoryAllocator onThrowing = new HostallocMemoryAllocator(new ThrowingAllocator(boom));
        assertEquals(0, onThrowing.malloc(8));
        assertEquals(0, onThrowing.calloc(1, 8));
        assertEquals(0, onThrowing.realloc(0, 8));
        assertEquals(0, onThrowing.realloc(1234, 8));
        assertEquals(0, onThrowing.aligned_alloc(64, 64));
        onThrowing.free(1234);
        onThrowing.aligned_free(1234);
        assertEquals(7, onThrowing.throwableCount());
        assertSame(boom, onThrowing.firstThrowable());
    }

    @Test
    void aViolationThrownByTheStackIsReportedAsAViolation()
    {
        final RecordingViolationHandler mine = ViolationHandler.recordAndCount();
        final HostallocMemoryAllocator onThrowingHandler = new HostallocMemoryAllocator(
            new SystemAllocator(ViolationHandler.throwing()), SystemAllocationScope.OBJECT, mine);
        assertEquals(0, onThrowingHandler.malloc(-1L));
        assertEquals(1, mine.count(Violation.INVALID_SIZE));
        assertEquals(0, onThrowingHandler.throwableCount());
    }

    @Test
    void aThrowingHandlerOfItsOwnNeverEscapes()
    {
        final HostallocMemoryAllocator strict = new HostallocMemoryAllocator(
            new SystemAllocator(), SystemAllocationScope.COMMAND, ViolationHandler.throwing());
        assertEquals(0, strict.calloc(-1L, -1L));
        assertEquals(1, strict.throwableCount());
        assertTrue(strict.firstThrowable() instanceof AllocationViolationException);
    }

    @Test
    void theGivenScopeIsUsed()
    {
        final RecordingAllocator rec = new RecordingAllocator(new SystemAllocator());
        final HostallocMemoryAllocator command =
            new HostallocMemoryAllocator(rec, SystemAllocationScope.COMMAND, ViolationHandler.recordAndCount());
        command.free(command.calloc(2, 2));
        assertEquals(SystemAllocationScope.COMMAND, rec.records().get(0).scopeOrNull());
        assertEquals(SystemAllocationScope.COMMAND, command.scope());
        assertSame(rec, command.callbacks());
        assertTrue(command.spec().isEmpty());
    }

    @Test
    void nullArgumentsAreRefused()
    {
        assertThrows(NullPointerException.class, () -> new HostallocMemoryAllocator(null));
        assertThrows(NullPointerException.class, () ->
            new HostallocMemoryAllocator(new SystemAllocator(), null, ViolationHandler.recordAndCount()));
        assertThrows(NullPointerException.class, () ->
            new HostallocMemoryAllocator(new SystemAllocator(), SystemAllocationScope.OBJECT, null));
        assertThrows(NullPointerException.class, () -> HostallocMemoryAllocator.install((AllocationCallbacks)null));
    }

    @Test
    void theReportCoversGivenAccountingCallbacks() throws Exception
    {
        final AccountingAllocator accounting = AccountingAllocator.builder(new SystemAllocator()).name("lwjgl").build();
        final HostallocMemoryAllocator onAccounting = new HostallocMemoryAllocator(accounting);
        final long kept = onAccounting.malloc(333);
        onAccounting.free(onAccounting.aligned_alloc(256, 512));
        assertEquals(0, onAccounting.calloc(-1L, 16));

        final JsonNode report = new ObjectMapper().readTree(onAccounting.reportJson());
        assertEquals(LwjglAllocationReport.FORMAT, report.path("format").asText());
        assertTrue(report.path("spec").isNull());
        assertEquals("OBJECT", report.path("scope").asText());
        assertEquals(1, report.path("violations").path("byKind").path("INVALID_SIZE").asLong());
        final JsonNode root = report.path("accounting").get(0).path("accounts").get(0);
        assertEquals("lwjgl", root.path("path").asText());
        assertEquals(2, root.path("allocations").asLong());
        assertEquals(1, root.path("frees").asLong());
        final JsonNode leak = report.path("leaks").get(0).path("blocks").get(0);
        assertEquals(333, leak.path("size").asLong());
        assertEquals("0x" + Long.toHexString(kept), leak.path("address").asText());
        assertTrue(LwjglAllocationReport.summary(onAccounting).startsWith("1 live blocks (333 bytes), 1 violations"),
            LwjglAllocationReport.summary(onAccounting));
        onAccounting.free(kept);
        accounting.close();
    }

    private AllocationRecord only(final AllocationRecord.Kind kind)
    {
        final List<AllocationRecord> matching = recording.records().stream().filter(r -> r.kind() == kind).toList();
        assertEquals(1, matching.size(), () -> kind + " records: " + recording.records());
        return matching.get(0);
    }

    /** Fills every block with {@link #FILL}, as reused malloc memory may be. */
    private static final class DirtyAllocator implements AllocationCallbacks
    {
        static final int FILL = 0xAB;
        private static final long SLACK = 16;

        private final AllocationCallbacks next;

        DirtyAllocator(final AllocationCallbacks next)
        {
            this.next = next;
        }

        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            final long p = next.allocate(size + SLACK, alignment, scope);
            if (0 != p)
            {
                MemoryUtil.memSet(p, FILL, size + SLACK);
            }
            return p;
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            return next.reallocate(original, size, alignment, scope);
        }

        @Override
        public void free(final long memory)
        {
            next.free(memory);
        }
    }

    /** Throws from every method. */
    private record ThrowingAllocator(RuntimeException toThrow) implements AllocationCallbacks
    {
        @Override
        public long allocate(final long size, final long alignment, final SystemAllocationScope scope)
        {
            throw toThrow;
        }

        @Override
        public long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
        {
            throw toThrow;
        }

        @Override
        public void free(final long memory)
        {
            throw toThrow;
        }
    }
}
