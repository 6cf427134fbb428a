package dev.hostalloc.sim.workload;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.sim.AllocatorRequirements;
import dev.hostalloc.sim.SimDriver;
import dev.hostalloc.sim.SimResult;

import static org.lwjgl.system.MemoryUtil.memGetInt;

/**
 * A renderer's frame loop on driver-sim: create everything once (instance, device, buffers, image,
 * shader, pipeline cache, pipeline, descriptor pool and set, command pool and buffer, fence), then
 * per frame record, submit, wait and reset. After the first frame has grown the command buffer's
 * chunk chain, {@link #frame} asks the callbacks for nothing and allocates no Java heap.
 *
 * <p>Each frame records: fill the source buffer with the frame number; update the destination's
 * first {@link #UPDATE_WORDS} words (word 0 = the frame number); copy {@link #COPY_SIZE} bytes from
 * the source at {@link #COPY_OFFSET} to the destination at the same offset; clear the image to the
 * frame number; bind pipeline and descriptor set; draw a triangle. {@link #verify} checks the results.
 */
public final class FrameWorkload implements AutoCloseable
{
    /** Size of the source and destination buffers. */
    public static final long BUFFER_SIZE = 4096;

    /** Words the update command writes at the destination's start. */
    public static final int UPDATE_WORDS = 16;

    /** Where the copied range starts, in both buffers. */
    public static final long COPY_OFFSET = 256;

    /** Bytes copied per frame. */
    public static final long COPY_SIZE = 1024;

    /** Width and height of the image. */
    public static final int IMAGE_EXTENT = 64;

    /** Vertices per draw. */
    public static final int TRIANGLE_VERTICES = 3;

    private final SimDriver driver;
    private final AllocationCallbacks allocator;
    private final int[] updateWords = new int[UPDATE_WORDS];
    private final long[] out = new long[1];
    private long instance;
    private long device;
    private long queue;
    private long source;
    private long destination;
    private long image;
    private long shaderModule;
    private long pipelineCache;
    private long pipeline;
    private long descriptorPool;
    private long descriptorSet;
    private long commandPool;
    private long commandBuffer;
    private long fence;

    /**
     * Creates the objects, all with {@code allocator} given to the instance only: by the
     * most-specific rule every object's memory then comes from it.
     *
     * @param driver    the driver.
     * @param allocator the instance's callbacks, or {@code null} for the driver's own.
     * @throws IllegalStateException when a creation fails (everything made so far is destroyed).
     */
    public FrameWorkload(final SimDriver driver, final AllocationCallbacks allocator)
    {
        this.driver = driver;
        this.allocator = allocator;
        try
        {
            check(driver.createInstance(allocator, out), "createInstance");
            instance = out[0];
            check(driver.createDevice(driver.physicalDevice(instance), AllocatorRequirements.NONE, null, out),
                "createDevice");
            device = out[0];
            queue = driver.deviceQueue(device);
            check(driver.createBuffer(device, BUFFER_SIZE, null, out), "createBuffer (source)");
            source = out[0];
            check(driver.createBuffer(device, BUFFER_SIZE, null, out), "createBuffer (destination)");
            destination = out[0];
            check(driver.createImage(device, SimDriver.FORMAT_R8G8B8A8_UNORM, IMAGE_EXTENT, IMAGE_EXTENT, null, out),
                "createImage");
            image = out[0];
            check(driver.createShaderModule(device, SimEnvironment.SPIRV_WORDS, SimEnvironment.SPIRV_WORDS.length,
                null, out), "createShaderModule");
            shaderModule = out[0];
            check(driver.createPipelineCache(device, null, out), "createPipelineCache");
            pipelineCache = out[0];
            check(driver.createGraphicsPipelines(device, pipelineCache, 1, new long[] { shaderModule }, null, out),
                "createGraphicsPipelines");
            pipeline = out[0];
            check(driver.createDescriptorPool(device, 1, 2, null, out), "createDescriptorPool");
            descriptorPool = out[0];
            check(driver.allocateDescriptorSets(device, descriptorPool, 1, out), "allocateDescriptorSets");
            descriptorSet = out[0];
            driver.updateDescriptorSet(descriptorSet, 0, source, 0, SimDriver.WHOLE_SIZE);
            driver.updateDescriptorSet(descriptorSet, 1, destination, 0, SimDriver.WHOLE_SIZE);
            check(driver.createCommandPool(device, null, out), "createCommandPool");
            commandPool = out[0];
            check(driver.allocateCommandBuffers(device, commandPool, 1, out), "allocateCommandBuffers");
            commandBuffer = out[0];
            check(driver.createFence(device, false, null, out), "createFence");
            fence = out[0];
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
        for (int i = 0; i < UPDATE_WORDS; i++)
        {
            updateWords[i] = i;
        }
    }

    private void check(final int result, final String call)
    {
        SimEnvironment.check(driver, result, call);
    }

    /**
     * Records, submits, waits for and resets one frame. Allocates no Java heap; asks the callbacks
     * for memory only while the command buffer's chunk chain is still too short (the first frame).
     *
     * @param frameNumber the frame number written by the commands.
     * @return {@link SimResult#SUCCESS}, or the failing result (e.g. out of host memory while recording).
     */
    public int frame(final int frameNumber)
    {
        final SimDriver driver = this.driver;
        final long commandBuffer = this.commandBuffer;
        updateWords[0] = frameNumber;
        driver.beginCommandBuffer(commandBuffer);
        driver.cmdFillBuffer(commandBuffer, source, 0, SimDriver.WHOLE_SIZE, frameNumber);
        driver.cmdUpdateBuffer(commandBuffer, destination, 0, updateWords, UPDATE_WORDS);
        driver.cmdCopyBuffer(commandBuffer, source, destination, COPY_OFFSET, COPY_OFFSET, COPY_SIZE);
        driver.cmdClearColorImage(commandBuffer, image, frameNumber);
        driver.cmdBindPipeline(commandBuffer, pipeline);
        driver.cmdBindDescriptorSet(commandBuffer, descriptorSet);
        driver.cmdDraw(commandBuffer, TRIANGLE_VERTICES, 1, 0, 0);
        final int ended = driver.endCommandBuffer(commandBuffer);
        if (SimResult.SUCCESS != ended)
        {
            driver.resetCommandBuffer(commandBuffer, 0);
            return ended;
        }
        driver.queueSubmit(queue, commandBuffer, fence);
        final int waited = driver.waitForFence(device, fence);
        driver.resetFence(device, fence);
        driver.resetCommandBuffer(commandBuffer, 0);
        return waited;
    }

    /**
     * Whether the memory holds what frame {@code frameNumber} wrote.
     *
     * @param frameNumber the last frame run.
     * @return {@code true} when the update, the copy and the clear all landed.
     */
    public boolean verify(final int frameNumber)
    {
        final long dst = driver.bufferMemory(destination);
        final long src = driver.bufferMemory(source);
        final long texels = driver.imageMemory(image);
        return memGetInt(dst) == frameNumber &&
            memGetInt(dst + (UPDATE_WORDS - 1) * Integer.BYTES) == UPDATE_WORDS - 1 &&
            memGetInt(dst + COPY_OFFSET) == frameNumber &&
            memGetInt(dst + COPY_OFFSET + COPY_SIZE - Integer.BYTES) == frameNumber &&
            memGetInt(dst + COPY_OFFSET + COPY_SIZE) == 0 &&
            memGetInt(src + BUFFER_SIZE - Integer.BYTES) == frameNumber &&
            memGetInt(texels) == frameNumber &&
            memGetInt(texels + (long)IMAGE_EXTENT * IMAGE_EXTENT * Integer.BYTES - Integer.BYTES) == frameNumber;
    }

    /**
     * The driver.
     *
     * @return the driver the workload runs on.
     */
    public SimDriver driver()
    {
        return driver;
    }

    /**
     * The queue frames are submitted to.
     *
     * @return its handle.
     */
    public long queue()
    {
        return queue;
    }

    /**
     * The command buffer recorded each frame.
     *
     * @return its handle.
     */
    public long commandBuffer()
    {
        return commandBuffer;
    }

    /** Destroys everything, in reverse order of creation. Safe to call twice. */
    @Override
    public void close()
    {
        driver.destroyFence(device, fence, null);
        driver.destroyCommandPool(device, commandPool, null);
        driver.destroyDescriptorPool(device, descriptorPool, null);
        driver.destroyPipeline(device, pipeline, null);
        driver.destroyPipelineCache(device, pipelineCache, null);
        driver.destroyShaderModule(device, shaderModule, null);
        driver.destroyImage(device, image, null);
        driver.destroyBuffer(device, destination, null);
        driver.destroyBuffer(device, source, null);
        driver.destroyDevice(device, null);
        driver.destroyInstance(instance, allocator);
        fence = commandPool = commandBuffer = descriptorPool = descriptorSet = pipeline = pipelineCache = 0;
        shaderModule = image = destination = source = device = instance = queue = 0;
    }
}
