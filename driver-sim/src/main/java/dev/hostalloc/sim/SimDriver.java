package dev.hostalloc.sim;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.InternalAllocationType;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.Violation;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.sim.layout.BufferDescriptor;
import dev.hostalloc.sim.layout.CommandBufferDescriptor;
import dev.hostalloc.sim.layout.CommandChunkDescriptor;
import dev.hostalloc.sim.layout.CommandDescriptor;
import dev.hostalloc.sim.layout.CommandPoolDescriptor;
import dev.hostalloc.sim.layout.DescriptorPoolDescriptor;
import dev.hostalloc.sim.layout.DescriptorSetDescriptor;
import dev.hostalloc.sim.layout.DeviceDescriptor;
import dev.hostalloc.sim.layout.DeviceTablesDescriptor;
import dev.hostalloc.sim.layout.FenceDescriptor;
import dev.hostalloc.sim.layout.ImageDescriptor;
import dev.hostalloc.sim.layout.InstanceDescriptor;
import dev.hostalloc.sim.layout.PhysicalDeviceDescriptor;
import dev.hostalloc.sim.layout.PipelineCacheDescriptor;
import dev.hostalloc.sim.layout.PipelineDescriptor;
import dev.hostalloc.sim.layout.QueueDescriptor;
import dev.hostalloc.sim.layout.ShaderModuleDescriptor;
import dev.hostalloc.system.SystemAllocator;

import static dev.hostalloc.api.SystemAllocationScope.CACHE;
import static dev.hostalloc.api.SystemAllocationScope.COMMAND;
import static dev.hostalloc.api.SystemAllocationScope.DEVICE;
import static dev.hostalloc.api.SystemAllocationScope.INSTANCE;
import static dev.hostalloc.api.SystemAllocationScope.OBJECT;
import static dev.hostalloc.sim.HandleChecks.expect;
import static dev.hostalloc.sim.HandleChecks.expectChild;
import static dev.hostalloc.sim.HandleChecks.expectPooled;
import static dev.hostalloc.sim.HandleChecks.requireOutput;
import static dev.hostalloc.sim.layout.ObjectHeaderDescriptor.BLOCK_LENGTH_OFFSET;
import static dev.hostalloc.sim.layout.ObjectHeaderDescriptor.CALLBACKS_ID_OFFSET;
import static dev.hostalloc.sim.layout.ObjectHeaderDescriptor.GIVEN_CALLBACKS_ID_OFFSET;
import static dev.hostalloc.sim.layout.ObjectHeaderDescriptor.OBJECT_ALIGNMENT;
import static dev.hostalloc.sim.layout.ObjectHeaderDescriptor.PARENT_OFFSET;
import static dev.hostalloc.sim.layout.ObjectHeaderDescriptor.TYPE_TAG_OFFSET;
import static org.lwjgl.system.MemoryUtil.memCopy;
import static org.lwjgl.system.MemoryUtil.memGetInt;
import static org.lwjgl.system.MemoryUtil.memGetLong;
import static org.lwjgl.system.MemoryUtil.memPutByte;
import static org.lwjgl.system.MemoryUtil.memPutInt;
import static org.lwjgl.system.MemoryUtil.memPutLong;
import static org.lwjgl.system.MemoryUtil.memSet;

/**
 * A simulated Vulkan-style driver whose every byte of object state lives in memory from
 * {@link AllocationCallbacks}: the reference consumer of the callbacks, following every rule of the
 * spec's Host Memory chapter, deterministically.
 *
 * <p>The API mirrors Vulkan's: handles are {@code long}s (the address of the object's block, see
 * {@code dev.hostalloc.sim.layout}), results are {@link SimResult} codes, created handles are written
 * to caller-provided {@code long[]} outputs (element 0, or elements {@code 0..count-1}).
 *
 * <ul>
 *   <li>Most-specific-allocator rule: each {@code create*} takes optional callbacks; the object's
 *       memory comes from them, else from the device's, else the instance's, else the driver's own
 *       (the {@code implementation} callbacks of the constructor). Pooled objects (descriptor sets,
 *       command buffers and their command chunks) use their pool's.</li>
 *   <li>Scopes: COMMAND memory is freed before the call returns; OBJECT lives with the object; CACHE
 *       with the pipeline cache; DEVICE (device, queue, shared tables) and INSTANCE (instance,
 *       physical device) with their parents.</li>
 *   <li>Out of host memory: any needed allocation returning 0 makes the call return
 *       {@link SimResult#ERROR_OUT_OF_HOST_MEMORY} with everything it made released; multi-object
 *       calls set every output handle to 0. A pipeline-cache insertion that fails is skipped without
 *       an error (the driver can live without it).</li>
 *   <li>Compatibility on destroy: driver-sim records which callbacks were given at create and reports
 *       a destroy with none, other or unexpected callbacks to the {@link ViolationHandler} as
 *       {@link Violation#INCOMPATIBLE_ALLOCATOR} or {@link Violation#UNEXPECTED_ALLOCATOR}, naming the
 *       VUID pair; it frees with the callbacks that made the memory either way.</li>
 *   <li>Compliance levels: {@link #createDevice} takes {@link AllocatorRequirements}; callbacks whose
 *       traits do not meet them fail the creation with {@link SimResult#ERROR_FEATURE_NOT_PRESENT} and
 *       a reason in {@link #lastFailureReason()}.</li>
 * </ul>
 *
 * <p>Recording ({@code cmd*}), {@link #queueSubmit}, fences and resets allocate no Java heap;
 * recording allocates host memory only when a command buffer's chunk chain is too short, and a
 * reset keeps the chain, so a steady frame loop allocates nothing. Misuse (a wrong handle type, a
 * range outside a buffer, recording outside begin/end) throws {@link IllegalArgumentException} or
 * {@link IllegalStateException}. Like Vulkan, the driver does not lock: calls on the same object
 * must be externally synchronized.
 */
public final class SimDriver
{
    /** {@code VK_WHOLE_SIZE}: the rest of the buffer from the offset. */
    public static final long WHOLE_SIZE = -1;

    /** Flag for {@link #resetCommandBuffer} and {@link #resetCommandPool}: free the command chunks too. */
    public static final int RESET_RELEASE_RESOURCES = 1;

    /** {@code VK_FORMAT_R8_UNORM}: 1 byte per texel. */
    public static final int FORMAT_R8_UNORM = 9;

    /** {@code VK_FORMAT_R8G8B8A8_UNORM}: 4 bytes per texel. */
    public static final int FORMAT_R8G8B8A8_UNORM = 37;

    /** {@code VK_FORMAT_B8G8R8A8_UNORM}: 4 bytes per texel. */
    public static final int FORMAT_B8G8R8A8_UNORM = 44;

    /** {@code VK_FORMAT_R32_SFLOAT}: 4 bytes per texel. */
    public static final int FORMAT_R32_SFLOAT = 100;

    /** {@code VK_FORMAT_R32G32B32A32_SFLOAT}: 16 bytes per texel. */
    public static final int FORMAT_R32G32B32A32_SFLOAT = 109;

    /** The API version instances report (Vulkan 1.3). */
    public static final int API_VERSION = (1 << 22) | (3 << 12);

    /** Largest buffer a device accepts; larger ones fail with {@link SimResult#ERROR_OUT_OF_DEVICE_MEMORY}. */
    public static final long MAX_BUFFER_SIZE = 1L << 30;

    /** Largest image width or height. */
    public static final int MAX_IMAGE_DIMENSION = 16384;

    /** Largest {@link #cmdUpdateBuffer} size, as Vulkan's 65536. */
    public static final int MAX_UPDATE_BUFFER_SIZE = 65536;

    /** Largest number of bindings per descriptor set. */
    public static final int MAX_DESCRIPTOR_SET_BINDINGS = 32;

    private static final int[] FORMATS = { FORMAT_R8_UNORM, FORMAT_R8G8B8A8_UNORM, FORMAT_B8G8R8A8_UNORM,
        FORMAT_R32_SFLOAT, FORMAT_R32G32B32A32_SFLOAT };
    private static final int[] TEXEL_SIZES = { 1, 4, 4, 4, 16 };
    private static final int VENDOR_ID = 0x10005; // VK_VENDOR_ID_MESA, as a CPU driver
    private static final int DEVICE_ID = 0x51A;
    private static final byte[] DEVICE_NAME = "driver-sim".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long SCRATCH_ALIGNMENT = 8;
    private static final int FILL_WORD = Integer.BYTES;

    private final CallbacksRegistry registry;
    private final ViolationHandler violationHandler;
    private final DriverStatistics statistics = new DriverStatistics();
    private volatile String lastFailureReason;

    /**
     * A driver whose own mechanism is a {@link SystemAllocator}.
     *
     * @param violationHandler where misuse of the callbacks (incompatible allocators on destroy) is reported.
     */
    public SimDriver(final ViolationHandler violationHandler)
    {
        this(new SystemAllocator(violationHandler), violationHandler);
    }

    /**
     * A driver with the given own mechanism.
     *
     * @param implementation   the callbacks used when no object in the chain was given any (Vulkan's
     *                         "implementation's own allocation mechanism").
     * @param violationHandler where misuse is reported.
     * @throws NullPointerException when either is {@code null}.
     */
    public SimDriver(final AllocationCallbacks implementation, final ViolationHandler violationHandler)
    {
        if (null == implementation || null == violationHandler)
        {
            throw new NullPointerException(null == implementation ? "implementation" : "violationHandler");
        }
        this.registry = new CallbacksRegistry(implementation);
        this.violationHandler = violationHandler;
    }

    /**
     * What the driver has asked of the callbacks so far.
     *
     * @return the live statistics (not a copy; use {@link DriverStatistics#snapshot()} for one).
     */
    public DriverStatistics statistics()
    {
        return statistics;
    }

    /**
     * Why the last failing call of this driver failed.
     *
     * @return a sentence, or {@code null} when no call has failed yet.
     */
    public String lastFailureReason()
    {
        return lastFailureReason;
    }

    // ---------------------------------------------------------------------------------------------
    // Instance and physical device

    /**
     * {@code vkCreateInstance}: the instance and its physical device (INSTANCE scope), using a
     * COMMAND-scope scratch freed before returning.
     *
     * @param allocator the instance's callbacks, or {@code null} for the driver's own.
     * @param pInstance receives the handle in element 0 (0 on failure).
     * @return {@link SimResult#SUCCESS} or {@link SimResult#ERROR_OUT_OF_HOST_MEMORY}.
     */
    public int createInstance(final AllocationCallbacks allocator, final long[] pInstance)
    {
        requireOutput(pInstance, 1);
        pInstance[0] = 0;
        final int given = registry.acquire(allocator);
        final int callbacks = CallbacksRegistry.NONE != given ? given : CallbacksRegistry.IMPLEMENTATION;
        registry.retain(callbacks);

        final long scratch = allocate(callbacks, InstanceDescriptor.CREATE_SCRATCH_LENGTH, SCRATCH_ALIGNMENT,
            COMMAND, ObjectType.INSTANCE);
        if (0 == scratch)
        {
            return outOfHostMemory(given, callbacks, "createInstance: the COMMAND-scope scratch");
        }
        final long instance = allocateObject(callbacks, given, InstanceDescriptor.LENGTH, INSTANCE,
            ObjectType.INSTANCE, 0);
        if (0 == instance)
        {
            free(callbacks, scratch, InstanceDescriptor.CREATE_SCRATCH_LENGTH, COMMAND, ObjectType.INSTANCE);
            return outOfHostMemory(given, callbacks, "createInstance: the instance block");
        }
        final long physical = allocateObject(callbacks, CallbacksRegistry.NONE, PhysicalDeviceDescriptor.LENGTH,
            INSTANCE, ObjectType.PHYSICAL_DEVICE, instance);
        if (0 == physical)
        {
            freeBlock(instance, INSTANCE, ObjectType.INSTANCE);
            free(callbacks, scratch, InstanceDescriptor.CREATE_SCRATCH_LENGTH, COMMAND, ObjectType.INSTANCE);
            return outOfHostMemory(given, callbacks, "createInstance: the physical device block");
        }
        memPutInt(physical + PhysicalDeviceDescriptor.VENDOR_ID_OFFSET, VENDOR_ID);
        memPutInt(physical + PhysicalDeviceDescriptor.DEVICE_ID_OFFSET, DEVICE_ID);
        memPutLong(physical + PhysicalDeviceDescriptor.HEAP_SIZE_OFFSET, MAX_BUFFER_SIZE);
        for (int i = 0; i < DEVICE_NAME.length; i++)
        {
            memPutByte(physical + PhysicalDeviceDescriptor.NAME_OFFSET + i, DEVICE_NAME[i]);
        }
        memPutLong(instance + InstanceDescriptor.PHYSICAL_DEVICE_OFFSET, physical);
        memPutInt(instance + InstanceDescriptor.API_VERSION_OFFSET, API_VERSION);
        free(callbacks, scratch, InstanceDescriptor.CREATE_SCRATCH_LENGTH, COMMAND, ObjectType.INSTANCE);
        pInstance[0] = instance;
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkDestroyInstance}. A null handle is ignored.
     *
     * @param instance  the instance; its devices must be destroyed first.
     * @param allocator callbacks compatible with the ones given at create ({@code null} if none were).
     * @throws IllegalStateException when a device of the instance is still alive
     *                               (VUID-vkDestroyInstance-instance-00629).
     */
    public void destroyInstance(final long instance, final AllocationCallbacks allocator)
    {
        if (0 == instance)
        {
            return;
        }
        expect(instance, ObjectType.INSTANCE, "instance");
        final int devices = memGetInt(instance + InstanceDescriptor.DEVICE_COUNT_OFFSET);
        if (devices != 0)
        {
            throw new IllegalStateException(
                "VUID-vkDestroyInstance-instance-00629: " + devices + " device(s) of the instance are still alive");
        }
        final long physical = memGetLong(instance + InstanceDescriptor.PHYSICAL_DEVICE_OFFSET);
        freeBlock(physical, INSTANCE, ObjectType.PHYSICAL_DEVICE);
        destroyObject(instance, INSTANCE, ObjectType.INSTANCE, allocator);
    }

    /**
     * {@code vkEnumeratePhysicalDevices} for driver-sim's one physical device.
     *
     * @param instance the instance.
     * @return the physical device handle.
     */
    public long physicalDevice(final long instance)
    {
        expect(instance, ObjectType.INSTANCE, "instance");
        return memGetLong(instance + InstanceDescriptor.PHYSICAL_DEVICE_OFFSET);
    }

    // ---------------------------------------------------------------------------------------------
    // Device and queue

    /**
     * {@code vkCreateDevice}: the device, its queue and its shared tables (formats, limits), all
     * DEVICE scope from the device's callbacks (given, else the instance's).
     *
     * @param physicalDevice from {@link #physicalDevice}.
     * @param requirements   what the device requires of every callbacks' traits; {@link AllocatorRequirements#NONE}
     *                       for a standard device.
     * @param allocator      the device's callbacks, or {@code null} to use the instance's.
     * @param pDevice        receives the handle in element 0 (0 on failure).
     * @return {@link SimResult#SUCCESS}, {@link SimResult#ERROR_FEATURE_NOT_PRESENT} when the callbacks do
     *         not meet {@code requirements} (reason in {@link #lastFailureReason()}), or
     *         {@link SimResult#ERROR_OUT_OF_HOST_MEMORY}.
     */
    public int createDevice(
        final long physicalDevice,
        final AllocatorRequirements requirements,
        final AllocationCallbacks allocator,
        final long[] pDevice)
    {
        requireOutput(pDevice, 1);
        pDevice[0] = 0;
        expect(physicalDevice, ObjectType.PHYSICAL_DEVICE, "physicalDevice");
        if (null == requirements)
        {
            throw new NullPointerException("requirements (use AllocatorRequirements.NONE)");
        }
        final long instance = memGetLong(physicalDevice + PARENT_OFFSET);
        final int given = registry.acquire(allocator);
        final int callbacks = CallbacksRegistry.NONE != given ? given : callbacksId(instance);
        registry.retain(callbacks);

        final AllocationCallbacks chosen = registry.get(callbacks);
        final String unmet = requirements.unmetBy(chosen.traits());
        if (null != unmet)
        {
            release(given, callbacks);
            lastFailureReason = "createDevice: the device's callbacks (" +
                (CallbacksRegistry.NONE != given ? "given" : "the instance's") + ", " + chosen.getClass().getSimpleName() +
                " declaring " + chosen.traits() + ") do not meet " + requirements + ": " + unmet;
            return SimResult.ERROR_FEATURE_NOT_PRESENT;
        }

        final long device = allocateObject(callbacks, given, DeviceDescriptor.LENGTH, DEVICE, ObjectType.DEVICE,
            physicalDevice);
        if (0 == device)
        {
            return outOfHostMemory(given, callbacks, "createDevice: the device block");
        }
        final int tablesLength = DeviceTablesDescriptor.length(FORMATS.length);
        final long tables = allocate(callbacks, tablesLength, OBJECT_ALIGNMENT, DEVICE, ObjectType.DEVICE);
        if (0 == tables)
        {
            freeBlock(device, DEVICE, ObjectType.DEVICE);
            return outOfHostMemory(given, callbacks, "createDevice: the shared format and limit tables");
        }
        final long queue = allocateObject(callbacks, CallbacksRegistry.NONE, QueueDescriptor.LENGTH, DEVICE,
            ObjectType.QUEUE, device);
        if (0 == queue)
        {
            free(callbacks, tables, tablesLength, DEVICE, ObjectType.DEVICE);
            freeBlock(device, DEVICE, ObjectType.DEVICE);
            return outOfHostMemory(given, callbacks, "createDevice: the queue block");
        }
        initTables(tables);
        memPutLong(device + DeviceDescriptor.INSTANCE_OFFSET, instance);
        memPutLong(device + DeviceDescriptor.TABLES_OFFSET, tables);
        memPutLong(device + DeviceDescriptor.QUEUE_OFFSET, queue);
        memPutInt(device + DeviceDescriptor.REQUIREMENT_FLAGS_OFFSET, requirements.flags());
        addToCount(instance + InstanceDescriptor.DEVICE_COUNT_OFFSET, 1);
        pDevice[0] = device;
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkDestroyDevice}: frees the queue, the shared tables and the device. A null handle is ignored.
     *
     * @param device    the device; its child objects must be destroyed first.
     * @param allocator callbacks compatible with the ones given at create ({@code null} if none were).
     * @throws IllegalStateException when a child object is still alive (VUID-vkDestroyDevice-device-05137).
     */
    public void destroyDevice(final long device, final AllocationCallbacks allocator)
    {
        if (0 == device)
        {
            return;
        }
        expect(device, ObjectType.DEVICE, "device");
        final int children = memGetInt(device + DeviceDescriptor.CHILD_COUNT_OFFSET);
        if (children != 0)
        {
            throw new IllegalStateException(
                "VUID-vkDestroyDevice-device-05137: " + children + " child object(s) of the device are still alive");
        }
        final int callbacks = callbacksId(device);
        freeBlock(memGetLong(device + DeviceDescriptor.QUEUE_OFFSET), DEVICE, ObjectType.QUEUE);
        free(callbacks, memGetLong(device + DeviceDescriptor.TABLES_OFFSET), DeviceTablesDescriptor.length(FORMATS.length),
            DEVICE, ObjectType.DEVICE);
        addToCount(memGetLong(device + DeviceDescriptor.INSTANCE_OFFSET) + InstanceDescriptor.DEVICE_COUNT_OFFSET, -1);
        destroyObject(device, DEVICE, ObjectType.DEVICE, allocator);
    }

    /**
     * {@code vkGetDeviceQueue} for the device's one queue.
     *
     * @param device the device.
     * @return the queue handle.
     */
    public long deviceQueue(final long device)
    {
        expect(device, ObjectType.DEVICE, "device");
        return memGetLong(device + DeviceDescriptor.QUEUE_OFFSET);
    }

    /**
     * The requirements the device was created with.
     *
     * @param device the device.
     * @return its requirements.
     */
    public AllocatorRequirements deviceRequirements(final long device)
    {
        expect(device, ObjectType.DEVICE, "device");
        return AllocatorRequirements.fromFlags(memGetInt(device + DeviceDescriptor.REQUIREMENT_FLAGS_OFFSET));
    }

    // ---------------------------------------------------------------------------------------------
    // Buffers and images

    /**
     * {@code vkCreateBuffer} with bound host-visible memory: two OBJECT-scope blocks (object and
     * memory, zero-filled).
     *
     * @param device    the device.
     * @param size      bytes, positive.
     * @param allocator the buffer's callbacks, or {@code null} for the device's.
     * @param pBuffer   receives the handle in element 0 (0 on failure).
     * @return {@link SimResult#SUCCESS}, {@link SimResult#ERROR_OUT_OF_DEVICE_MEMORY} above
     *         {@link #MAX_BUFFER_SIZE}, {@link SimResult#ERROR_FEATURE_NOT_PRESENT} for callbacks not
     *         meeting the device's requirements, or {@link SimResult#ERROR_OUT_OF_HOST_MEMORY}.
     * @throws IllegalArgumentException when {@code size} is not positive.
     */
    public int createBuffer(final long device, final long size, final AllocationCallbacks allocator, final long[] pBuffer)
    {
        requireOutput(pBuffer, 1);
        pBuffer[0] = 0;
        expect(device, ObjectType.DEVICE, "device");
        if (size <= 0)
        {
            throw new IllegalArgumentException("VUID-VkBufferCreateInfo-size-00912: buffer size must be positive: " + size);
        }
        if (size > memGetLong(tables(device) + DeviceTablesDescriptor.MAX_BUFFER_SIZE_OFFSET))
        {
            lastFailureReason = "createBuffer: " + size + " bytes is above the device's maxBufferSize " + MAX_BUFFER_SIZE;
            return SimResult.ERROR_OUT_OF_DEVICE_MEMORY;
        }
        final int met = checkRequirements(device, allocator, "createBuffer");
        if (SimResult.SUCCESS != met)
        {
            return met;
        }
        final int given = registry.acquire(allocator);
        final int callbacks = CallbacksRegistry.NONE != given ? given : callbacksId(device);
        registry.retain(callbacks);
        final long buffer = allocateObject(callbacks, given, BufferDescriptor.LENGTH, OBJECT, ObjectType.BUFFER, device);
        if (0 == buffer)
        {
            return outOfHostMemory(given, callbacks, "createBuffer: the buffer block");
        }
        final long memory = allocate(callbacks, size, BufferDescriptor.MEMORY_ALIGNMENT, OBJECT, ObjectType.BUFFER);
        if (0 == memory)
        {
            freeBlock(buffer, OBJECT, ObjectType.BUFFER);
            return outOfHostMemory(given, callbacks, "createBuffer: the buffer's memory");
        }
        memSet(memory, 0, size);
        memPutLong(buffer + BufferDescriptor.SIZE_OFFSET, size);
        memPutLong(buffer + BufferDescriptor.MEMORY_OFFSET, memory);
        addChild(device, 1);
        pBuffer[0] = buffer;
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkDestroyBuffer}: frees its memory and block. A null handle is ignored.
     *
     * @param device    the buffer's device.
     * @param buffer    the buffer.
     * @param allocator callbacks compatible with the ones given at create ({@code null} if none were).
     */
    public void destroyBuffer(final long device, final long buffer, final AllocationCallbacks allocator)
    {
        if (0 == buffer)
        {
            return;
        }
        expectChild(device, buffer, ObjectType.BUFFER, "buffer");
        free(callbacksId(buffer), memGetLong(buffer + BufferDescriptor.MEMORY_OFFSET),
            memGetLong(buffer + BufferDescriptor.SIZE_OFFSET), OBJECT, ObjectType.BUFFER);
        destroyObject(buffer, OBJECT, ObjectType.BUFFER, allocator);
        addChild(device, -1);
    }

    /**
     * The address of a buffer's host-visible memory ({@code vkMapMemory}); valid until the buffer is destroyed.
     *
     * @param buffer the buffer.
     * @return the address of {@link #bufferSize} bytes.
     */
    public long bufferMemory(final long buffer)
    {
        expect(buffer, ObjectType.BUFFER, "buffer");
        return memGetLong(buffer + BufferDescriptor.MEMORY_OFFSET);
    }

    /**
     * A buffer's size.
     *
     * @param buffer the buffer.
     * @return its size in bytes.
     */
    public long bufferSize(final long buffer)
    {
        expect(buffer, ObjectType.BUFFER, "buffer");
        return memGetLong(buffer + BufferDescriptor.SIZE_OFFSET);
    }

    /**
     * {@code vkCreateImage} (2D, linear, host-visible): object and texel memory, both OBJECT scope.
     * The texel size comes from the device's shared format table.
     *
     * @param device    the device.
     * @param format    a {@code FORMAT_*} constant.
     * @param width     1..{@link #MAX_IMAGE_DIMENSION}.
     * @param height    1..{@link #MAX_IMAGE_DIMENSION}.
     * @param allocator the image's callbacks, or {@code null} for the device's.
     * @param pImage    receives the handle in element 0 (0 on failure).
     * @return {@link SimResult#SUCCESS}, {@link SimResult#ERROR_FORMAT_NOT_SUPPORTED},
     *         {@link SimResult#ERROR_FEATURE_NOT_PRESENT} or {@link SimResult#ERROR_OUT_OF_HOST_MEMORY}.
     * @throws IllegalArgumentException when a dimension is out of range.
     */
    public int createImage(
        final long device,
        final int format,
        final int width,
        final int height,
        final AllocationCallbacks allocator,
        final long[] pImage)
    {
        requireOutput(pImage, 1);
        pImage[0] = 0;
        expect(device, ObjectType.DEVICE, "device");
        final long tables = tables(device);
        final int maxDimension = memGetInt(tables + DeviceTablesDescriptor.MAX_IMAGE_DIMENSION_OFFSET);
        if (width < 1 || height < 1 || width > maxDimension || height > maxDimension)
        {
            throw new IllegalArgumentException(
                "image extent " + width + "x" + height + " is outside 1.." + maxDimension + " (maxImageDimension2D)");
        }
        final int texelSize = texelSize(tables, format);
        if (0 == texelSize)
        {
            lastFailureReason = "createImage: format " + format + " is not in the device's format table";
            return SimResult.ERROR_FORMAT_NOT_SUPPORTED;
        }
        final int met = checkRequirements(device, allocator, "createImage");
        if (SimResult.SUCCESS != met)
        {
            return met;
        }
        final int given = registry.acquire(allocator);
        final int callbacks = CallbacksRegistry.NONE != given ? given : callbacksId(device);
        registry.retain(callbacks);
        final long image = allocateObject(callbacks, given, ImageDescriptor.LENGTH, OBJECT, ObjectType.IMAGE, device);
        if (0 == image)
        {
            return outOfHostMemory(given, callbacks, "createImage: the image block");
        }
        final long size = (long)width * height * texelSize;
        final long memory = allocate(callbacks, size, ImageDescriptor.MEMORY_ALIGNMENT, OBJECT, ObjectType.IMAGE);
        if (0 == memory)
        {
            freeBlock(image, OBJECT, ObjectType.IMAGE);
            return outOfHostMemory(given, callbacks, "createImage: the image's texel memory");
        }
        memSet(memory, 0, size);
        memPutInt(image + ImageDescriptor.FORMAT_OFFSET, format);
        memPutInt(image + ImageDescriptor.WIDTH_OFFSET, width);
        memPutInt(image + ImageDescriptor.HEIGHT_OFFSET, height);
        memPutInt(image + ImageDescriptor.TEXEL_SIZE_OFFSET, texelSize);
        memPutLong(image + ImageDescriptor.MEMORY_OFFSET, memory);
        memPutLong(image + ImageDescriptor.MEMORY_SIZE_OFFSET, size);
        addChild(device, 1);
        pImage[0] = image;
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkDestroyImage}. A null handle is ignored.
     *
     * @param device    the image's device.
     * @param image     the image.
     * @param allocator callbacks compatible with the ones given at create ({@code null} if none were).
     */
    public void destroyImage(final long device, final long image, final AllocationCallbacks allocator)
    {
        if (0 == image)
        {
            return;
        }
        expectChild(device, image, ObjectType.IMAGE, "image");
        free(callbacksId(image), memGetLong(image + ImageDescriptor.MEMORY_OFFSET),
            memGetLong(image + ImageDescriptor.MEMORY_SIZE_OFFSET), OBJECT, ObjectType.IMAGE);
        destroyObject(image, OBJECT, ObjectType.IMAGE, allocator);
        addChild(device, -1);
    }

    /**
     * The address of an image's texels (rows of {@code width * texelSize} bytes, no padding).
     *
     * @param image the image.
     * @return the address of {@link #imageMemorySize} bytes.
     */
    public long imageMemory(final long image)
    {
        expect(image, ObjectType.IMAGE, "image");
        return memGetLong(image + ImageDescriptor.MEMORY_OFFSET);
    }

    /**
     * The size of an image's texel memory.
     *
     * @param image the image.
     * @return width x height x texel size, in bytes.
     */
    public long imageMemorySize(final long image)
    {
        expect(image, ObjectType.IMAGE, "image");
        return memGetLong(image + ImageDescriptor.MEMORY_SIZE_OFFSET);
    }

    // ---------------------------------------------------------------------------------------------
    // Shader modules, pipeline caches, pipelines

    /**
     * {@code vkCreateShaderModule}: one OBJECT-scope block holding a copy of the code, using a
     * COMMAND-scope parse table of the code's size, freed before returning.
     *
     * @param device    the device.
     * @param code      SPIR-V words; the first must be {@link ShaderModuleDescriptor#SPIRV_MAGIC}.
     * @param wordCount words of {@code code} to use, at least 1.
     * @param allocator the module's callbacks, or {@code null} for the device's.
     * @param pModule   receives the handle in element 0 (0 on failure).
     * @return {@link SimResult#SUCCESS}, {@link SimResult#ERROR_FEATURE_NOT_PRESENT} or
     *         {@link SimResult#ERROR_OUT_OF_HOST_MEMORY}.
     * @throws IllegalArgumentException when the code is empty or not SPIR-V.
     */
    public int createShaderModule(
        final long device, final int[] code, final int wordCount, final AllocationCallbacks allocator, final long[] pModule)
    {
        requireOutput(pModule, 1);
        pModule[0] = 0;
        expect(device, ObjectType.DEVICE, "device");
        if (wordCount < 1 || wordCount > code.length || code[0] != ShaderModuleDescriptor.SPIRV_MAGIC)
        {
            throw new IllegalArgumentException("VUID-VkShaderModuleCreateInfo-pCode-08736: code must be SPIR-V " +
                "(first word 0x07230203) with 1.." + code.length + " words, got " + wordCount + " words");
        }
        final int met = checkRequirements(device, allocator, "createShaderModule");
        if (SimResult.SUCCESS != met)
        {
            return met;
        }
        final int given = registry.acquire(allocator);
        final int callbacks = CallbacksRegistry.NONE != given ? given : callbacksId(device);
        registry.retain(callbacks);
        final long codeSize = (long)wordCount * Integer.BYTES;
        final long parseTable = allocate(callbacks, codeSize, SCRATCH_ALIGNMENT, COMMAND, ObjectType.SHADER_MODULE);
        if (0 == parseTable)
        {
            return outOfHostMemory(given, callbacks, "createShaderModule: the COMMAND-scope parse table");
        }
        final long module = allocateObject(callbacks, given, ShaderModuleDescriptor.length(wordCount), OBJECT,
            ObjectType.SHADER_MODULE, device);
        if (0 == module)
        {
            free(callbacks, parseTable, codeSize, COMMAND, ObjectType.SHADER_MODULE);
            return outOfHostMemory(given, callbacks, "createShaderModule: the module block");
        }
        long hash = FNV_OFFSET_BASIS;
        for (int i = 0; i < wordCount; i++)
        {
            final int word = code[i];
            memPutInt(parseTable + (long)i * Integer.BYTES, word); // the "parse": words in host order
            memPutInt(module + ShaderModuleDescriptor.CODE_OFFSET + (long)i * Integer.BYTES, word);
            hash = (hash ^ (word & 0xFFFFFFFFL)) * FNV_PRIME;
        }
        memPutLong(module + ShaderModuleDescriptor.CODE_SIZE_OFFSET, codeSize);
        memPutLong(module + ShaderModuleDescriptor.HASH_OFFSET, hash);
        free(callbacks, parseTable, codeSize, COMMAND, ObjectType.SHADER_MODULE);
        addChild(device, 1);
        pModule[0] = module;
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkDestroyShaderModule}. A null handle is ignored.
     *
     * @param device       the module's device.
     * @param shaderModule the module.
     * @param allocator    callbacks compatible with the ones given at create ({@code null} if none were).
     */
    public void destroyShaderModule(final long device, final long shaderModule, final AllocationCallbacks allocator)
    {
        if (0 == shaderModule)
        {
            return;
        }
        expectChild(device, shaderModule, ObjectType.SHADER_MODULE, "shaderModule");
        destroyObject(shaderModule, OBJECT, ObjectType.SHADER_MODULE, allocator);
        addChild(device, -1);
    }

    /**
     * {@code vkCreatePipelineCache}: object and entry table, both CACHE scope.
     *
     * @param device    the device.
     * @param allocator the cache's callbacks, or {@code null} for the device's.
     * @param pCache    receives the handle in element 0 (0 on failure).
     * @return {@link SimResult#SUCCESS}, {@link SimResult#ERROR_FEATURE_NOT_PRESENT} or
     *         {@link SimResult#ERROR_OUT_OF_HOST_MEMORY}.
     */
    public int createPipelineCache(final long device, final AllocationCallbacks allocator, final long[] pCache)
    {
        requireOutput(pCache, 1);
        pCache[0] = 0;
        expect(device, ObjectType.DEVICE, "device");
        final int met = checkRequirements(device, allocator, "createPipelineCache");
        if (SimResult.SUCCESS != met)
        {
            return met;
        }
        final int given = registry.acquire(allocator);
        final int callbacks = CallbacksRegistry.NONE != given ? given : callbacksId(device);
        registry.retain(callbacks);
        final long cache = allocateObject(callbacks, given, PipelineCacheDescriptor.LENGTH, CACHE,
            ObjectType.PIPELINE_CACHE, device);
        if (0 == cache)
        {
            return outOfHostMemory(given, callbacks, "createPipelineCache: the cache block");
        }
        final long entriesLength = (long)PipelineCacheDescriptor.INITIAL_CAPACITY * PipelineCacheDescriptor.ENTRY_LENGTH;
        final long entries = allocate(callbacks, entriesLength, OBJECT_ALIGNMENT, CACHE, ObjectType.PIPELINE_CACHE);
        if (0 == entries)
        {
            freeBlock(cache, CACHE, ObjectType.PIPELINE_CACHE);
            return outOfHostMemory(given, callbacks, "createPipelineCache: the entry table");
        }
        memPutInt(cache + PipelineCacheDescriptor.ENTRY_CAPACITY_OFFSET, PipelineCacheDescriptor.INITIAL_CAPACITY);
        memPutLong(cache + PipelineCacheDescriptor.ENTRIES_OFFSET, entries);
        addChild(device, 1);
        pCache[0] = cache;
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkDestroyPipelineCache}. A null handle is ignored.
     *
     * @param device        the cache's device.
     * @param pipelineCache the cache.
     * @param allocator     callbacks compatible with the ones given at create ({@code null} if none were).
     */
    public void destroyPipelineCache(final long device, final long pipelineCache, final AllocationCallbacks allocator)
    {
        if (0 == pipelineCache)
        {
            return;
        }
        expectChild(device, pipelineCache, ObjectType.PIPELINE_CACHE, "pipelineCache");
        free(callbacksId(pipelineCache), memGetLong(pipelineCache + PipelineCacheDescriptor.ENTRIES_OFFSET),
            entryTableLength(pipelineCache), CACHE, ObjectType.PIPELINE_CACHE);
        destroyObject(pipelineCache, CACHE, ObjectType.PIPELINE_CACHE, allocator);
        addChild(device, -1);
    }

    /**
     * {@code vkMergePipelineCaches}: adds the entries of {@code sources} missing from {@code destination},
     * growing its table by reallocation (CACHE scope, the destination's callbacks).
     *
     * @param device      the device.
     * @param destination the cache merged into.
     * @param count       number of sources.
     * @param sources     the caches merged from (not {@code destination}).
     * @return {@link SimResult#SUCCESS}, or {@link SimResult#ERROR_OUT_OF_HOST_MEMORY} when the table
     *         could not grow (the entries merged so far stay; no cache is damaged).
     * @throws IllegalArgumentException when a source is the destination (VUID-vkMergePipelineCaches-dstCache-00770).
     */
    public int mergePipelineCaches(final long device, final long destination, final int count, final long[] sources)
    {
        expectChild(device, destination, ObjectType.PIPELINE_CACHE, "dstCache");
        for (int s = 0; s < count; s++)
        {
            final long source = sources[s];
            expectChild(device, source, ObjectType.PIPELINE_CACHE, "pSrcCaches[" + s + "]");
            if (source == destination)
            {
                throw new IllegalArgumentException("VUID-vkMergePipelineCaches-dstCache-00770: dstCache is among the sources");
            }
            final int entries = memGetInt(source + PipelineCacheDescriptor.ENTRY_COUNT_OFFSET);
            final long table = memGetLong(source + PipelineCacheDescriptor.ENTRIES_OFFSET);
            for (int e = 0; e < entries; e++)
            {
                if (!cacheInsert(destination, memGetLong(table + (long)e * PipelineCacheDescriptor.ENTRY_LENGTH)))
                {
                    lastFailureReason = "mergePipelineCaches: the destination's entry table could not grow";
                    return SimResult.ERROR_OUT_OF_HOST_MEMORY;
                }
            }
        }
        return SimResult.SUCCESS;
    }

    /**
     * Number of entries in a pipeline cache.
     *
     * @param pipelineCache the cache.
     * @return its entry count.
     */
    public int pipelineCacheEntryCount(final long pipelineCache)
    {
        expect(pipelineCache, ObjectType.PIPELINE_CACHE, "pipelineCache");
        return memGetInt(pipelineCache + PipelineCacheDescriptor.ENTRY_COUNT_OFFSET);
    }

    /**
     * {@code vkCreateGraphicsPipelines}: per pipeline a COMMAND-scope compile scratch (freed before
     * returning), an OBJECT-scope block and an internal-allocation notification for its compiled code
     * (EXECUTABLE, OBJECT scope; the matching internal-free comes at destroy); with a cache, the pipeline's key is added to it (CACHE
     * scope, the cache's callbacks) — if that fails the pipeline is made anyway, uncached.
     *
     * @param device        the device.
     * @param pipelineCache a cache, or 0.
     * @param count         number of pipelines, at least 1.
     * @param shaderModules one shader module per pipeline.
     * @param allocator     the pipelines' callbacks, or {@code null} for the device's.
     * @param pPipelines    receives {@code count} handles; on failure every one is 0.
     * @return {@link SimResult#SUCCESS}, {@link SimResult#ERROR_FEATURE_NOT_PRESENT} or
     *         {@link SimResult#ERROR_OUT_OF_HOST_MEMORY} (with every pipeline made by the call destroyed).
     * @throws IllegalArgumentException when there are fewer shader modules than pipelines, or a handle is wrong.
     */
    public int createGraphicsPipelines(
        final long device,
        final long pipelineCache,
        final int count,
        final long[] shaderModules,
        final AllocationCallbacks allocator,
        final long[] pPipelines)
    {
        requireOutput(pPipelines, count);
        java.util.Arrays.fill(pPipelines, 0, count, 0);
        expect(device, ObjectType.DEVICE, "device");
        if (0 != pipelineCache)
        {
            expectChild(device, pipelineCache, ObjectType.PIPELINE_CACHE, "pipelineCache");
        }
        if (shaderModules.length < count)
        {
            throw new IllegalArgumentException(count + " pipelines need " + count + " shader modules, got " +
                shaderModules.length);
        }
        for (int i = 0; i < count; i++)
        {
            expectChild(device, shaderModules[i], ObjectType.SHADER_MODULE, "shader module of pipeline " + i);
        }
        final int met = checkRequirements(device, allocator, "createGraphicsPipelines");
        if (SimResult.SUCCESS != met)
        {
            return met;
        }
        for (int i = 0; i < count; i++)
        {
            final int given = registry.acquire(allocator);
            final int callbacks = CallbacksRegistry.NONE != given ? given : callbacksId(device);
            registry.retain(callbacks);
            final long scratch = allocate(callbacks, PipelineDescriptor.COMPILE_SCRATCH_LENGTH, SCRATCH_ALIGNMENT,
                COMMAND, ObjectType.PIPELINE);
            final long pipeline = 0 == scratch ? 0 : allocateObject(callbacks, given, PipelineDescriptor.LENGTH, OBJECT,
                ObjectType.PIPELINE, device);
            if (0 == pipeline)
            {
                if (0 != scratch)
                {
                    free(callbacks, scratch, PipelineDescriptor.COMPILE_SCRATCH_LENGTH, COMMAND, ObjectType.PIPELINE);
                }
                for (int made = 0; made < i; made++)
                {
                    final long done = pPipelines[made];
                    final int doneGiven = memGetInt(done + GIVEN_CALLBACKS_ID_OFFSET);
                    final int doneCallbacks = callbacksId(done);
                    registry.get(doneCallbacks).internalFreeNotification(PipelineDescriptor.EXECUTABLE_CODE_SIZE,
                        InternalAllocationType.EXECUTABLE, OBJECT);
                    freeBlock(done, OBJECT, ObjectType.PIPELINE);
                    release(doneGiven, doneCallbacks);
                    addChild(device, -1);
                    pPipelines[made] = 0;
                }
                return outOfHostMemory(given, callbacks, "createGraphicsPipelines: pipeline " + i + " of " + count);
            }
            final long hash = memGetLong(shaderModules[i] + ShaderModuleDescriptor.HASH_OFFSET);
            memSet(scratch, 0, PipelineDescriptor.COMPILE_SCRATCH_LENGTH); // "compile"
            memPutLong(pipeline + PipelineDescriptor.SHADER_HASH_OFFSET, hash);
            if (0 != pipelineCache)
            {
                final boolean hit = cacheContains(pipelineCache, hash);
                memPutInt(pipeline + PipelineDescriptor.CACHE_HIT_OFFSET, hit ? 1 : 0);
                if (!hit)
                {
                    cacheInsert(pipelineCache, hash); // failure is harmless: the pipeline just is not cached
                }
            }
            free(callbacks, scratch, PipelineDescriptor.COMPILE_SCRATCH_LENGTH, COMMAND, ObjectType.PIPELINE);
            // The compiled code a real driver would map executable itself: reported, not allocated.
            registry.get(callbacks).internalAllocationNotification(PipelineDescriptor.EXECUTABLE_CODE_SIZE,
                InternalAllocationType.EXECUTABLE, OBJECT);
            addChild(device, 1);
            pPipelines[i] = pipeline;
        }
        return SimResult.SUCCESS;
    }

    /**
     * Whether a pipeline's key was already in the cache when it was created.
     *
     * @param pipeline the pipeline.
     * @return {@code true} on a cache hit.
     */
    public boolean pipelineCacheHit(final long pipeline)
    {
        expect(pipeline, ObjectType.PIPELINE, "pipeline");
        return memGetInt(pipeline + PipelineDescriptor.CACHE_HIT_OFFSET) != 0;
    }

    /**
     * {@code vkDestroyPipeline}. A null handle is ignored.
     *
     * @param device    the pipeline's device.
     * @param pipeline  the pipeline.
     * @param allocator callbacks compatible with the ones given at create ({@code null} if none were).
     */
    public void destroyPipeline(final long device, final long pipeline, final AllocationCallbacks allocator)
    {
        if (0 == pipeline)
        {
            return;
        }
        expectChild(device, pipeline, ObjectType.PIPELINE, "pipeline");
        registry.get(callbacksId(pipeline)).internalFreeNotification(PipelineDescriptor.EXECUTABLE_CODE_SIZE,
            InternalAllocationType.EXECUTABLE, OBJECT);
        destroyObject(pipeline, OBJECT, ObjectType.PIPELINE, allocator);
        addChild(device, -1);
    }

    // ---------------------------------------------------------------------------------------------
    // Descriptor pools and sets

    /**
     * {@code vkCreateDescriptorPool}: one OBJECT-scope block; sets are allocated from the pool's
     * callbacks by {@link #allocateDescriptorSets}.
     *
     * @param device         the device.
     * @param maxSets        most sets live at once, at least 1.
     * @param bindingsPerSet bindings of each set, 1..{@link #MAX_DESCRIPTOR_SET_BINDINGS}.
     * @param allocator      the pool's callbacks, or {@code null} for the device's.
     * @param pPool          receives the handle in element 0 (0 on failure).
     * @return {@link SimResult#SUCCESS}, {@link SimResult#ERROR_FEATURE_NOT_PRESENT} or
     *         {@link SimResult#ERROR_OUT_OF_HOST_MEMORY}.
     * @throws IllegalArgumentException when a count is out of range.
     */
    public int createDescriptorPool(
        final long device, final int maxSets, final int bindingsPerSet, final AllocationCallbacks allocator,
        final long[] pPool)
    {
        requireOutput(pPool, 1);
        pPool[0] = 0;
        expect(device, ObjectType.DEVICE, "device");
        final int maxBindings = memGetInt(tables(device) + DeviceTablesDescriptor.MAX_DESCRIPTOR_SET_BINDINGS_OFFSET);
        if (maxSets < 1 || bindingsPerSet < 1 || bindingsPerSet > maxBindings)
        {
            throw new IllegalArgumentException("maxSets must be at least 1 and bindingsPerSet 1.." + maxBindings +
                ": " + maxSets + ", " + bindingsPerSet);
        }
        final int met = checkRequirements(device, allocator, "createDescriptorPool");
        if (SimResult.SUCCESS != met)
        {
            return met;
        }
        final int given = registry.acquire(allocator);
        final int callbacks = CallbacksRegistry.NONE != given ? given : callbacksId(device);
        registry.retain(callbacks);
        final long pool = allocateObject(callbacks, given, DescriptorPoolDescriptor.LENGTH, OBJECT,
            ObjectType.DESCRIPTOR_POOL, device);
        if (0 == pool)
        {
            return outOfHostMemory(given, callbacks, "createDescriptorPool: the pool block");
        }
        memPutInt(pool + DescriptorPoolDescriptor.MAX_SETS_OFFSET, maxSets);
        memPutInt(pool + DescriptorPoolDescriptor.BINDINGS_PER_SET_OFFSET, bindingsPerSet);
        addChild(device, 1);
        pPool[0] = pool;
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkDestroyDescriptorPool}: frees its sets, then the pool. A null handle is ignored.
     *
     * @param device         the pool's device.
     * @param descriptorPool the pool.
     * @param allocator      callbacks compatible with the ones given at create ({@code null} if none were).
     */
    public void destroyDescriptorPool(final long device, final long descriptorPool, final AllocationCallbacks allocator)
    {
        if (0 == descriptorPool)
        {
            return;
        }
        expectChild(device, descriptorPool, ObjectType.DESCRIPTOR_POOL, "descriptorPool");
        freeAllDescriptorSets(descriptorPool);
        destroyObject(descriptorPool, OBJECT, ObjectType.DESCRIPTOR_POOL, allocator);
        addChild(device, -1);
    }

    /**
     * {@code vkAllocateDescriptorSets}: {@code count} OBJECT-scope blocks from the pool's callbacks.
     *
     * @param device         the pool's device.
     * @param descriptorPool the pool.
     * @param count          number of sets, at least 1.
     * @param pSets          receives {@code count} handles; on failure every one is 0.
     * @return {@link SimResult#SUCCESS}, {@link SimResult#ERROR_OUT_OF_POOL_MEMORY} when the pool has
     *         fewer than {@code count} free sets (no host memory was requested), or
     *         {@link SimResult#ERROR_OUT_OF_HOST_MEMORY} (every set made by the call freed).
     */
    public int allocateDescriptorSets(final long device, final long descriptorPool, final int count, final long[] pSets)
    {
        requireOutput(pSets, count);
        java.util.Arrays.fill(pSets, 0, count, 0);
        expectChild(device, descriptorPool, ObjectType.DESCRIPTOR_POOL, "descriptorPool");
        final long pool = descriptorPool;
        if (memGetInt(pool + DescriptorPoolDescriptor.LIVE_SETS_OFFSET) + count >
            memGetInt(pool + DescriptorPoolDescriptor.MAX_SETS_OFFSET))
        {
            lastFailureReason = "allocateDescriptorSets: the pool has room for fewer than " + count + " more sets";
            return SimResult.ERROR_OUT_OF_POOL_MEMORY;
        }
        final int bindings = memGetInt(pool + DescriptorPoolDescriptor.BINDINGS_PER_SET_OFFSET);
        final int callbacks = callbacksId(pool);
        for (int i = 0; i < count; i++)
        {
            final long set = allocateObject(callbacks, CallbacksRegistry.NONE, DescriptorSetDescriptor.length(bindings),
                OBJECT, ObjectType.DESCRIPTOR_SET, pool);
            if (0 == set)
            {
                for (int made = 0; made < i; made++)
                {
                    freeDescriptorSet(pool, pSets[made]);
                    pSets[made] = 0;
                }
                lastFailureReason = "allocateDescriptorSets: set " + i + " of " + count + ": the callbacks returned 0";
                return SimResult.ERROR_OUT_OF_HOST_MEMORY;
            }
            memPutInt(set + DescriptorSetDescriptor.BINDING_COUNT_OFFSET, bindings);
            final long first = memGetLong(pool + DescriptorPoolDescriptor.FIRST_SET_OFFSET);
            memPutLong(set + DescriptorSetDescriptor.NEXT_OFFSET, first);
            if (0 != first)
            {
                memPutLong(first + DescriptorSetDescriptor.PREVIOUS_OFFSET, set);
            }
            memPutLong(pool + DescriptorPoolDescriptor.FIRST_SET_OFFSET, set);
            addToCount(pool + DescriptorPoolDescriptor.LIVE_SETS_OFFSET, 1);
            pSets[i] = set;
        }
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkFreeDescriptorSets}. Null entries are ignored.
     *
     * @param device         the pool's device.
     * @param descriptorPool the pool the sets came from.
     * @param count          number of entries.
     * @param sets           the sets.
     * @return {@link SimResult#SUCCESS}.
     */
    public int freeDescriptorSets(final long device, final long descriptorPool, final int count, final long[] sets)
    {
        expectChild(device, descriptorPool, ObjectType.DESCRIPTOR_POOL, "descriptorPool");
        for (int i = 0; i < count; i++)
        {
            if (0 != sets[i])
            {
                expectPooled(descriptorPool, sets[i], ObjectType.DESCRIPTOR_SET, "descriptor set");
                freeDescriptorSet(descriptorPool, sets[i]);
            }
        }
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkResetDescriptorPool}: frees every set of the pool.
     *
     * @param device         the pool's device.
     * @param descriptorPool the pool.
     * @return {@link SimResult#SUCCESS}.
     */
    public int resetDescriptorPool(final long device, final long descriptorPool)
    {
        expectChild(device, descriptorPool, ObjectType.DESCRIPTOR_POOL, "descriptorPool");
        freeAllDescriptorSets(descriptorPool);
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkUpdateDescriptorSets} for one buffer binding.
     *
     * @param descriptorSet the set.
     * @param binding       the binding number, below the pool's bindings per set.
     * @param buffer        the buffer.
     * @param offset        the offset in the buffer.
     * @param range         bytes, or {@link #WHOLE_SIZE}.
     * @throws IllegalArgumentException when the binding or range is out of bounds.
     */
    public void updateDescriptorSet(
        final long descriptorSet, final int binding, final long buffer, final long offset, final long range)
    {
        expect(descriptorSet, ObjectType.DESCRIPTOR_SET, "descriptorSet");
        expect(buffer, ObjectType.BUFFER, "buffer");
        final int bindings = memGetInt(descriptorSet + DescriptorSetDescriptor.BINDING_COUNT_OFFSET);
        if (binding < 0 || binding >= bindings)
        {
            throw new IllegalArgumentException("binding " + binding + " is outside the set's 0.." + (bindings - 1));
        }
        final long length = checkRange(buffer, offset, range, "descriptor range");
        final long at = descriptorSet + DescriptorSetDescriptor.bindingOffset(binding);
        memPutLong(at + DescriptorSetDescriptor.BINDING_BUFFER_OFFSET, buffer);
        memPutLong(at + DescriptorSetDescriptor.BINDING_OFFSET_OFFSET, offset);
        memPutLong(at + DescriptorSetDescriptor.BINDING_RANGE_OFFSET, length);
    }

    // ---------------------------------------------------------------------------------------------
    // Command pools and buffers

    /**
     * {@code vkCreateCommandPool}: one OBJECT-scope block; command buffers and their command chunks
     * come from the pool's callbacks.
     *
     * @param device    the device.
     * @param allocator the pool's callbacks, or {@code null} for the device's.
     * @param pPool     receives the handle in element 0 (0 on failure).
     * @return {@link SimResult#SUCCESS}, {@link SimResult#ERROR_FEATURE_NOT_PRESENT} or
     *         {@link SimResult#ERROR_OUT_OF_HOST_MEMORY}.
     */
    public int createCommandPool(final long device, final AllocationCallbacks allocator, final long[] pPool)
    {
        requireOutput(pPool, 1);
        pPool[0] = 0;
        expect(device, ObjectType.DEVICE, "device");
        final int met = checkRequirements(device, allocator, "createCommandPool");
        if (SimResult.SUCCESS != met)
        {
            return met;
        }
        final int given = registry.acquire(allocator);
        final int callbacks = CallbacksRegistry.NONE != given ? given : callbacksId(device);
        registry.retain(callbacks);
        final long pool = allocateObject(callbacks, given, CommandPoolDescriptor.LENGTH, OBJECT,
            ObjectType.COMMAND_POOL, device);
        if (0 == pool)
        {
            return outOfHostMemory(given, callbacks, "createCommandPool: the pool block");
        }
        addChild(device, 1);
        pPool[0] = pool;
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkDestroyCommandPool}: frees its command buffers and their chunks, then the pool. A
     * null handle is ignored.
     *
     * @param device      the pool's device.
     * @param commandPool the pool.
     * @param allocator   callbacks compatible with the ones given at create ({@code null} if none were).
     */
    public void destroyCommandPool(final long device, final long commandPool, final AllocationCallbacks allocator)
    {
        if (0 == commandPool)
        {
            return;
        }
        expectChild(device, commandPool, ObjectType.COMMAND_POOL, "commandPool");
        long buffer = memGetLong(commandPool + CommandPoolDescriptor.FIRST_BUFFER_OFFSET);
        while (0 != buffer)
        {
            final long next = memGetLong(buffer + CommandBufferDescriptor.NEXT_OFFSET);
            freeCommandBuffer(commandPool, buffer);
            buffer = next;
        }
        destroyObject(commandPool, OBJECT, ObjectType.COMMAND_POOL, allocator);
        addChild(device, -1);
    }

    /**
     * {@code vkAllocateCommandBuffers}: {@code count} OBJECT-scope blocks from the pool's callbacks.
     *
     * @param device          the pool's device.
     * @param commandPool     the pool.
     * @param count           number of command buffers, at least 1.
     * @param pCommandBuffers receives {@code count} handles; on failure every one is 0.
     * @return {@link SimResult#SUCCESS} or {@link SimResult#ERROR_OUT_OF_HOST_MEMORY} (every buffer made
     *         by the call freed).
     */
    public int allocateCommandBuffers(
        final long device, final long commandPool, final int count, final long[] pCommandBuffers)
    {
        requireOutput(pCommandBuffers, count);
        java.util.Arrays.fill(pCommandBuffers, 0, count, 0);
        expectChild(device, commandPool, ObjectType.COMMAND_POOL, "commandPool");
        final int callbacks = callbacksId(commandPool);
        for (int i = 0; i < count; i++)
        {
            final long buffer = allocateObject(callbacks, CallbacksRegistry.NONE, CommandBufferDescriptor.LENGTH, OBJECT,
                ObjectType.COMMAND_BUFFER, commandPool);
            if (0 == buffer)
            {
                for (int made = 0; made < i; made++)
                {
                    freeCommandBuffer(commandPool, pCommandBuffers[made]);
                    pCommandBuffers[made] = 0;
                }
                lastFailureReason = "allocateCommandBuffers: buffer " + i + " of " + count + ": the callbacks returned 0";
                return SimResult.ERROR_OUT_OF_HOST_MEMORY;
            }
            final long first = memGetLong(commandPool + CommandPoolDescriptor.FIRST_BUFFER_OFFSET);
            memPutLong(buffer + CommandBufferDescriptor.NEXT_OFFSET, first);
            if (0 != first)
            {
                memPutLong(first + CommandBufferDescriptor.PREVIOUS_OFFSET, buffer);
            }
            memPutLong(commandPool + CommandPoolDescriptor.FIRST_BUFFER_OFFSET, buffer);
            addToCount(commandPool + CommandPoolDescriptor.BUFFER_COUNT_OFFSET, 1);
            pCommandBuffers[i] = buffer;
        }
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkFreeCommandBuffers}: frees each buffer and its chunks. Null entries are ignored.
     *
     * @param device         the pool's device.
     * @param commandPool    the pool the buffers came from.
     * @param count          number of entries.
     * @param commandBuffers the buffers.
     */
    public void freeCommandBuffers(
        final long device, final long commandPool, final int count, final long[] commandBuffers)
    {
        expectChild(device, commandPool, ObjectType.COMMAND_POOL, "commandPool");
        for (int i = 0; i < count; i++)
        {
            if (0 != commandBuffers[i])
            {
                expectPooled(commandPool, commandBuffers[i], ObjectType.COMMAND_BUFFER, "command buffer");
                freeCommandBuffer(commandPool, commandBuffers[i]);
            }
        }
    }

    /**
     * {@code vkResetCommandPool}: resets every command buffer of the pool.
     *
     * @param device      the pool's device.
     * @param commandPool the pool.
     * @param flags       0 to keep the command chunks for reuse, or {@link #RESET_RELEASE_RESOURCES}.
     * @return {@link SimResult#SUCCESS}.
     */
    public int resetCommandPool(final long device, final long commandPool, final int flags)
    {
        expectChild(device, commandPool, ObjectType.COMMAND_POOL, "commandPool");
        long buffer = memGetLong(commandPool + CommandPoolDescriptor.FIRST_BUFFER_OFFSET);
        while (0 != buffer)
        {
            resetCommandBufferState(buffer, flags);
            buffer = memGetLong(buffer + CommandBufferDescriptor.NEXT_OFFSET);
        }
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkBeginCommandBuffer}; a buffer not in the initial state is reset first (keeping its
     * chunks), as with {@code VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT}. No allocation.
     *
     * @param commandBuffer the command buffer.
     * @return {@link SimResult#SUCCESS}.
     */
    public int beginCommandBuffer(final long commandBuffer)
    {
        expect(commandBuffer, ObjectType.COMMAND_BUFFER, "commandBuffer");
        if (memGetInt(commandBuffer + CommandBufferDescriptor.STATE_OFFSET) != CommandBufferDescriptor.STATE_INITIAL)
        {
            resetCommandBufferState(commandBuffer, 0);
        }
        memPutInt(commandBuffer + CommandBufferDescriptor.STATE_OFFSET, CommandBufferDescriptor.STATE_RECORDING);
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkEndCommandBuffer}: reports a recording that ran out of host memory, as Vulkan does.
     *
     * @param commandBuffer the command buffer, recording.
     * @return {@link SimResult#SUCCESS} (now executable) or {@link SimResult#ERROR_OUT_OF_HOST_MEMORY}
     *         (now invalid: reset or begin it again).
     * @throws IllegalStateException when the buffer is not recording.
     */
    public int endCommandBuffer(final long commandBuffer)
    {
        expectRecording(commandBuffer);
        final int error = memGetInt(commandBuffer + CommandBufferDescriptor.ERROR_OFFSET);
        memPutInt(commandBuffer + CommandBufferDescriptor.STATE_OFFSET, SimResult.SUCCESS == error ?
            CommandBufferDescriptor.STATE_EXECUTABLE : CommandBufferDescriptor.STATE_INVALID);
        return error;
    }

    /**
     * {@code vkResetCommandBuffer}.
     *
     * @param commandBuffer the command buffer.
     * @param flags         0 to keep its command chunks for the next recording, or {@link #RESET_RELEASE_RESOURCES}.
     * @return {@link SimResult#SUCCESS}.
     */
    public int resetCommandBuffer(final long commandBuffer, final int flags)
    {
        expect(commandBuffer, ObjectType.COMMAND_BUFFER, "commandBuffer");
        resetCommandBufferState(commandBuffer, flags);
        return SimResult.SUCCESS;
    }

    /**
     * The number of commands recorded since the last reset.
     *
     * @param commandBuffer the command buffer.
     * @return the count.
     */
    public int commandCount(final long commandBuffer)
    {
        expect(commandBuffer, ObjectType.COMMAND_BUFFER, "commandBuffer");
        return memGetInt(commandBuffer + CommandBufferDescriptor.COMMAND_COUNT_OFFSET);
    }

    /**
     * {@code vkCmdFillBuffer}: on execution, writes {@code data} to every 4-byte word of the range.
     *
     * @param commandBuffer the command buffer, recording.
     * @param buffer        the destination.
     * @param offset        a multiple of 4.
     * @param size          a multiple of 4, or {@link #WHOLE_SIZE} (rounded down to a multiple of 4).
     * @param data          the word to write.
     * @throws IllegalArgumentException when the range is outside the buffer or misaligned.
     */
    public void cmdFillBuffer(
        final long commandBuffer, final long buffer, final long offset, final long size, final int data)
    {
        expectRecording(commandBuffer);
        expect(buffer, ObjectType.BUFFER, "buffer");
        long length = checkRange(buffer, offset, size, "fill");
        if (WHOLE_SIZE == size)
        {
            length &= -FILL_WORD;
        }
        if ((offset & (FILL_WORD - 1)) != 0 || (length & (FILL_WORD - 1)) != 0)
        {
            throw new IllegalArgumentException(
                "VUID-vkCmdFillBuffer-dstOffset-00025/size-00028: offset and size must be multiples of 4");
        }
        final long command = reserve(commandBuffer, CommandDescriptor.length(4, 0));
        if (0 != command)
        {
            putHeader(command, CommandDescriptor.FILL_BUFFER, CommandDescriptor.length(4, 0));
            memPutLong(command + CommandDescriptor.operandOffset(0), buffer);
            memPutLong(command + CommandDescriptor.operandOffset(1), offset);
            memPutLong(command + CommandDescriptor.operandOffset(2), length);
            memPutLong(command + CommandDescriptor.operandOffset(3), data);
        }
    }

    /**
     * {@code vkCmdCopyBuffer} for one region.
     *
     * @param commandBuffer the command buffer, recording.
     * @param source        the source buffer.
     * @param destination   the destination buffer.
     * @param sourceOffset  offset in the source.
     * @param destOffset    offset in the destination.
     * @param size          bytes, positive.
     * @throws IllegalArgumentException when a range is outside its buffer.
     */
    public void cmdCopyBuffer(
        final long commandBuffer,
        final long source,
        final long destination,
        final long sourceOffset,
        final long destOffset,
        final long size)
    {
        expectRecording(commandBuffer);
        expect(source, ObjectType.BUFFER, "srcBuffer");
        expect(destination, ObjectType.BUFFER, "dstBuffer");
        if (size <= 0)
        {
            throw new IllegalArgumentException("VUID-VkBufferCopy-size-01988: copy size must be positive: " + size);
        }
        checkRange(source, sourceOffset, size, "copy source");
        checkRange(destination, destOffset, size, "copy destination");
        final int length = CommandDescriptor.length(5, 0);
        final long command = reserve(commandBuffer, length);
        if (0 != command)
        {
            putHeader(command, CommandDescriptor.COPY_BUFFER, length);
            memPutLong(command + CommandDescriptor.operandOffset(0), source);
            memPutLong(command + CommandDescriptor.operandOffset(1), destination);
            memPutLong(command + CommandDescriptor.operandOffset(2), sourceOffset);
            memPutLong(command + CommandDescriptor.operandOffset(3), destOffset);
            memPutLong(command + CommandDescriptor.operandOffset(4), size);
        }
    }

    /**
     * {@code vkCmdUpdateBuffer}: copies {@code size} bytes from {@code data} into the command buffer
     * now; they are written to the buffer on execution.
     *
     * @param commandBuffer the command buffer, recording.
     * @param buffer        the destination.
     * @param offset        a multiple of 4.
     * @param size          a multiple of 4, 4..{@link #MAX_UPDATE_BUFFER_SIZE}.
     * @param data          the address of the bytes.
     * @throws IllegalArgumentException when the range is invalid.
     */
    public void cmdUpdateBuffer(
        final long commandBuffer, final long buffer, final long offset, final long size, final long data)
    {
        final long command = reserveUpdate(commandBuffer, buffer, offset, size);
        if (0 != command)
        {
            memCopy(data, command + CommandDescriptor.operandOffset(3), size);
        }
    }

    /**
     * {@code vkCmdUpdateBuffer} from Java words, without heap allocation.
     *
     * @param commandBuffer the command buffer, recording.
     * @param buffer        the destination.
     * @param offset        a multiple of 4.
     * @param words         the data.
     * @param wordCount     words of {@code words} to write, 1..{@link #MAX_UPDATE_BUFFER_SIZE}/4.
     * @throws IllegalArgumentException when the range is invalid.
     */
    public void cmdUpdateBuffer(
        final long commandBuffer, final long buffer, final long offset, final int[] words, final int wordCount)
    {
        if (wordCount > words.length)
        {
            throw new IllegalArgumentException("wordCount " + wordCount + " exceeds the array's " + words.length);
        }
        final long command = reserveUpdate(commandBuffer, buffer, offset, (long)wordCount * Integer.BYTES);
        if (0 != command)
        {
            final long data = command + CommandDescriptor.operandOffset(3);
            for (int i = 0; i < wordCount; i++)
            {
                memPutInt(data + (long)i * Integer.BYTES, words[i]);
            }
        }
    }

    /**
     * {@code vkCmdClearColorImage} for the whole image: every 4 bytes of texel memory get
     * {@code color} (1-byte formats get its low byte).
     *
     * @param commandBuffer the command buffer, recording.
     * @param image         the image.
     * @param color         the packed clear value.
     */
    public void cmdClearColorImage(final long commandBuffer, final long image, final int color)
    {
        expectRecording(commandBuffer);
        expect(image, ObjectType.IMAGE, "image");
        final int length = CommandDescriptor.length(2, 0);
        final long command = reserve(commandBuffer, length);
        if (0 != command)
        {
            putHeader(command, CommandDescriptor.CLEAR_COLOR_IMAGE, length);
            memPutLong(command + CommandDescriptor.operandOffset(0), image);
            memPutLong(command + CommandDescriptor.operandOffset(1), color);
        }
    }

    /**
     * {@code vkCmdBindPipeline}, recorded as data.
     *
     * @param commandBuffer the command buffer, recording.
     * @param pipeline      the pipeline.
     */
    public void cmdBindPipeline(final long commandBuffer, final long pipeline)
    {
        expectRecording(commandBuffer);
        expect(pipeline, ObjectType.PIPELINE, "pipeline");
        final int length = CommandDescriptor.length(1, 0);
        final long command = reserve(commandBuffer, length);
        if (0 != command)
        {
            putHeader(command, CommandDescriptor.BIND_PIPELINE, length);
            memPutLong(command + CommandDescriptor.operandOffset(0), pipeline);
            memPutLong(commandBuffer + CommandBufferDescriptor.BOUND_PIPELINE_OFFSET, pipeline);
        }
    }

    /**
     * {@code vkCmdBindDescriptorSets} for one set, recorded as data.
     *
     * @param commandBuffer the command buffer, recording.
     * @param descriptorSet the set.
     */
    public void cmdBindDescriptorSet(final long commandBuffer, final long descriptorSet)
    {
        expectRecording(commandBuffer);
        expect(descriptorSet, ObjectType.DESCRIPTOR_SET, "descriptorSet");
        final int length = CommandDescriptor.length(1, 0);
        final long command = reserve(commandBuffer, length);
        if (0 != command)
        {
            putHeader(command, CommandDescriptor.BIND_DESCRIPTOR_SET, length);
            memPutLong(command + CommandDescriptor.operandOffset(0), descriptorSet);
        }
    }

    /**
     * {@code vkCmdDraw}, recorded as data; on execution the queue counts the draw and its vertices.
     *
     * @param commandBuffer the command buffer, recording, with a pipeline bound.
     * @param vertexCount   vertices per instance.
     * @param instanceCount instances.
     * @param firstVertex   first vertex.
     * @param firstInstance first instance.
     * @throws IllegalStateException when no pipeline is bound (VUID-vkCmdDraw-None-08606).
     */
    public void cmdDraw(
        final long commandBuffer, final int vertexCount, final int instanceCount, final int firstVertex,
        final int firstInstance)
    {
        expectRecording(commandBuffer);
        if (0 == memGetLong(commandBuffer + CommandBufferDescriptor.BOUND_PIPELINE_OFFSET) &&
            SimResult.SUCCESS == memGetInt(commandBuffer + CommandBufferDescriptor.ERROR_OFFSET))
        {
            throw new IllegalStateException("VUID-vkCmdDraw-None-08606: no pipeline bound before cmdDraw");
        }
        final int length = CommandDescriptor.length(2, 0);
        final long command = reserve(commandBuffer, length);
        if (0 != command)
        {
            putHeader(command, CommandDescriptor.DRAW, length);
            final long operands = command + CommandDescriptor.operandOffset(0);
            memPutInt(operands, vertexCount);
            memPutInt(operands + Integer.BYTES, instanceCount);
            memPutInt(operands + 2L * Integer.BYTES, firstVertex);
            memPutInt(operands + 3L * Integer.BYTES, firstInstance);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Fences and submission

    /**
     * {@code vkCreateFence}: one OBJECT-scope block.
     *
     * @param device    the device.
     * @param signaled  whether the fence starts signaled.
     * @param allocator the fence's callbacks, or {@code null} for the device's.
     * @param pFence    receives the handle in element 0 (0 on failure).
     * @return {@link SimResult#SUCCESS}, {@link SimResult#ERROR_FEATURE_NOT_PRESENT} or
     *         {@link SimResult#ERROR_OUT_OF_HOST_MEMORY}.
     */
    public int createFence(
        final long device, final boolean signaled, final AllocationCallbacks allocator, final long[] pFence)
    {
        requireOutput(pFence, 1);
        pFence[0] = 0;
        expect(device, ObjectType.DEVICE, "device");
        final int met = checkRequirements(device, allocator, "createFence");
        if (SimResult.SUCCESS != met)
        {
            return met;
        }
        final int given = registry.acquire(allocator);
        final int callbacks = CallbacksRegistry.NONE != given ? given : callbacksId(device);
        registry.retain(callbacks);
        final long fence = allocateObject(callbacks, given, FenceDescriptor.LENGTH, OBJECT, ObjectType.FENCE, device);
        if (0 == fence)
        {
            return outOfHostMemory(given, callbacks, "createFence: the fence block");
        }
        memPutInt(fence + FenceDescriptor.SIGNALED_OFFSET, signaled ? 1 : 0);
        addChild(device, 1);
        pFence[0] = fence;
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkDestroyFence}. A null handle is ignored.
     *
     * @param device    the fence's device.
     * @param fence     the fence.
     * @param allocator callbacks compatible with the ones given at create ({@code null} if none were).
     */
    public void destroyFence(final long device, final long fence, final AllocationCallbacks allocator)
    {
        if (0 == fence)
        {
            return;
        }
        expectChild(device, fence, ObjectType.FENCE, "fence");
        destroyObject(fence, OBJECT, ObjectType.FENCE, allocator);
        addChild(device, -1);
    }

    /**
     * {@code vkGetFenceStatus}.
     *
     * @param device the fence's device.
     * @param fence  the fence.
     * @return {@link SimResult#SUCCESS} when signaled, else {@link SimResult#NOT_READY}.
     */
    public int getFenceStatus(final long device, final long fence)
    {
        expectChild(device, fence, ObjectType.FENCE, "fence");
        return memGetInt(fence + FenceDescriptor.SIGNALED_OFFSET) != 0 ? SimResult.SUCCESS : SimResult.NOT_READY;
    }

    /**
     * {@code vkWaitForFences} for one fence. Submission executes synchronously, so a fence that is
     * not signaled now never will be without another submit.
     *
     * @param device the fence's device.
     * @param fence  the fence.
     * @return {@link SimResult#SUCCESS} when signaled, else {@link SimResult#TIMEOUT}.
     */
    public int waitForFence(final long device, final long fence)
    {
        return SimResult.SUCCESS == getFenceStatus(device, fence) ? SimResult.SUCCESS : SimResult.TIMEOUT;
    }

    /**
     * {@code vkResetFences} for one fence.
     *
     * @param device the fence's device.
     * @param fence  the fence.
     * @return {@link SimResult#SUCCESS}.
     */
    public int resetFence(final long device, final long fence)
    {
        expectChild(device, fence, ObjectType.FENCE, "fence");
        memPutInt(fence + FenceDescriptor.SIGNALED_OFFSET, 0);
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkQueueSubmit} of one command buffer: executes its commands on the host memory of the
     * buffers and images now, then signals {@code fence}. Allocates nothing.
     *
     * @param queue         the queue.
     * @param commandBuffer an executable command buffer of the queue's device.
     * @param fence         a fence to signal, or 0.
     * @return {@link SimResult#SUCCESS}.
     * @throws IllegalStateException when the command buffer is not executable.
     */
    public int queueSubmit(final long queue, final long commandBuffer, final long fence)
    {
        expect(queue, ObjectType.QUEUE, "queue");
        CommandExecutor.execute(queue, commandBuffer);
        CommandExecutor.signal(queue, fence);
        return SimResult.SUCCESS;
    }

    /**
     * {@code vkQueueSubmit} of several command buffers, in order.
     *
     * @param queue          the queue.
     * @param count          number of command buffers.
     * @param commandBuffers executable command buffers of the queue's device.
     * @param fence          a fence to signal, or 0.
     * @return {@link SimResult#SUCCESS}.
     * @throws IllegalStateException when a command buffer is not executable.
     */
    public int queueSubmit(final long queue, final int count, final long[] commandBuffers, final long fence)
    {
        expect(queue, ObjectType.QUEUE, "queue");
        for (int i = 0; i < count; i++)
        {
            CommandExecutor.execute(queue, commandBuffers[i]);
        }
        CommandExecutor.signal(queue, fence);
        return SimResult.SUCCESS;
    }

    /**
     * Command buffers submitted to a queue so far.
     *
     * @param queue the queue.
     * @return the count.
     */
    public long queueSubmitCount(final long queue)
    {
        expect(queue, ObjectType.QUEUE, "queue");
        return memGetLong(queue + QueueDescriptor.SUBMIT_COUNT_OFFSET);
    }

    /**
     * Commands a queue executed so far.
     *
     * @param queue the queue.
     * @return the count.
     */
    public long queueCommandsExecuted(final long queue)
    {
        expect(queue, ObjectType.QUEUE, "queue");
        return memGetLong(queue + QueueDescriptor.COMMANDS_EXECUTED_OFFSET);
    }

    /**
     * Draws a queue executed so far.
     *
     * @param queue the queue.
     * @return the count.
     */
    public long queueDrawCount(final long queue)
    {
        expect(queue, ObjectType.QUEUE, "queue");
        return memGetLong(queue + QueueDescriptor.DRAW_COUNT_OFFSET);
    }

    /**
     * Vertices (vertex count x instance count) a queue drew so far.
     *
     * @param queue the queue.
     * @return the count.
     */
    public long queueVerticesDrawn(final long queue)
    {
        expect(queue, ObjectType.QUEUE, "queue");
        return memGetLong(queue + QueueDescriptor.VERTICES_DRAWN_OFFSET);
    }

    /**
     * The callbacks that made an object's memory (the most-specific rule's choice at create).
     *
     * @param handle any live driver-sim object handle.
     * @return those callbacks; the driver's own when nothing in the chain was given any.
     */
    public AllocationCallbacks callbacksOf(final long handle)
    {
        if (0 == handle)
        {
            throw new IllegalArgumentException("null handle");
        }
        return registry.get(callbacksId(handle));
    }

    // ---------------------------------------------------------------------------------------------
    // Internals: memory

    private long allocate(
        final int callbacks, final long size, final long alignment, final SystemAllocationScope scope, final ObjectType type)
    {
        final long address = registry.get(callbacks).allocate(size, alignment, scope);
        statistics.onAllocate(type, scope, size, 0 != address);
        return address;
    }

    private void free(
        final int callbacks, final long address, final long size, final SystemAllocationScope scope, final ObjectType type)
    {
        if (0 != address)
        {
            registry.get(callbacks).free(address);
            statistics.onFree(type, scope, size);
        }
    }

    /** Allocates, zeroes and stamps an object block; 0 when the callbacks returned 0. */
    private long allocateObject(
        final int callbacks,
        final int given,
        final long length,
        final SystemAllocationScope scope,
        final ObjectType type,
        final long parent)
    {
        final long block = allocate(callbacks, length, OBJECT_ALIGNMENT, scope, type);
        if (0 != block)
        {
            memSet(block, 0, length);
            memPutInt(block + TYPE_TAG_OFFSET, type.tag());
            memPutInt(block + CALLBACKS_ID_OFFSET, callbacks);
            memPutInt(block + GIVEN_CALLBACKS_ID_OFFSET, given);
            memPutInt(block + BLOCK_LENGTH_OFFSET, (int)length);
            memPutLong(block + PARENT_OFFSET, parent);
        }
        return block;
    }

    /** Frees an object block with the callbacks that made it, clearing its tag first. */
    private void freeBlock(final long block, final SystemAllocationScope scope, final ObjectType type)
    {
        final int callbacks = callbacksId(block);
        final int length = memGetInt(block + BLOCK_LENGTH_OFFSET);
        memPutInt(block + TYPE_TAG_OFFSET, 0);
        free(callbacks, block, length, scope, type);
    }

    /** Frees a top-level object's block, releases its callbacks ids, then reports an incompatible pAllocator. */
    private void destroyObject(
        final long object, final SystemAllocationScope scope, final ObjectType type, final AllocationCallbacks allocator)
    {
        final int given = memGetInt(object + GIVEN_CALLBACKS_ID_OFFSET);
        final int callbacks = callbacksId(object);
        final int length = memGetInt(object + BLOCK_LENGTH_OFFSET);
        final AllocationCallbacks givenCallbacks = registry.get(given);
        freeBlock(object, scope, type);
        release(given, callbacks);
        // Report after freeing: a throwing handler must not leave the object half destroyed.
        if (CallbacksRegistry.NONE != given)
        {
            if (null == allocator)
            {
                violationHandler.onViolation(Violation.INCOMPATIBLE_ALLOCATOR, object, length, scope,
                    type.missingAtDestroyDetail());
            }
            else if (allocator != givenCallbacks)
            {
                violationHandler.onViolation(Violation.INCOMPATIBLE_ALLOCATOR, object, length, scope,
                    type.differentAtDestroyDetail());
            }
        }
        else if (null != allocator)
        {
            violationHandler.onViolation(Violation.UNEXPECTED_ALLOCATOR, object, length, scope,
                type.unexpectedAtDestroyDetail());
        }
    }

    private void release(final int given, final int callbacks)
    {
        registry.release(given);
        registry.release(callbacks);
    }

    private int outOfHostMemory(final int given, final int callbacks, final String what)
    {
        release(given, callbacks);
        lastFailureReason = what + ": the callbacks returned 0 (VK_ERROR_OUT_OF_HOST_MEMORY; nothing of the call is left)";
        return SimResult.ERROR_OUT_OF_HOST_MEMORY;
    }

    private int checkRequirements(final long device, final AllocationCallbacks allocator, final String command)
    {
        final int flags = memGetInt(device + DeviceDescriptor.REQUIREMENT_FLAGS_OFFSET);
        if (0 == flags || null == allocator)
        {
            return SimResult.SUCCESS; // the device's own callbacks were checked at createDevice
        }
        final AllocatorRequirements requirements = AllocatorRequirements.fromFlags(flags);
        final String unmet = requirements.unmetBy(allocator.traits());
        if (null == unmet)
        {
            return SimResult.SUCCESS;
        }
        lastFailureReason = command + ": the given callbacks (" + allocator.getClass().getSimpleName() + " declaring " +
            allocator.traits() + ") do not meet the device's " + requirements + ": " + unmet;
        return SimResult.ERROR_FEATURE_NOT_PRESENT;
    }

    private static int callbacksId(final long block)
    {
        return memGetInt(block + CALLBACKS_ID_OFFSET);
    }

    private static long tables(final long device)
    {
        return memGetLong(device + DeviceDescriptor.TABLES_OFFSET);
    }

    private static void addToCount(final long address, final int delta)
    {
        memPutInt(address, memGetInt(address) + delta);
    }

    private static void addChild(final long device, final int delta)
    {
        addToCount(device + DeviceDescriptor.CHILD_COUNT_OFFSET, delta);
    }

    private static void initTables(final long tables)
    {
        memPutLong(tables + DeviceTablesDescriptor.MAX_BUFFER_SIZE_OFFSET, MAX_BUFFER_SIZE);
        memPutInt(tables + DeviceTablesDescriptor.MAX_IMAGE_DIMENSION_OFFSET, MAX_IMAGE_DIMENSION);
        memPutInt(tables + DeviceTablesDescriptor.MAX_UPDATE_BUFFER_SIZE_OFFSET, MAX_UPDATE_BUFFER_SIZE);
        memPutInt(tables + DeviceTablesDescriptor.MAX_DESCRIPTOR_SET_BINDINGS_OFFSET, MAX_DESCRIPTOR_SET_BINDINGS);
        memPutInt(tables + DeviceTablesDescriptor.FORMAT_COUNT_OFFSET, FORMATS.length);
        for (int i = 0; i < FORMATS.length; i++)
        {
            final long entry = tables + DeviceTablesDescriptor.formatEntryOffset(i);
            memPutInt(entry + DeviceTablesDescriptor.FORMAT_ENTRY_FORMAT_OFFSET, FORMATS[i]);
            memPutInt(entry + DeviceTablesDescriptor.FORMAT_ENTRY_TEXEL_SIZE_OFFSET, TEXEL_SIZES[i]);
        }
    }

    private static int texelSize(final long tables, final int format)
    {
        final int count = memGetInt(tables + DeviceTablesDescriptor.FORMAT_COUNT_OFFSET);
        for (int i = 0; i < count; i++)
        {
            final long entry = tables + DeviceTablesDescriptor.formatEntryOffset(i);
            if (memGetInt(entry + DeviceTablesDescriptor.FORMAT_ENTRY_FORMAT_OFFSET) == format)
            {
                return memGetInt(entry + DeviceTablesDescriptor.FORMAT_ENTRY_TEXEL_SIZE_OFFSET);
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Internals: pipeline cache

    private static long entryTableLength(final long cache)
    {
        return (long)memGetInt(cache + PipelineCacheDescriptor.ENTRY_CAPACITY_OFFSET) *
            PipelineCacheDescriptor.ENTRY_LENGTH;
    }

    private static boolean cacheContains(final long cache, final long key)
    {
        final int count = memGetInt(cache + PipelineCacheDescriptor.ENTRY_COUNT_OFFSET);
        final long table = memGetLong(cache + PipelineCacheDescriptor.ENTRIES_OFFSET);
        for (int i = 0; i < count; i++)
        {
            if (memGetLong(table + (long)i * PipelineCacheDescriptor.ENTRY_LENGTH) == key)
            {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code key} unless present, growing the table by reallocation; false when it could not grow. */
    private boolean cacheInsert(final long cache, final long key)
    {
        if (cacheContains(cache, key))
        {
            return true;
        }
        final int count = memGetInt(cache + PipelineCacheDescriptor.ENTRY_COUNT_OFFSET);
        final int capacity = memGetInt(cache + PipelineCacheDescriptor.ENTRY_CAPACITY_OFFSET);
        long table = memGetLong(cache + PipelineCacheDescriptor.ENTRIES_OFFSET);
        if (count == capacity)
        {
            final long oldLength = (long)capacity * PipelineCacheDescriptor.ENTRY_LENGTH;
            final long newLength = 2 * oldLength;
            final long grown = registry.get(callbacksId(cache)).reallocate(table, newLength, OBJECT_ALIGNMENT, CACHE);
            statistics.onReallocate(ObjectType.PIPELINE_CACHE, CACHE, oldLength, newLength, 0 != grown);
            if (0 == grown)
            {
                return false; // the original table is still valid and still ours
            }
            table = grown;
            memPutLong(cache + PipelineCacheDescriptor.ENTRIES_OFFSET, table);
            memPutInt(cache + PipelineCacheDescriptor.ENTRY_CAPACITY_OFFSET, 2 * capacity);
        }
        memPutLong(table + (long)count * PipelineCacheDescriptor.ENTRY_LENGTH, key);
        memPutInt(cache + PipelineCacheDescriptor.ENTRY_COUNT_OFFSET, count + 1);
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // Internals: pools

    private void freeDescriptorSet(final long pool, final long set)
    {
        final long next = memGetLong(set + DescriptorSetDescriptor.NEXT_OFFSET);
        final long previous = memGetLong(set + DescriptorSetDescriptor.PREVIOUS_OFFSET);
        if (0 != previous)
        {
            memPutLong(previous + DescriptorSetDescriptor.NEXT_OFFSET, next);
        }
        else
        {
            memPutLong(pool + DescriptorPoolDescriptor.FIRST_SET_OFFSET, next);
        }
        if (0 != next)
        {
            memPutLong(next + DescriptorSetDescriptor.PREVIOUS_OFFSET, previous);
        }
        addToCount(pool + DescriptorPoolDescriptor.LIVE_SETS_OFFSET, -1);
        freeBlock(set, OBJECT, ObjectType.DESCRIPTOR_SET);
    }

    private void freeAllDescriptorSets(final long pool)
    {
        long set = memGetLong(pool + DescriptorPoolDescriptor.FIRST_SET_OFFSET);
        while (0 != set)
        {
            final long next = memGetLong(set + DescriptorSetDescriptor.NEXT_OFFSET);
            freeBlock(set, OBJECT, ObjectType.DESCRIPTOR_SET);
            set = next;
        }
        memPutLong(pool + DescriptorPoolDescriptor.FIRST_SET_OFFSET, 0);
        memPutInt(pool + DescriptorPoolDescriptor.LIVE_SETS_OFFSET, 0);
    }

    private void freeCommandBuffer(final long pool, final long buffer)
    {
        final long next = memGetLong(buffer + CommandBufferDescriptor.NEXT_OFFSET);
        final long previous = memGetLong(buffer + CommandBufferDescriptor.PREVIOUS_OFFSET);
        if (0 != previous)
        {
            memPutLong(previous + CommandBufferDescriptor.NEXT_OFFSET, next);
        }
        else
        {
            memPutLong(pool + CommandPoolDescriptor.FIRST_BUFFER_OFFSET, next);
        }
        if (0 != next)
        {
            memPutLong(next + CommandBufferDescriptor.PREVIOUS_OFFSET, previous);
        }
        addToCount(pool + CommandPoolDescriptor.BUFFER_COUNT_OFFSET, -1);
        freeChunks(buffer);
        freeBlock(buffer, OBJECT, ObjectType.COMMAND_BUFFER);
    }

    private void freeChunks(final long buffer)
    {
        final int callbacks = callbacksId(buffer);
        long chunk = memGetLong(buffer + CommandBufferDescriptor.FIRST_CHUNK_OFFSET);
        while (0 != chunk)
        {
            final long next = memGetLong(chunk + CommandChunkDescriptor.NEXT_OFFSET);
            free(callbacks, chunk, memGetInt(chunk + CommandChunkDescriptor.CAPACITY_OFFSET), OBJECT,
                ObjectType.COMMAND_BUFFER);
            chunk = next;
        }
        memPutLong(buffer + CommandBufferDescriptor.FIRST_CHUNK_OFFSET, 0);
    }

    // ---------------------------------------------------------------------------------------------
    // Internals: recording and execution (hot paths: no heap allocation)

    private void resetCommandBufferState(final long buffer, final int flags)
    {
        if ((flags & RESET_RELEASE_RESOURCES) != 0)
        {
            freeChunks(buffer);
        }
        else
        {
            long chunk = memGetLong(buffer + CommandBufferDescriptor.FIRST_CHUNK_OFFSET);
            while (0 != chunk)
            {
                memPutInt(chunk + CommandChunkDescriptor.USED_OFFSET, CommandChunkDescriptor.HEADER_LENGTH);
                chunk = memGetLong(chunk + CommandChunkDescriptor.NEXT_OFFSET);
            }
        }
        memPutLong(buffer + CommandBufferDescriptor.CURRENT_CHUNK_OFFSET, 0);
        memPutLong(buffer + CommandBufferDescriptor.BOUND_PIPELINE_OFFSET, 0);
        memPutInt(buffer + CommandBufferDescriptor.STATE_OFFSET, CommandBufferDescriptor.STATE_INITIAL);
        memPutInt(buffer + CommandBufferDescriptor.ERROR_OFFSET, SimResult.SUCCESS);
        memPutInt(buffer + CommandBufferDescriptor.COMMAND_COUNT_OFFSET, 0);
    }

    private static void expectRecording(final long commandBuffer)
    {
        expect(commandBuffer, ObjectType.COMMAND_BUFFER, "commandBuffer");
        if (memGetInt(commandBuffer + CommandBufferDescriptor.STATE_OFFSET) != CommandBufferDescriptor.STATE_RECORDING)
        {
            throw new IllegalStateException(
                "VUID-vkCmdDraw-commandBuffer-recording: the command buffer is not recording (call beginCommandBuffer)");
        }
    }

    private long reserveUpdate(final long commandBuffer, final long buffer, final long offset, final long size)
    {
        expectRecording(commandBuffer);
        expect(buffer, ObjectType.BUFFER, "buffer");
        if (size < FILL_WORD || size > MAX_UPDATE_BUFFER_SIZE || (size & (FILL_WORD - 1)) != 0 ||
            (offset & (FILL_WORD - 1)) != 0)
        {
            throw new IllegalArgumentException("VUID-vkCmdUpdateBuffer-dataSize-00037/00038: size must be a multiple " +
                "of 4 in 4.." + MAX_UPDATE_BUFFER_SIZE + " and offset a multiple of 4: " + size + ", " + offset);
        }
        checkRange(buffer, offset, size, "update");
        final int length = CommandDescriptor.length(3, (int)size);
        final long command = reserve(commandBuffer, length);
        if (0 != command)
        {
            putHeader(command, CommandDescriptor.UPDATE_BUFFER, length);
            memPutLong(command + CommandDescriptor.operandOffset(0), buffer);
            memPutLong(command + CommandDescriptor.operandOffset(1), offset);
            memPutLong(command + CommandDescriptor.operandOffset(2), size);
        }
        return command;
    }

    /**
     * Room for a command of {@code length} bytes: in the current chunk, else the next kept chunk,
     * else a new chunk from the pool's callbacks. 0 (and the buffer's error set) when out of memory.
     */
    private long reserve(final long buffer, final int length)
    {
        if (SimResult.SUCCESS != memGetInt(buffer + CommandBufferDescriptor.ERROR_OFFSET))
        {
            return 0; // already failed: end reports it
        }
        final long current = memGetLong(buffer + CommandBufferDescriptor.CURRENT_CHUNK_OFFSET);
        if (0 != current)
        {
            final int used = memGetInt(current + CommandChunkDescriptor.USED_OFFSET);
            if (used + length <= memGetInt(current + CommandChunkDescriptor.CAPACITY_OFFSET))
            {
                memPutInt(current + CommandChunkDescriptor.USED_OFFSET, used + length);
                return counted(buffer, current + used);
            }
        }
        final long next = 0 == current ? memGetLong(buffer + CommandBufferDescriptor.FIRST_CHUNK_OFFSET) :
            memGetLong(current + CommandChunkDescriptor.NEXT_OFFSET);
        if (0 != next && memGetInt(next + CommandChunkDescriptor.CAPACITY_OFFSET) -
            CommandChunkDescriptor.HEADER_LENGTH >= length)
        {
            memPutInt(next + CommandChunkDescriptor.USED_OFFSET, CommandChunkDescriptor.HEADER_LENGTH + length);
            memPutLong(buffer + CommandBufferDescriptor.CURRENT_CHUNK_OFFSET, next);
            return counted(buffer, next + CommandChunkDescriptor.HEADER_LENGTH);
        }
        final int capacity = Math.max(CommandChunkDescriptor.DEFAULT_LENGTH, CommandChunkDescriptor.HEADER_LENGTH + length);
        final long chunk = allocate(callbacksId(buffer), capacity, CommandChunkDescriptor.ALIGNMENT, OBJECT,
            ObjectType.COMMAND_BUFFER);
        if (0 == chunk)
        {
            memPutInt(buffer + CommandBufferDescriptor.ERROR_OFFSET, SimResult.ERROR_OUT_OF_HOST_MEMORY);
            return 0;
        }
        memPutLong(chunk + CommandChunkDescriptor.NEXT_OFFSET, next);
        memPutInt(chunk + CommandChunkDescriptor.CAPACITY_OFFSET, capacity);
        memPutInt(chunk + CommandChunkDescriptor.USED_OFFSET, CommandChunkDescriptor.HEADER_LENGTH + length);
        if (0 == current)
        {
            memPutLong(buffer + CommandBufferDescriptor.FIRST_CHUNK_OFFSET, chunk);
        }
        else
        {
            memPutLong(current + CommandChunkDescriptor.NEXT_OFFSET, chunk);
        }
        memPutLong(buffer + CommandBufferDescriptor.CURRENT_CHUNK_OFFSET, chunk);
        return counted(buffer, chunk + CommandChunkDescriptor.HEADER_LENGTH);
    }

    private static long counted(final long buffer, final long command)
    {
        addToCount(buffer + CommandBufferDescriptor.COMMAND_COUNT_OFFSET, 1);
        return command;
    }

    private static void putHeader(final long command, final int opcode, final int length)
    {
        memPutInt(command + CommandDescriptor.OPCODE_OFFSET, opcode);
        memPutInt(command + CommandDescriptor.LENGTH_OFFSET, length);
    }

    /** Checks {@code [offset, offset + size)} lies in the buffer; returns the size ({@link #WHOLE_SIZE} resolved). */
    private static long checkRange(final long buffer, final long offset, final long size, final String what)
    {
        final long bufferSize = memGetLong(buffer + BufferDescriptor.SIZE_OFFSET);
        final long length = WHOLE_SIZE == size ? bufferSize - offset : size;
        if (offset < 0 || offset >= bufferSize || length <= 0 || length > bufferSize - offset)
        {
            throw new IllegalArgumentException(what + " range [" + offset + ", +" + size + ") is outside the buffer's " +
                bufferSize + " bytes");
        }
        return length;
    }
}
