package dev.hostalloc.sim.workload;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.sim.AllocatorRequirements;
import dev.hostalloc.sim.SimDriver;
import dev.hostalloc.sim.SimResult;

import java.util.Arrays;

/**
 * How to create and destroy one kind of driver-sim object with given callbacks, in a
 * {@link SimEnvironment}: what the CTS object-management tests and the allocation table run. For
 * pooled objects (descriptor sets, command buffers) {@link #prepare} makes the pool with the same
 * callbacks (pooled objects use their pool's), and the recipe's object is what {@link #create} makes
 * from it.
 */
public enum ObjectRecipe
{
    /** An instance (and its physical device). */
    INSTANCE(false)
    {
        @Override
        int createOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] out)
        {
            return env.driver().createInstance(allocator, out);
        }

        @Override
        void destroyOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long h)
        {
            env.driver().destroyInstance(h, allocator);
        }
    },
    /** A device (and its queue and shared tables) on the environment's instance. */
    DEVICE(false)
    {
        @Override
        int createOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] out)
        {
            final SimDriver driver = env.driver();
            return driver.createDevice(driver.physicalDevice(env.instance()), AllocatorRequirements.NONE, allocator, out);
        }

        @Override
        void destroyOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long h)
        {
            env.driver().destroyDevice(h, allocator);
        }
    },
    /** A 4 KiB buffer with its memory. */
    BUFFER(false)
    {
        @Override
        int createOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] out)
        {
            return env.driver().createBuffer(env.device(), BUFFER_SIZE, allocator, out);
        }

        @Override
        void destroyOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long h)
        {
            env.driver().destroyBuffer(env.device(), h, allocator);
        }
    },
    /** A 64x64 RGBA8 image with its texels. */
    IMAGE(false)
    {
        @Override
        int createOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] out)
        {
            return env.driver().createImage(env.device(), SimDriver.FORMAT_R8G8B8A8_UNORM, IMAGE_EXTENT, IMAGE_EXTENT,
                allocator, out);
        }

        @Override
        void destroyOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long h)
        {
            env.driver().destroyImage(env.device(), h, allocator);
        }
    },
    /** A shader module of five SPIR-V words. */
    SHADER_MODULE(false)
    {
        @Override
        int createOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] out)
        {
            return env.driver().createShaderModule(env.device(), SimEnvironment.SPIRV_WORDS,
                SimEnvironment.SPIRV_WORDS.length, allocator, out);
        }

        @Override
        void destroyOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long h)
        {
            env.driver().destroyShaderModule(env.device(), h, allocator);
        }
    },
    /** A pipeline cache. */
    PIPELINE_CACHE(false)
    {
        @Override
        int createOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] out)
        {
            return env.driver().createPipelineCache(env.device(), allocator, out);
        }

        @Override
        void destroyOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long h)
        {
            env.driver().destroyPipelineCache(env.device(), h, allocator);
        }
    },
    /** Graphics pipelines (no cache), several per call when asked. */
    PIPELINE(true)
    {
        @Override
        public int create(
            final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] handles,
            final int count)
        {
            final long[] modules = new long[count];
            Arrays.fill(modules, env.shaderModule());
            return env.driver().createGraphicsPipelines(env.device(), 0, count, modules, allocator, handles);
        }

        @Override
        void destroyOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long h)
        {
            env.driver().destroyPipeline(env.device(), h, allocator);
        }
    },
    /** A descriptor pool (room for {@link #MULTI_COUNT} sets of two bindings). */
    DESCRIPTOR_POOL(false)
    {
        @Override
        int createOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] out)
        {
            return env.driver().createDescriptorPool(env.device(), MULTI_COUNT, 2, allocator, out);
        }

        @Override
        void destroyOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long h)
        {
            env.driver().destroyDescriptorPool(env.device(), h, allocator);
        }
    },
    /** Descriptor sets from a pool made with the same callbacks. */
    DESCRIPTOR_SET(true)
    {
        @Override
        public int prepare(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state)
        {
            return DESCRIPTOR_POOL.createOne(env, allocator, state, state);
        }

        @Override
        public int create(
            final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] handles,
            final int count)
        {
            return env.driver().allocateDescriptorSets(env.device(), state[0], count, handles);
        }

        @Override
        void destroyOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long h)
        {
            env.driver().freeDescriptorSets(env.device(), state[0], 1, new long[] { h });
        }

        @Override
        public void unprepare(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state)
        {
            DESCRIPTOR_POOL.destroyOne(env, allocator, state, state[0]);
        }
    },
    /** A command pool. */
    COMMAND_POOL(false)
    {
        @Override
        int createOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] out)
        {
            return env.driver().createCommandPool(env.device(), allocator, out);
        }

        @Override
        void destroyOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long h)
        {
            env.driver().destroyCommandPool(env.device(), h, allocator);
        }
    },
    /** Command buffers from a pool made with the same callbacks. */
    COMMAND_BUFFER(true)
    {
        @Override
        public int prepare(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state)
        {
            return COMMAND_POOL.createOne(env, allocator, state, state);
        }

        @Override
        public int create(
            final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] handles,
            final int count)
        {
            return env.driver().allocateCommandBuffers(env.device(), state[0], count, handles);
        }

        @Override
        void destroyOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long h)
        {
            env.driver().freeCommandBuffers(env.device(), state[0], 1, new long[] { h });
        }

        @Override
        public void unprepare(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state)
        {
            COMMAND_POOL.destroyOne(env, allocator, state, state[0]);
        }
    },
    /** A fence. */
    FENCE(false)
    {
        @Override
        int createOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] out)
        {
            return env.driver().createFence(env.device(), false, allocator, out);
        }

        @Override
        void destroyOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long h)
        {
            env.driver().destroyFence(env.device(), h, allocator);
        }
    };

    /** Objects per call in the CTS's {@code alloc_callback_fail_multiple}. */
    public static final int MULTI_COUNT = 4;

    static final long BUFFER_SIZE = 4096;
    static final int IMAGE_EXTENT = 64;

    private final boolean multiObject;

    ObjectRecipe(final boolean multiObject)
    {
        this.multiObject = multiObject;
    }

    /**
     * Whether the create call makes several objects at once (pipelines, descriptor sets, command buffers).
     *
     * @return {@code true} for multi-object calls.
     */
    public boolean multiObject()
    {
        return multiObject;
    }

    /**
     * Makes what the object needs with the callbacks under test (the pool of pooled objects).
     *
     * @param env       the environment.
     * @param allocator the callbacks under test.
     * @param state     two longs of recipe state, passed to every later call.
     * @return a {@link SimResult} code.
     */
    public int prepare(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state)
    {
        return SimResult.SUCCESS;
    }

    /**
     * Creates {@code count} objects (1 unless {@link #multiObject()}).
     *
     * @param env       the environment.
     * @param allocator the callbacks under test.
     * @param state     the state {@link #prepare} filled.
     * @param handles   receives the handles.
     * @param count     number of objects.
     * @return the driver's result.
     * @throws IllegalArgumentException when {@code count} is not 1 for a single-object recipe.
     */
    public int create(
        final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] handles,
        final int count)
    {
        if (count != 1)
        {
            throw new IllegalArgumentException(name() + " creates one object per call, not " + count);
        }
        return createOne(env, allocator, state, handles);
    }

    int createOne(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] out)
    {
        throw new UnsupportedOperationException(name());
    }

    /**
     * Destroys the objects {@link #create} made (null handles are skipped).
     *
     * @param env       the environment.
     * @param allocator the callbacks given at create.
     * @param state     the recipe state.
     * @param handles   the handles.
     * @param count     number of handles.
     */
    public void destroy(
        final SimEnvironment env, final AllocationCallbacks allocator, final long[] state, final long[] handles,
        final int count)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            if (0 != handles[i])
            {
                destroyOne(env, allocator, state, handles[i]);
            }
        }
    }

    abstract void destroyOne(SimEnvironment env, AllocationCallbacks allocator, long[] state, long handle);

    /**
     * Destroys what {@link #prepare} made.
     *
     * @param env       the environment.
     * @param allocator the callbacks under test.
     * @param state     the recipe state.
     */
    public void unprepare(final SimEnvironment env, final AllocationCallbacks allocator, final long[] state)
    {
    }
}
