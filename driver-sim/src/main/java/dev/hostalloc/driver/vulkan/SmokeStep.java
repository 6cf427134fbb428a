package dev.hostalloc.driver.vulkan;

import dev.hostalloc.vulkan.VkResults;

/**
 * One Vulkan call of a smoke run and the allocator's state right after it returned.
 *
 * @param index             the call's position in the run, from 0.
 * @param function          the Vulkan function, e.g. {@code "vkCreateDevice"}.
 * @param result            its {@code VkResult}, or {@link VkResults#NO_RESULT} for a void function.
 * @param callbackCalls     how many allocation-callback calls the driver made during it.
 * @param liveBlocks        blocks live after it returned.
 * @param liveBytes         bytes in those blocks.
 * @param commandLiveBlocks COMMAND-scope blocks live after it returned (must be 0: the command is over).
 */
public record SmokeStep(
    int index, String function, int result, int callbackCalls, long liveBlocks, long liveBytes, long commandLiveBlocks)
{
    /**
     * A table row.
     *
     * @return e.g. {@code "  12 vkCreateDevice                 VK_SUCCESS            41 calls  57 live (20480 bytes)"}.
     */
    @Override
    public String toString()
    {
        return String.format("%4d %-40s %-30s %5d calls %6d live (%d bytes)%s",
            index, function, VkResults.name(result), callbackCalls, liveBlocks, liveBytes,
            commandLiveBlocks == 0 ? "" : ", " + commandLiveBlocks + " COMMAND-scope live");
    }
}
