package dev.hostalloc.conformance;

import dev.hostalloc.api.Alignment;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.AllocatorTraits;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.testkit.RecordingAllocator;
import dev.hostalloc.testkit.ValidationReport;

/**
 * What one run of one check works with: the allocator under test wrapped in a
 * {@link RecordingAllocator}, and calls that turn every departure from the spec into a
 * {@link ConformanceFailure} naming the call, the result and the rule.
 *
 * <p>Every call goes through the recorder, so {@link #verifyRecord()} can replay the whole run
 * through the CTS validator at the end of the check.
 */
final class CheckContext
{
    private static final SystemAllocationScope[] SCOPES = SystemAllocationScope.values();
    private static final long NULL = 0;

    private final AllocationCallbacks calls;
    private final RecordingAllocator recorder;

    CheckContext(final RecordingAllocator recorder)
    {
        this.calls = recorder;
        this.recorder = recorder;
    }

    private CheckContext(final AllocationCallbacks unrecorded)
    {
        this.calls = unrecorded;
        this.recorder = null;
    }

    /**
     * The same checks straight on the allocator under test, bypassing the recorder, whose lock
     * serializes every call: for the concurrency check's pass under real contention.
     *
     * @return a context without a record; {@link #verifyRecord()} is not available on it.
     */
    CheckContext unrecorded()
    {
        return new CheckContext(null == recorder ? calls : recorder.delegate());
    }

    /**
     * The allocator the calls go to (the recorder, unless {@link #unrecorded()}), for calls whose
     * outcome the check judges itself.
     *
     * @return the callbacks.
     */
    AllocationCallbacks callbacks()
    {
        return calls;
    }

    /**
     * A scope for the {@code i}-th call, so checks exercise every scope.
     *
     * @param i any non-negative number.
     * @return one of the five scopes.
     */
    static SystemAllocationScope scope(final int i)
    {
        return SCOPES[i % SCOPES.length];
    }

    /**
     * Allocates a block the kit needs (small enough that any conforming allocator serves it).
     *
     * @return a non-zero address that is a multiple of {@code alignment}.
     * @throws ConformanceFailure when the allocator throws, returns 0 or a misaligned address.
     */
    long allocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        final long address = tryAllocate(size, alignment, scope);
        final String call = allocateCall(size, alignment, scope);
        if (NULL == address)
        {
            throw new ConformanceFailure(call + " returned 0; the spec wants a block of at least " + size +
                " bytes aligned to " + alignment + " (the kit's requests are small: 0 here is not out of memory)");
        }
        expectAligned(call, address, alignment);
        return address;
    }

    /**
     * Calls {@code allocate} and returns whatever it returns.
     *
     * @return the address, possibly 0.
     * @throws ConformanceFailure when the allocator throws.
     */
    long tryAllocate(final long size, final long alignment, final SystemAllocationScope scope)
    {
        try
        {
            return calls.allocate(size, alignment, scope);
        }
        catch (final RuntimeException | Error ex)
        {
            throw threw(allocateCall(size, alignment, scope), ex, "a block or 0");
        }
    }

    /**
     * Reallocates a block the kit needs.
     *
     * @return a non-zero address that is a multiple of {@code alignment}.
     * @throws ConformanceFailure when the allocator throws, returns 0 or a misaligned address.
     */
    long reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        final long address = tryReallocate(original, size, alignment, scope);
        final String call = reallocateCall(original, size, alignment, scope);
        if (NULL == address)
        {
            throw new ConformanceFailure(call + " returned 0; the spec wants a block of at least " + size +
                " bytes aligned to " + alignment + " (the kit's requests are small: 0 here is not out of memory)");
        }
        expectAligned(call, address, alignment);
        return address;
    }

    /**
     * Calls {@code reallocate} and returns whatever it returns.
     *
     * @return the address, possibly 0.
     * @throws ConformanceFailure when the allocator throws.
     */
    long tryReallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        try
        {
            return calls.reallocate(original, size, alignment, scope);
        }
        catch (final RuntimeException | Error ex)
        {
            throw threw(reallocateCall(original, size, alignment, scope), ex, "a block or 0");
        }
    }

    /**
     * Frees a block.
     *
     * @throws ConformanceFailure when the allocator throws.
     */
    void free(final long memory)
    {
        try
        {
            calls.free(memory);
        }
        catch (final RuntimeException | Error ex)
        {
            throw threw("free(" + hex(memory) + ")", ex, "the block released");
        }
    }

    /**
     * Sends an internal allocation notification.
     *
     * @throws ConformanceFailure when the allocator throws.
     */
    void internalAllocation(final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        try
        {
            calls.internalAllocationNotification(size, type, scope);
        }
        catch (final RuntimeException | Error ex)
        {
            throw threw("internalAllocationNotification(size=" + size + ", type=" + type + ", scope=" + scope + ")",
                ex, "the notification accepted (it is informational only)");
        }
    }

    /**
     * Sends an internal free notification.
     *
     * @throws ConformanceFailure when the allocator throws.
     */
    void internalFree(final long size, final InternalAllocationType type, final SystemAllocationScope scope)
    {
        try
        {
            calls.internalFreeNotification(size, type, scope);
        }
        catch (final RuntimeException | Error ex)
        {
            throw threw("internalFreeNotification(size=" + size + ", type=" + type + ", scope=" + scope + ")",
                ex, "the notification accepted (it is informational only)");
        }
    }

    /**
     * The allocator's traits.
     *
     * @return the traits, never {@code null}.
     * @throws ConformanceFailure when {@code traits()} throws or returns {@code null}.
     */
    AllocatorTraits traits()
    {
        final AllocatorTraits traits;
        try
        {
            traits = calls.traits();
        }
        catch (final RuntimeException | Error ex)
        {
            throw threw("traits()", ex, "the allocator's AllocatorTraits");
        }
        if (null == traits)
        {
            throw new ConformanceFailure("traits() returned null; the API wants the allocator's AllocatorTraits " +
                "(AllocatorTraits.UNDECLARED when it declares nothing)");
        }
        return traits;
    }

    /**
     * Fills a block with the pattern of {@code seed}.
     */
    static void fill(final long address, final long size, final long seed)
    {
        MemoryPattern.fill(address, size, seed);
    }

    /**
     * Requires {@code [address, address + size)} to hold the pattern of {@code seed}.
     *
     * @param what what the bytes are and why they must be intact, e.g. "the first 64 bytes after
     *             reallocate(...) grew the block": the spec rule goes into the failure message.
     * @throws ConformanceFailure naming the first wrong byte.
     */
    static void expectPattern(final String what, final long address, final long size, final long seed)
    {
        final long offset = MemoryPattern.firstMismatch(address, size, seed);
        if (offset != MemoryPattern.NO_MISMATCH)
        {
            throw new ConformanceFailure(what + ": byte " + offset + " of the block at " + hex(address) +
                " reads 0x" + byteHex(MemoryPattern.byteAt(address + offset)) + " but 0x" +
                byteHex(MemoryPattern.expectedByte(seed, offset)) + " was written there");
        }
    }

    /**
     * Replays every call of this run through the CTS validator with no scope allowed to stay live.
     *
     * @throws ConformanceFailure with the validator's report when it finds misuse or a leak.
     */
    void verifyRecord()
    {
        if (null == recorder)
        {
            throw new IllegalStateException("an unrecorded context has no record to verify");
        }
        final ValidationReport report = recorder.validate().check(0);
        if (!report.passed())
        {
            throw new ConformanceFailure("the " + recorder.recordCount() + " calls of this check, replayed " +
                "through the CTS validator (validateAllocationCallbacks, then checkAndLog with no scope " +
                "allowed live), show misuse or blocks still live:" + System.lineSeparator() + report.text());
        }
    }

    static void expectAligned(final String call, final long address, final long alignment)
    {
        if (!Alignment.isAligned(address, alignment))
        {
            throw new ConformanceFailure(call + " returned " + hex(address) + ", not a multiple of " + alignment +
                " (off by " + (address & (alignment - 1)) + "); the spec wants a multiple of the alignment");
        }
    }

    static String allocateCall(final long size, final long alignment, final SystemAllocationScope scope)
    {
        return "allocate(size=" + Long.toUnsignedString(size) + ", alignment=" + Long.toUnsignedString(alignment) +
            ", scope=" + scope + ")";
    }

    static String reallocateCall(
        final long original, final long size, final long alignment, final SystemAllocationScope scope)
    {
        return "reallocate(original=" + hex(original) + ", size=" + Long.toUnsignedString(size) + ", alignment=" +
            Long.toUnsignedString(alignment) + ", scope=" + scope + ")";
    }

    static String hex(final long address)
    {
        return "0x" + Long.toHexString(address);
    }

    private static String byteHex(final byte value)
    {
        return String.format("%02x", value & 0xFF);
    }

    private static ConformanceFailure threw(final String call, final Throwable ex, final String wanted)
    {
        return new ConformanceFailure(call + " threw " + ex + "; the spec wants " + wanted +
            ", never an exception (it cannot cross the native frame that calls pfn* callbacks)", ex);
    }
}
