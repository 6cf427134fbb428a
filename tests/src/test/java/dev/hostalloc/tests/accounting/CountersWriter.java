package dev.hostalloc.tests.accounting;

import dev.hostalloc.accounting.Account;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.accounting.AccountingCounters;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.stack.Allocators;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The program a second JVM runs in {@link StatSecondJvmTest}: an allocator stack built from a spec string
 * exporting to {@code -Dhostalloc.counters}, busy allocating through a few budgeted accounts until a stop
 * file appears; then it frees everything and exits, and the counters file goes away with it.
 */
public final class CountersWriter
{
    /** The root account's name. */
    static final String ROOT = "app";

    private static final int KEEP_LIVE = 200;
    private static final long LOOP_PAUSE_MILLIS = 5;

    private CountersWriter()
    {
    }

    /**
     * Runs until {@code args[0]} exists.
     *
     * @param args the stop file's path.
     * @throws Exception when interrupted.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path stop = Path.of(args[0]);
        if (AccountingCounters.configured().isEmpty())
        {
            System.err.println("run with -D" + AccountingCounters.PROPERTY + "=<file>");
            System.exit(2);
        }
        final AccountingAllocator accounting =
            (AccountingAllocator)Allocators.fromSpec("accounting:name=" + ROOT + ":limit=64m,system");
        final Account textures = accounting.root().child("renderer/textures", 8 << 20);
        final Account audio = accounting.root().child("audio", 1 << 20);
        final Deque<Long> live = new ArrayDeque<>();
        int round = 0;
        System.out.println("writing");
        System.out.flush();
        while (!Files.exists(stop))
        {
            live.add(textures.allocate(4096 + (round % 64) * 1024L, 64, SystemAllocationScope.OBJECT));
            live.add(accounting.allocate(256, 16, SystemAllocationScope.DEVICE));
            live.add(audio.allocate(512, 16, SystemAllocationScope.COMMAND));
            audio.allocate(2 << 20, 16, SystemAllocationScope.OBJECT); // always over the audio budget: a failure
            while (live.size() > KEEP_LIVE)
            {
                accounting.free(live.poll());
            }
            round++;
            Thread.sleep(LOOP_PAUSE_MILLIS);
        }
        while (!live.isEmpty())
        {
            accounting.free(live.poll());
        }
        accounting.close();
        System.out.println("done after " + round + " rounds");
        System.exit(0); // the shutdown hook closes the counters file, which deletes it
    }
}
