package dev.hostalloc.accounting;

import dev.hostalloc.system.SystemAllocator;
import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.hostalloc.api.SystemAllocationScope.DEVICE;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccountingCountersTest
{
    @TempDir
    Path dir;

    private static AccountingAllocator allocator(final String name)
    {
        return AccountingAllocator.builder(new SystemAllocator()).name(name).exportToConfiguredCounters(false)
            .onClose(r -> { }).build();
    }

    @Test
    void anotherReaderSeesEveryAccountsFigures() throws IOException
    {
        final Path file = dir.resolve("run/acct.counters");
        try (AccountingCounters counters = AccountingCounters.create(file, 1024, Duration.ofHours(1));
             AccountingAllocator accounting = allocator("vulkan"))
        {
            accounting.exportTo(counters);
            final Account textures = accounting.root().child("renderer/textures", 1 << 20);
            final long a = textures.allocate(1000, 16, OBJECT);
            final long b = accounting.allocate(24, 8, DEVICE);
            assertEquals(0, textures.allocate(2 << 20, 16, OBJECT));
            counters.publishNow();

            try (AccountingCountersReader reader = AccountingCountersReader.open(file))
            {
                assertEquals(ProcessHandle.current().pid(), reader.pid());
                assertEquals(Duration.ofHours(1).toMillis(), reader.intervalMillis());
                assertTrue(reader.heartbeatEpochMillis() >= reader.startEpochMillis());
                final List<AccountingCountersReader.Row> rows = reader.rows();
                assertEquals(List.of("vulkan", "vulkan/renderer", "vulkan/renderer/textures"),
                    rows.stream().map(AccountingCountersReader.Row::path).toList());
                final AccountingCountersReader.Row root = rows.get(0);
                assertEquals(1024, root.currentBytes());
                assertEquals(2, root.liveBlocks());
                assertFalse(root.limited());
                assertEquals(24, root.scopeCurrentBytes().get(DEVICE.ordinal()));
                final AccountingCountersReader.Row leaf = rows.get(2);
                assertEquals(2, leaf.depth());
                assertEquals(1 << 20, leaf.limitBytes());
                assertEquals(1, leaf.failures());
                assertEquals(1000, leaf.peakBytes());
                assertEquals(1, leaf.scopeLiveBlocks().get(OBJECT.ordinal()));

                // Live: the reader sees the next publication without reopening.
                textures.free(a);
                accounting.root().child("audio");
                counters.publishNow();
                final List<AccountingCountersReader.Row> later = reader.rows();
                assertEquals(4, later.size());
                assertEquals(0, later.stream().filter(r -> r.path().equals("vulkan/renderer/textures")).findFirst()
                    .orElseThrow().currentBytes());

                // Every label carries the path and the figure.
                final CountersReader raw = rawReader(reader);
                final StringBuilder labels = new StringBuilder();
                raw.forEach((id, label) -> labels.append(label).append('\n'));
                assertTrue(labels.toString().contains("vulkan/renderer/textures: current-bytes\n"), labels.toString());
                assertTrue(labels.toString().contains("vulkan: scope-current-bytes DEVICE\n"), labels.toString());
            }
            accounting.free(b);
        }
        assertFalse(Files.exists(file), "closing deletes the file");
    }

    @Test
    void closingAnAllocatorRemovesItsCounters() throws IOException
    {
        final Path file = dir.resolve("acct.counters");
        try (AccountingCounters counters = AccountingCounters.create(file, 1024, Duration.ofHours(1)))
        {
            final AccountingAllocator one = allocator("one");
            final AccountingAllocator two = allocator("two");
            counters.register(one);
            counters.register(two);
            counters.publishNow();
            try (AccountingCountersReader reader = AccountingCountersReader.open(file))
            {
                assertEquals(List.of("one", "two"), reader.rows().stream().map(AccountingCountersReader.Row::path).toList());
                one.close();
                counters.publishNow();
                assertEquals(List.of("two"), reader.rows().stream().map(AccountingCountersReader.Row::path).toList());
                two.close();
                assertTrue(reader.rows().isEmpty());
            }
            assertThrows(IllegalStateException.class, () -> counters.register(one));
        }
    }

    @Test
    void theDaemonPublishesOnItsOwn() throws Exception
    {
        final Path file = dir.resolve("auto.counters");
        try (AccountingCounters counters = AccountingCounters.create(file, 1024, Duration.ofMillis(20));
             AccountingAllocator accounting = allocator("auto");
             AccountingCountersReader reader = AccountingCountersReader.open(file))
        {
            counters.register(accounting);
            final long block = accounting.allocate(777, 8, OBJECT);
            final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline &&
                (reader.rows().isEmpty() || reader.rows().get(0).currentBytes() != 777))
            {
                Thread.sleep(10);
            }
            assertEquals(777, reader.rows().get(0).currentBytes());
            accounting.free(block);
        }
    }

    @Test
    void aFullFileCountsTheAccountsItCouldNotExport() throws IOException
    {
        final Path file = dir.resolve("small.counters");
        final int perAccount = AccountingCounters.countersPerAccount();
        try (AccountingCounters counters = AccountingCounters.create(file, perAccount + perAccount / 2, Duration.ofHours(1));
             AccountingAllocator accounting = allocator("small");
             AccountingCountersReader reader = AccountingCountersReader.open(file))
        {
            accounting.root().child("a");
            accounting.root().child("b");
            counters.register(accounting);
            counters.publishNow();
            counters.publishNow();
            assertEquals(1, reader.rows().size());
            assertEquals(2, reader.droppedAccounts(), "counted once each, not once per publication");
        }
    }

    @Test
    void readerRefusesFilesThatAreNotCountersFiles() throws IOException
    {
        final Path notCounters = dir.resolve("x.counters");
        Files.write(notCounters, new byte[4096]);
        final IllegalArgumentException magic = assertThrows(IllegalArgumentException.class,
            () -> AccountingCountersReader.open(notCounters));
        assertTrue(magic.getMessage().contains("not a hostalloc counters file"), magic.getMessage());
        Files.write(notCounters, new byte[16]);
        assertThrows(IllegalArgumentException.class, () -> AccountingCountersReader.open(notCounters));
        assertThrows(IOException.class, () -> AccountingCountersReader.open(dir.resolve("missing")));
    }

    private static CountersReader rawReader(final AccountingCountersReader reader) throws IOException
    {
        // The same mapping the stat tool uses, read with plain Agrona to check the labels.
        final java.nio.MappedByteBuffer mapped;
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(reader.file()))
        {
            mapped = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
        final org.agrona.concurrent.UnsafeBuffer header = new org.agrona.concurrent.UnsafeBuffer(mapped);
        final int metadataLength = header.getInt(CountersFileDescriptor.METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(CountersFileDescriptor.VALUES_LENGTH_OFFSET);
        return new CountersReader(
            new org.agrona.concurrent.UnsafeBuffer(mapped, CountersFileDescriptor.metadataOffset(), metadataLength),
            new org.agrona.concurrent.UnsafeBuffer(mapped, CountersFileDescriptor.valuesOffset(metadataLength), valuesLength));
    }
}
