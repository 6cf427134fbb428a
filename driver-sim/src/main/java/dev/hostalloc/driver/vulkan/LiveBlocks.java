package dev.hostalloc.driver.vulkan;

import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.testkit.LiveBlock;
import java.util.List;

/** Summaries of live blocks for findings: count and bytes per scope, with exact numbers. */
final class LiveBlocks
{
    private LiveBlocks()
    {
    }

    /**
     * Summarizes blocks per scope, in scope order.
     *
     * @param blocks the live blocks.
     * @param only   the scope to count, or {@code null} for all scopes.
     * @return e.g. {@code "3 blocks (96 bytes, INSTANCE), 1 block (16 bytes, DEVICE)"}; empty when none.
     */
    static String summary(final List<LiveBlock> blocks, final SystemAllocationScope only)
    {
        final StringBuilder sb = new StringBuilder();
        for (final SystemAllocationScope scope : SystemAllocationScope.values())
        {
            if (null != only && scope != only)
            {
                continue;
            }
            long count = 0;
            long bytes = 0;
            for (final LiveBlock block : blocks)
            {
                if (block.scope() == scope)
                {
                    count++;
                    bytes += block.size();
                }
            }
            if (count > 0)
            {
                if (!sb.isEmpty())
                {
                    sb.append(", ");
                }
                sb.append(count).append(count == 1 ? " block (" : " blocks (").append(bytes).append(" bytes, ")
                    .append(scope.name()).append(')');
            }
        }
        return sb.toString();
    }

    /**
     * Bytes in the blocks of one scope.
     *
     * @param blocks the live blocks.
     * @param scope  the scope.
     * @return the sum of their sizes.
     */
    static long bytes(final List<LiveBlock> blocks, final SystemAllocationScope scope)
    {
        long bytes = 0;
        for (final LiveBlock block : blocks)
        {
            if (block.scope() == scope)
            {
                bytes += block.size();
            }
        }
        return bytes;
    }
}
