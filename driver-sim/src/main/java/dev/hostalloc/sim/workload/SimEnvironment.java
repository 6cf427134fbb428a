package dev.hostalloc.sim.workload;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.sim.AllocatorRequirements;
import dev.hostalloc.sim.SimDriver;
import dev.hostalloc.sim.SimResult;

/**
 * What an object under test needs around it: an instance, a device and a shader module, made with
 * the environment's callbacks (as the CTS's {@code Environment}), so that the callbacks under test
 * see only the object's own memory.
 */
public final class SimEnvironment implements AutoCloseable
{
    /** A minimal SPIR-V module: the magic number, version 1.0, generator, bound, schema. */
    static final int[] SPIRV_WORDS = { 0x07230203, 0x00010000, 0x000D000B, 8, 0 };

    private final SimDriver driver;
    private final AllocationCallbacks allocator;
    private final long instance;
    private final long device;
    private final long shaderModule;

    private SimEnvironment(
        final SimDriver driver, final AllocationCallbacks allocator, final long instance, final long device,
        final long shaderModule)
    {
        this.driver = driver;
        this.allocator = allocator;
        this.instance = instance;
        this.device = device;
        this.shaderModule = shaderModule;
    }

    /**
     * Creates an instance, a device and a shader module.
     *
     * @param driver    the driver.
     * @param allocator the environment's callbacks, or {@code null} for the driver's own.
     * @return the environment; close it to destroy them.
     * @throws IllegalStateException when a creation fails (naming the result and the driver's reason).
     */
    public static SimEnvironment create(final SimDriver driver, final AllocationCallbacks allocator)
    {
        final long[] out = new long[1];
        check(driver, driver.createInstance(allocator, out), "createInstance");
        final long instance = out[0];
        final int deviceResult = driver.createDevice(driver.physicalDevice(instance), AllocatorRequirements.NONE,
            allocator, out);
        if (SimResult.SUCCESS != deviceResult)
        {
            driver.destroyInstance(instance, allocator);
            check(driver, deviceResult, "createDevice");
        }
        final long device = out[0];
        final int moduleResult = driver.createShaderModule(device, SPIRV_WORDS, SPIRV_WORDS.length, allocator, out);
        if (SimResult.SUCCESS != moduleResult)
        {
            driver.destroyDevice(device, allocator);
            driver.destroyInstance(instance, allocator);
            check(driver, moduleResult, "createShaderModule");
        }
        return new SimEnvironment(driver, allocator, instance, device, out[0]);
    }

    static void check(final SimDriver driver, final int result, final String call)
    {
        if (SimResult.SUCCESS != result)
        {
            throw new IllegalStateException(call + " returned " + SimResult.name(result) + ": " +
                driver.lastFailureReason());
        }
    }

    /**
     * The driver.
     *
     * @return the driver the environment was made on.
     */
    public SimDriver driver()
    {
        return driver;
    }

    /**
     * The environment's callbacks.
     *
     * @return the callbacks, or {@code null} for the driver's own.
     */
    public AllocationCallbacks allocator()
    {
        return allocator;
    }

    /**
     * The instance.
     *
     * @return its handle.
     */
    public long instance()
    {
        return instance;
    }

    /**
     * The device.
     *
     * @return its handle.
     */
    public long device()
    {
        return device;
    }

    /**
     * A shader module for pipelines.
     *
     * @return its handle.
     */
    public long shaderModule()
    {
        return shaderModule;
    }

    /** Destroys the shader module, the device and the instance. */
    @Override
    public void close()
    {
        driver.destroyShaderModule(device, shaderModule, allocator);
        driver.destroyDevice(device, allocator);
        driver.destroyInstance(instance, allocator);
    }
}
