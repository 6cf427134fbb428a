package dev.hostalloc.bench.latency;

import java.util.SplittableRandom;

/**
 * A pre-generated operation stream, so the timed loop only reads arrays: for operation {@code i},
 * free the block in slot {@code slot(i)} and allocate {@code size(i)} bytes aligned to
 * {@code alignment(i)} into it. The working set stays at {@link #liveBlocks()} blocks, so the
 * allocator works in a realistically fragmented state rather than on an empty heap.
 */
final class Workload
{
    /** Which sizes the requests ask for. */
    enum Sizes
    {
        /**
         * A driver's or an engine's mix: small objects and a tail of buffers. 60 % of requests
         * 8–256 bytes, 30 % 257 bytes–4 KiB, 9 % 4–32 KiB, 1 % 32–64 KiB; all below glibc's default
         * mmap threshold, so glibc is measured on its fast paths.
         */
        GENERAL,
        /** A real-time loop's scratch: 16–1024 bytes (80 % up to 256). */
        REALTIME
    }

    /** Which alignments the requests ask for. */
    enum Alignments
    {
        /** 8 bytes for everything: what {@code malloc} gives anyway. */
        MALLOC,
        /** 70 % 16 bytes, 20 % 64, 8 % 256, 2 % 4096: Vulkan-style requests. */
        MIXED
    }

    private static final int STREAM_LENGTH = 1 << 20;
    private static final int PERCENT = 100;

    private final long[] sizes = new long[STREAM_LENGTH];
    private final long[] alignments = new long[STREAM_LENGTH];
    private final int[] slots = new int[STREAM_LENGTH];
    private final long[] initialSizes;
    private final Sizes sizeMix;
    private final Alignments alignmentMix;

    Workload(final Sizes sizeMix, final Alignments alignmentMix, final int liveBlocks, final long seed)
    {
        this.sizeMix = sizeMix;
        this.alignmentMix = alignmentMix;
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < STREAM_LENGTH; i++)
        {
            sizes[i] = size(random, sizeMix);
            alignments[i] = alignment(random, alignmentMix);
            slots[i] = random.nextInt(liveBlocks);
        }
        initialSizes = new long[liveBlocks];
        for (int i = 0; i < liveBlocks; i++)
        {
            initialSizes[i] = size(random, sizeMix);
        }
    }

    static long size(final SplittableRandom random, final Sizes mix)
    {
        if (mix == Sizes.REALTIME)
        {
            return random.nextInt(PERCENT) < 80 ? random.nextLong(16, 257) : random.nextLong(257, 1025);
        }
        final int kind = random.nextInt(PERCENT);
        if (kind < 60)
        {
            return random.nextLong(8, 257);
        }
        if (kind < 90)
        {
            return random.nextLong(257, 4097);
        }
        if (kind < 99)
        {
            return random.nextLong(4097, 32 * 1024 + 1);
        }
        return random.nextLong(32 * 1024 + 1, 64 * 1024 + 1);
    }

    private static long alignment(final SplittableRandom random, final Alignments mix)
    {
        if (mix == Alignments.MALLOC)
        {
            return 8;
        }
        final int kind = random.nextInt(PERCENT);
        if (kind < 70)
        {
            return 16;
        }
        if (kind < 90)
        {
            return 64;
        }
        return kind < 98 ? 256 : 4096;
    }

    /** Index mask of the stream (its length is a power of two). */
    int mask()
    {
        return STREAM_LENGTH - 1;
    }

    long[] sizes()
    {
        return sizes;
    }

    long[] alignments()
    {
        return alignments;
    }

    int[] slots()
    {
        return slots;
    }

    long[] initialSizes()
    {
        return initialSizes;
    }

    int liveBlocks()
    {
        return initialSizes.length;
    }

    Alignments alignmentMix()
    {
        return alignmentMix;
    }

    Sizes sizeMix()
    {
        return sizeMix;
    }
}
