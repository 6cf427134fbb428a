package dev.hostalloc.accounting;

import dev.hostalloc.api.SystemAllocationScope;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The blocks of an {@link AccountingAllocator} that were live when the report was made (on demand, or at
 * {@link AccountingAllocator#close()}), grouped by account and scope.
 *
 * @param allocator the root account's name.
 * @param blocks    the live blocks, sorted by account path, scope, then address (tracked blocks only).
 * @param untracked without block tracking, the live blocks counted per account and scope instead;
 *                  empty when blocks are tracked.
 */
public record LeakReport(String allocator, List<Block> blocks, List<Summary> untracked)
{
    /**
     * Live blocks of one account (its own, not its descendants') in one scope, when blocks are not
     * tracked one by one.
     *
     * @param account the account's path.
     * @param scope   the scope.
     * @param blocks  how many blocks are live.
     * @param bytes   their total size.
     */
    public record Summary(String account, SystemAllocationScope scope, long blocks, long bytes)
    {
        /**
         * Validates the summary.
         *
         * @throws NullPointerException when a reference is {@code null}.
         */
        public Summary
        {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(scope, "scope");
        }
    }

    /**
     * One live block.
     *
     * @param account   the path of the account it was allocated through.
     * @param scope     its scope.
     * @param address   its address.
     * @param size      the size asked for.
     * @param alignment its alignment.
     * @param site      the allocating Java frame, when site capture recorded one.
     */
    public record Block(
        String account, SystemAllocationScope scope, long address, long size, long alignment, Optional<String> site)
    {
        /**
         * Validates the block.
         *
         * @throws NullPointerException when a reference is {@code null}.
         */
        public Block
        {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(site, "site");
        }
    }

    private static final Comparator<Block> ORDER = Comparator.comparing(Block::account)
        .thenComparing(Block::scope)
        .thenComparingLong(Block::address);

    /**
     * Sorts the blocks and makes the list immutable.
     *
     * @throws NullPointerException when a reference is {@code null}.
     */
    public LeakReport
    {
        Objects.requireNonNull(allocator, "allocator");
        blocks = blocks.stream().sorted(ORDER).toList();
        untracked = List.copyOf(untracked);
    }

    /**
     * Whether nothing is live.
     *
     * @return {@code true} when there are no blocks, tracked or counted.
     */
    public boolean isEmpty()
    {
        return blocks.isEmpty() && untracked.isEmpty();
    }

    /**
     * The total size of the live blocks.
     *
     * @return the sum of their sizes.
     */
    public long totalBytes()
    {
        long total = 0;
        for (final Block block : blocks)
        {
            total += block.size();
        }
        for (final Summary summary : untracked)
        {
            total += summary.bytes();
        }
        return total;
    }

    /**
     * The blocks grouped by account path, then scope.
     *
     * @return sorted maps of the blocks.
     */
    public Map<String, Map<SystemAllocationScope, List<Block>>> byAccountAndScope()
    {
        return blocks.stream().collect(Collectors.groupingBy(Block::account, TreeMap::new,
            Collectors.groupingBy(Block::scope, TreeMap::new, Collectors.toList())));
    }

    /**
     * The report for people: a summary line, then per account and scope the block count and bytes, then
     * one line per block with its address, size, alignment and site.
     *
     * @return the text, lines ending in {@code '\n'}; one line saying so when nothing is live.
     */
    public String text()
    {
        final StringBuilder sb = new StringBuilder();
        if (isEmpty())
        {
            return sb.append("accounting '").append(allocator).append("': no live blocks\n").toString();
        }
        if (!untracked.isEmpty())
        {
            long count = 0;
            for (final Summary summary : untracked)
            {
                count += summary.blocks();
            }
            sb.append("accounting '").append(allocator).append("': ").append(count)
                .append(count == 1 ? " live block, " : " live blocks, ").append(totalBytes())
                .append(" bytes (blocks not tracked one by one)\n");
            for (final Summary summary : untracked)
            {
                sb.append("  ").append(summary.account()).append(' ').append(summary.scope()).append(": ")
                    .append(summary.blocks()).append(summary.blocks() == 1 ? " block, " : " blocks, ")
                    .append(summary.bytes()).append(" bytes\n");
            }
            return sb.toString();
        }
        sb.append("accounting '").append(allocator).append("': ").append(blocks.size())
            .append(blocks.size() == 1 ? " live block, " : " live blocks, ").append(totalBytes()).append(" bytes\n");
        byAccountAndScope().forEach((account, scopes) -> scopes.forEach((scope, list) ->
        {
            long bytes = 0;
            for (final Block block : list)
            {
                bytes += block.size();
            }
            sb.append("  ").append(account).append(' ').append(scope).append(": ").append(list.size())
                .append(list.size() == 1 ? " block, " : " blocks, ").append(bytes).append(" bytes\n");
            for (final Block block : list)
            {
                sb.append("    0x").append(Long.toHexString(block.address())).append("  ").append(block.size())
                    .append(" bytes, alignment ").append(block.alignment());
                block.site().ifPresent(site -> sb.append(", at ").append(site));
                sb.append('\n');
            }
        }));
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return text();
    }
}
