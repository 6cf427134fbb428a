package dev.hostalloc.accounting;

import dev.hostalloc.api.SystemAllocationScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.hostalloc.accounting.AccountCellsDescriptor.BUCKETS;
import static dev.hostalloc.accounting.AccountCellsDescriptor.HISTOGRAM;
import static dev.hostalloc.accounting.AccountCellsDescriptor.INTERNAL_BYTES;
import static dev.hostalloc.accounting.AccountCellsDescriptor.REALLOCATIONS;
import static dev.hostalloc.accounting.AccountCellsDescriptor.SCOPE_BYTES;
import static dev.hostalloc.accounting.AccountCellsDescriptor.SCOPE_LEFT;
import static dev.hostalloc.accounting.AccountCellsDescriptor.SCOPE_PEAK;
import static dev.hostalloc.accounting.AccountCellsDescriptor.SLOT_PEAK;

/**
 * One account's figures at one moment. Byte and block figures cover the account and all its
 * descendants (a parent is charged for its children).
 *
 * @param path          the account's path from the root, e.g. {@code vulkan/renderer}.
 * @param depth         0 for the root, 1 for its children, ...
 * @param limitBytes    the budget, or {@link Account#UNLIMITED}.
 * @param ownsPool      whether the account allocates from a pool of its own.
 * @param currentBytes  bytes live (as asked for by callers; headers not counted).
 * @param peakBytes     the highest {@code currentBytes} so far: exact when one thread uses the account,
 *                      otherwise an upper bound (never below the true peak).
 * @param liveBlocks    blocks live.
 * @param allocations   blocks allocated so far.
 * @param reallocations successful reallocations of live blocks.
 * @param frees         blocks freed.
 * @param failures      requests refused because they would have pushed this account past its limit.
 * @param poolFailures  requests within budget that the pool refused.
 * @param internalBytes internal (executable) bytes the driver notified and did not notify freed.
 * @param scopes        the figures per scope, one for each scope in {@link SystemAllocationScope} order.
 * @param histogram     the non-empty buckets of the size histogram of allocations, smallest first.
 */
public record AccountSnapshot(
    String path,
    int depth,
    long limitBytes,
    boolean ownsPool,
    long currentBytes,
    long peakBytes,
    long liveBlocks,
    long allocations,
    long reallocations,
    long frees,
    long failures,
    long poolFailures,
    long internalBytes,
    List<ScopeFigures> scopes,
    List<HistogramBucket> histogram)
{
    /**
     * Validates the snapshot and makes the lists immutable.
     *
     * @throws IllegalArgumentException when {@code scopes} does not hold one entry per scope in order.
     * @throws NullPointerException     when a reference is {@code null}.
     */
    public AccountSnapshot
    {
        Objects.requireNonNull(path, "path");
        scopes = List.copyOf(scopes);
        histogram = List.copyOf(histogram);
        if (scopes.size() != SystemAllocationScope.COUNT)
        {
            throw new IllegalArgumentException("expected " + SystemAllocationScope.COUNT + " scopes, got " + scopes.size());
        }
        for (int s = 0; s < SystemAllocationScope.COUNT; s++)
        {
            if (scopes.get(s).scope().ordinal() != s)
            {
                throw new IllegalArgumentException("scopes out of order at " + s + ": " + scopes.get(s).scope());
            }
        }
    }

    /**
     * The account's name: the last element of its path.
     *
     * @return the name.
     */
    public String name()
    {
        return path.substring(path.lastIndexOf(Account.PATH_SEPARATOR) + 1);
    }

    /**
     * Whether the account has a budget.
     *
     * @return {@code true} unless the limit is {@link Account#UNLIMITED}.
     */
    public boolean limited()
    {
        return limitBytes != Account.UNLIMITED;
    }

    /**
     * The figures of one scope.
     *
     * @param scope the scope.
     * @return its figures.
     */
    public ScopeFigures scope(final SystemAllocationScope scope)
    {
        return scopes.get(scope.ordinal());
    }

    static AccountSnapshot of(final Account account)
    {
        final List<ScopeFigures> scopes = new ArrayList<>(SystemAllocationScope.COUNT);
        long current = 0;
        long live = 0;
        long allocations = 0;
        for (final SystemAllocationScope scope : SystemAllocationScope.values())
        {
            final int s = scope.ordinal();
            final long bytes = account.sum(SCOPE_BYTES + s);
            long count = 0;
            for (int b = 0; b < BUCKETS; b++)
            {
                count += account.sum(HISTOGRAM + s * BUCKETS + b);
            }
            final long blocks = count - account.sum(SCOPE_LEFT + s);
            scopes.add(new ScopeFigures(scope, bytes, Math.max(bytes, account.sum(SCOPE_PEAK + s)), blocks, count));
            current += bytes;
            live += blocks;
            allocations += count;
        }
        final List<HistogramBucket> histogram = new ArrayList<>();
        for (int b = 0; b < BUCKETS; b++)
        {
            long count = 0;
            for (int s = 0; s < SystemAllocationScope.COUNT; s++)
            {
                count += account.sum(HISTOGRAM + s * BUCKETS + b);
            }
            if (count != 0)
            {
                histogram.add(new HistogramBucket(
                    AccountCellsDescriptor.bucketMinBytes(b), AccountCellsDescriptor.bucketMaxBytes(b), count));
            }
        }
        // Both are upper bounds of the true peak; the per-thread one is exact with a single thread.
        final long peak = Math.max(current, Math.min(account.chargedPeak(), account.sum(SLOT_PEAK)));
        return new AccountSnapshot(
            account.path(),
            account.depth(),
            account.limit(),
            account.ownsPool(),
            current,
            peak,
            live,
            allocations,
            account.sum(REALLOCATIONS),
            allocations - live, // every block allocated is live or freed
            account.failures(),
            account.poolFailures(),
            account.sum(INTERNAL_BYTES),
            scopes,
            histogram);
    }
}
