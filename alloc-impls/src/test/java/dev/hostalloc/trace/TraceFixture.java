package dev.hostalloc.trace;

import dev.hostalloc.api.SystemAllocationScope;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes trace files by hand, for readers' and replayers' edge cases. */
final class TraceFixture
{
    static final long START = 1_000_000L;

    private ByteBuffer bytes = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long time = START;
    private long records;

    TraceFixture()
    {
        bytes.put(TraceFileDescriptor.HEADER_MAGIC);
        bytes.putInt(TraceFileDescriptor.VERSION);
        bytes.putInt(TraceFileDescriptor.HEADER_LENGTH);
        bytes.putInt(TraceRecordDescriptor.RECORD_LENGTH);
        bytes.putInt(TraceFileDescriptor.CLOCK_NANO_TIME);
        bytes.putLong(START);
        bytes.putLong(1_700_000_000_000_000_000L);
        bytes.putInt(4096);
        bytes.putInt(0);
        bytes.putLong(42);
        bytes.putLong(0);
    }

    TraceFixture allocate(final long size, final long alignment, final SystemAllocationScope scope, final long result)
    {
        return record(TraceOperation.ALLOCATE, size, alignment, 0, result, scope.value(), 0xFF);
    }

    TraceFixture reallocate(final long original, final long size, final long alignment, final SystemAllocationScope scope,
        final long result)
    {
        return record(TraceOperation.REALLOCATE, size, alignment, original, result, scope.value(), 0xFF);
    }

    TraceFixture free(final long address)
    {
        return record(TraceOperation.FREE, 0, 0, address, 0, 0xFF, 0xFF);
    }

    TraceFixture record(final TraceOperation op, final long size, final long alignment, final long address,
        final long result, final int scope, final int type)
    {
        time += 1000;
        bytes.putLong(time).putLong(size).putLong(alignment).putLong(address).putLong(result).putInt(7)
            .put((byte)op.code()).put((byte)scope).put((byte)type).put((byte)0);
        records++;
        return this;
    }

    TraceFixture raw(final byte[] extra)
    {
        bytes.put(extra);
        return this;
    }

    TraceFixture footer(final long dropped)
    {
        bytes.put(TraceFileDescriptor.FOOTER_MAGIC).putLong(records).putLong(dropped).putLong(time + 1000)
            .putLong(0).putLong(0);
        return this;
    }

    Path write(final Path file) throws IOException
    {
        Files.write(file, java.util.Arrays.copyOf(bytes.array(), bytes.position()));
        return file;
    }
}
