package dev.hostalloc.driver.vulkan;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

/**
 * What the drivers hostalloc has been checked on are known to do, so tests assert it exactly and a
 * change (a driver upgrade, a regression) is noticed. A driver not listed here fails the tests that
 * consult it, with what it did, so a person reviews it and adds it.
 */
final class KnownDrivers
{
    /** Debian 12's lavapipe. */
    static final String LAVAPIPE_MESA_22_3_6 = "llvmpipe Mesa 22.3.6 (LLVM 15.0.6), Vulkan 1.3.230";

    /**
     * lavapipe 22.3.6's smoke run notes. Freed command buffers go back to their pool (freed by
     * vkDestroyCommandPool: legitimate, pooled memory belongs to the pool). Pipelines are destroyed
     * lazily, on the device's queue: vkDestroyPipeline frees nothing, and the pipeline's block and the
     * pipeline layout's (which the pipeline holds a reference to) are freed by vkDestroyDevice, i.e.
     * after the objects' vkDestroy* returned, which breaks an application whose per-object allocator
     * ends with the object.
     */
    static final List<String> LAVAPIPE_MESA_22_3_6_SMOKE_NOTES = List.of(
        "vkFreeCommandBuffers (call #31) left 4 blocks (23296 bytes, OBJECT) that vkAllocateCommandBuffers (call #26) "
            + "allocated alive",
        "vkDestroyCommandPool (call #32) freed 4 blocks (23296 bytes, OBJECT) that vkAllocateCommandBuffers (call #26) "
            + "allocated and vkFreeCommandBuffers (call #31) left alive",
        "vkDestroyPipeline (call #34) left 1 block (4064 bytes, OBJECT) that vkCreateComputePipelines (call #18) "
            + "allocated alive",
        "vkDestroyPipelineLayout (call #35) left 1 block (1144 bytes, OBJECT) that vkCreatePipelineLayout (call #17) "
            + "allocated alive",
        "vkDestroyDevice (call #42) freed 1 block (1144 bytes, OBJECT) that vkCreatePipelineLayout (call #17) "
            + "allocated and vkDestroyPipelineLayout (call #35) left alive",
        "vkDestroyDevice (call #42) freed 1 block (4064 bytes, OBJECT) that vkCreateComputePipelines (call #18) "
            + "allocated and vkDestroyPipeline (call #34) left alive");

    private KnownDrivers()
    {
    }

    /**
     * Fails unless the driver is one whose behaviour is recorded here.
     *
     * @param driverInfo what the run reported.
     * @param observed   the run's report, shown when the driver is unknown.
     */
    static void requireKnown(final String driverInfo, final String observed)
    {
        if (!LAVAPIPE_MESA_22_3_6.equals(driverInfo))
        {
            fail("driver '" + driverInfo + "' has no recorded behaviour in KnownDrivers: review this run and record it"
                + System.lineSeparator() + observed);
        }
    }
}
