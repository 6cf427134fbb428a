package dev.hostalloc.render;

import static org.lwjgl.vulkan.VK10.*;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.vulkan.VulkanAllocationCallbacks;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.vulkan.EXTDebugUtils;
import org.lwjgl.vulkan.VK11;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkAttachmentDescription;
import org.lwjgl.vulkan.VkAttachmentReference;
import org.lwjgl.vulkan.VkBufferCreateInfo;
import org.lwjgl.vulkan.VkBufferImageCopy;
import org.lwjgl.vulkan.VkClearValue;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferAllocateInfo;
import org.lwjgl.vulkan.VkCommandBufferBeginInfo;
import org.lwjgl.vulkan.VkCommandPoolCreateInfo;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCreateInfoEXT;
import org.lwjgl.vulkan.VkDescriptorBufferInfo;
import org.lwjgl.vulkan.VkDescriptorPoolCreateInfo;
import org.lwjgl.vulkan.VkDescriptorPoolSize;
import org.lwjgl.vulkan.VkDescriptorSetAllocateInfo;
import org.lwjgl.vulkan.VkDescriptorSetLayoutBinding;
import org.lwjgl.vulkan.VkDescriptorSetLayoutCreateInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkDeviceCreateInfo;
import org.lwjgl.vulkan.VkDeviceQueueCreateInfo;
import org.lwjgl.vulkan.VkFenceCreateInfo;
import org.lwjgl.vulkan.VkFramebufferCreateInfo;
import org.lwjgl.vulkan.VkGraphicsPipelineCreateInfo;
import org.lwjgl.vulkan.VkImageCreateInfo;
import org.lwjgl.vulkan.VkImageViewCreateInfo;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.lwjgl.vulkan.VkMemoryAllocateInfo;
import org.lwjgl.vulkan.VkMemoryBarrier;
import org.lwjgl.vulkan.VkMemoryRequirements;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceMemoryProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties;
import org.lwjgl.vulkan.VkPipelineColorBlendAttachmentState;
import org.lwjgl.vulkan.VkPipelineColorBlendStateCreateInfo;
import org.lwjgl.vulkan.VkPipelineInputAssemblyStateCreateInfo;
import org.lwjgl.vulkan.VkPipelineLayoutCreateInfo;
import org.lwjgl.vulkan.VkPipelineMultisampleStateCreateInfo;
import org.lwjgl.vulkan.VkPipelineRasterizationStateCreateInfo;
import org.lwjgl.vulkan.VkPipelineShaderStageCreateInfo;
import org.lwjgl.vulkan.VkPipelineVertexInputStateCreateInfo;
import org.lwjgl.vulkan.VkPipelineViewportStateCreateInfo;
import org.lwjgl.vulkan.VkQueue;
import org.lwjgl.vulkan.VkQueueFamilyProperties;
import org.lwjgl.vulkan.VkRect2D;
import org.lwjgl.vulkan.VkRenderPassBeginInfo;
import org.lwjgl.vulkan.VkRenderPassCreateInfo;
import org.lwjgl.vulkan.VkShaderModuleCreateInfo;
import org.lwjgl.vulkan.VkSubmitInfo;
import org.lwjgl.vulkan.VkSubpassDependency;
import org.lwjgl.vulkan.VkSubpassDescription;
import org.lwjgl.vulkan.VkVertexInputAttributeDescription;
import org.lwjgl.vulkan.VkVertexInputBindingDescription;
import org.lwjgl.vulkan.VkViewport;

/**
 * A headless, offscreen Vulkan renderer of {@link TriangleScene}: instance (optionally with the
 * Khronos validation layer and a messenger recording its warnings and errors), a CPU device (lavapipe)
 * or else the first, one graphics queue, a 256×256 {@code R8G8B8A8_UNORM} colour image in a render
 * pass, a graphics pipeline from GLSL compiled at setup, host-visible vertex, uniform and read-back
 * buffers, a descriptor set, one command buffer and one fence.
 *
 * <p>Host memory: the driver's through a {@link VulkanAllocationCallbacks} bridge over {@code driver}
 * (every lifecycle call is in {@link RenderVk}); the renderer's own long-lived memory (the per-frame
 * structs, {@link FrameStructsDescriptor}) from {@code app}; call-scoped structs on the thread's
 * {@code MemoryStack}. {@link #renderFrame} makes no host allocation of its own and, after warm-up,
 * allocates no Java heap.
 *
 * <p>Failures: {@link #open} throws a {@link RenderSetupException} naming the step and its
 * {@code VkResult} after tearing down what it made; {@link #close()} tears down exactly what exists,
 * in reverse creation order, and closes the bridge. Not thread-safe: one thread drives a renderer.
 */
public final class Renderer implements AutoCloseable
{
    /** The Vulkan version asked for. */
    public static final int API_VERSION = VK11.VK_API_VERSION_1_1;
    /** The layer {@code --validation} enables. */
    public static final String VALIDATION_LAYER = "VK_LAYER_KHRONOS_validation";
    /** The colour format. */
    public static final int COLOR_FORMAT = VK_FORMAT_R8G8B8A8_UNORM;
    /** Bytes per pixel of {@link #COLOR_FORMAT}. */
    public static final int BYTES_PER_PIXEL = 4;

    static final String STEP_PICK_DEVICE = "pick physical device";
    static final String STEP_COMPILE = "compile GLSL";
    static final String STEP_APP_MEMORY = "app allocation of the frame structs";
    static final String STEP_MAP_MEMORY = "vkMapMemory";
    static final String STEP_BIND_MEMORY = "vkBind*Memory";
    static final String STEP_RESET_FENCE = "vkResetFences";
    static final String STEP_RESET_COMMAND_BUFFER = "vkResetCommandBuffer";
    static final String STEP_BEGIN = "vkBeginCommandBuffer";
    static final String STEP_RECORD = "vkCmd* (read-back)";
    static final String STEP_BEGIN_RENDER_PASS = "vkCmdBeginRenderPass";
    static final String STEP_BIND_PIPELINE = "vkCmdBindPipeline";
    static final String STEP_BIND_DESCRIPTOR_SETS = "vkCmdBindDescriptorSets";
    static final String STEP_BIND_VERTEX_BUFFERS = "vkCmdBindVertexBuffers";
    static final String STEP_DRAW = "vkCmdDraw";
    static final String STEP_END_RENDER_PASS = "vkCmdEndRenderPass";
    static final String STEP_END = "vkEndCommandBuffer";
    static final String STEP_SUBMIT = "vkQueueSubmit";
    static final String STEP_WAIT = "vkWaitForFences";
    static final String STEP_WAIT_IDLE = "vkDeviceWaitIdle";

    private static final String APPLICATION_NAME = "hostalloc-render";
    private static final long NULL = 0L;
    private static final long FENCE_TIMEOUT_NANOS = 10_000_000_000L;
    private static final float QUEUE_PRIORITY = 1.0f;
    private static final int UNIFORM_BYTES = 4 * Float.BYTES;
    private static final int NO_MEMORY_TYPE = -1;

    private final AllocationCallbacks app;
    private final RenderTrace trace;
    private final VulkanAllocationCallbacks bridge;
    private final RenderVk vk;
    private final RenderVk.ValidationMessages validation;

    private VkPhysicalDevice physicalDevice;
    private String deviceName = "";
    private int queueFamily;
    private VkQueue queue;
    private long uniformMapped;
    private long readbackMapped;
    private long frameStructs;
    private VkCommandBufferBeginInfo beginInfo;
    private VkRenderPassBeginInfo renderPassBegin;
    private VkSubmitInfo submitInfo;
    private LongBuffer vertexBuffers;
    private LongBuffer vertexOffsets;
    private LongBuffer descriptorSets;
    private LongBuffer fences;
    private long bridgeViolationCount;
    private String bridgeViolationReport = "";
    private boolean closed;

    private Renderer(
        final AllocationCallbacks driver, final AllocationCallbacks app, final boolean validate, final RenderTrace trace)
    {
        this.app = app;
        this.trace = trace;
        this.bridge = new VulkanAllocationCallbacks(driver);
        this.vk = new RenderVk(bridge.struct(), trace);
        this.validation = validate ? new RenderVk.ValidationMessages() : null;
    }

    /**
     * Sets the renderer up.
     *
     * @param driver   the allocator the driver's host memory comes from (through the bridge).
     * @param app      the allocator the renderer's own long-lived memory comes from.
     * @param validate whether to enable {@link #VALIDATION_LAYER} and record its warnings and errors.
     * @param trace    told each step before it runs.
     * @return the renderer, ready for {@link #renderFrame}.
     * @throws RenderSetupException when a step fails (everything made so far is torn down first).
     * @throws NullPointerException when an argument is {@code null}.
     */
    public static Renderer open(
        final AllocationCallbacks driver, final AllocationCallbacks app, final boolean validate, final RenderTrace trace)
    {
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(trace, "trace");
        final Renderer renderer = new Renderer(driver, app, validate, trace);
        try
        {
            renderer.setUp();
            return renderer;
        }
        catch (final RuntimeException | Error ex)
        {
            renderer.close();
            throw ex;
        }
    }

    /**
     * Renders frame {@code frame} (rotation {@link TriangleScene#angle(int)}) and waits for it.
     *
     * @param frame the frame index from 0.
     * @throws RenderSetupException when a Vulkan call of the frame fails (the renderer can still be closed).
     * @throws IllegalStateException when closed.
     */
    public void renderFrame(final int frame)
    {
        if (closed)
        {
            throw new IllegalStateException("renderer is closed");
        }
        final VkDevice device = vk.device();
        final VkCommandBuffer cmd = vk.commandBuffer();
        final long fence = vk.handle(RenderObject.FENCE);
        MemoryUtil.memPutFloat(uniformMapped, (float)TriangleScene.angle(frame));

        trace.enter(STEP_RESET_FENCE);
        check(STEP_RESET_FENCE, vkResetFences(device, fences));
        trace.enter(STEP_RESET_COMMAND_BUFFER);
        check(STEP_RESET_COMMAND_BUFFER, vkResetCommandBuffer(cmd, 0));
        trace.enter(STEP_BEGIN);
        check(STEP_BEGIN, vkBeginCommandBuffer(cmd, beginInfo));
        trace.enter(STEP_BEGIN_RENDER_PASS);
        vkCmdBeginRenderPass(cmd, renderPassBegin, VK_SUBPASS_CONTENTS_INLINE);
        trace.enter(STEP_BIND_PIPELINE);
        vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, vk.handle(RenderObject.PIPELINE));
        trace.enter(STEP_BIND_DESCRIPTOR_SETS);
        vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, vk.handle(RenderObject.PIPELINE_LAYOUT), 0,
            descriptorSets, null);
        trace.enter(STEP_BIND_VERTEX_BUFFERS);
        vkCmdBindVertexBuffers(cmd, 0, vertexBuffers, vertexOffsets);
        trace.enter(STEP_DRAW);
        vkCmdDraw(cmd, TriangleScene.VERTEX_COUNT, 1, 0, 0);
        trace.enter(STEP_END_RENDER_PASS);
        vkCmdEndRenderPass(cmd);
        trace.enter(STEP_END);
        check(STEP_END, vkEndCommandBuffer(cmd));
        submitAndWait(fence);
    }

    /**
     * Copies the colour image (the last frame rendered) to the read-back buffer and returns its pixels.
     *
     * @return {@link TriangleScene#WIDTH} × {@link TriangleScene#HEIGHT} pixels, row by row, as
     *         {@code 0xAARRGGBB}.
     * @throws RenderSetupException when a Vulkan call fails.
     */
    public int[] readBack()
    {
        final VkDevice device = vk.device();
        final VkCommandBuffer cmd = vk.commandBuffer();
        final long fence = vk.handle(RenderObject.FENCE);
        trace.enter(STEP_RESET_FENCE);
        check(STEP_RESET_FENCE, vkResetFences(device, fences));
        trace.enter(STEP_RESET_COMMAND_BUFFER);
        check(STEP_RESET_COMMAND_BUFFER, vkResetCommandBuffer(cmd, 0));
        trace.enter(STEP_BEGIN);
        check(STEP_BEGIN, vkBeginCommandBuffer(cmd, beginInfo));
        trace.enter(STEP_RECORD);
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkBufferImageCopy.Buffer region = VkBufferImageCopy.calloc(1, stack);
            region.get(0).imageSubresource(s -> s.aspectMask(VK_IMAGE_ASPECT_COLOR_BIT).layerCount(1))
                .imageExtent(e -> e.width(TriangleScene.WIDTH).height(TriangleScene.HEIGHT).depth(1));
            vkCmdCopyImageToBuffer(cmd, vk.handle(RenderObject.COLOR_IMAGE), VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                vk.handle(RenderObject.READBACK_BUFFER), region);
            final VkMemoryBarrier.Buffer toHost = VkMemoryBarrier.calloc(1, stack);
            toHost.get(0).sType$Default().srcAccessMask(VK_ACCESS_TRANSFER_WRITE_BIT).dstAccessMask(VK_ACCESS_HOST_READ_BIT);
            vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, toHost, null, null);
        }
        trace.enter(STEP_END);
        check(STEP_END, vkEndCommandBuffer(cmd));
        submitAndWait(fence);

        final int[] argb = new int[TriangleScene.WIDTH * TriangleScene.HEIGHT];
        for (int i = 0; i < argb.length; i++)
        {
            final int rgba = MemoryUtil.memGetInt(readbackMapped + (long)i * BYTES_PER_PIXEL);
            // memory order R, G, B, A; little-endian int: A<<24 | B<<16 | G<<8 | R
            final int r = rgba & 0xFF;
            final int g = (rgba >>> 8) & 0xFF;
            final int b = (rgba >>> 16) & 0xFF;
            final int a = (rgba >>> 24) & 0xFF;
            argb[i] = a << 24 | r << 16 | g << 8 | b;
        }
        return argb;
    }

    /**
     * Writes pixels as a PNG.
     *
     * @param argb pixels from {@link #readBack()}.
     * @param path the file (parent directories are created).
     * @throws IOException when writing fails.
     */
    public static void writePng(final int[] argb, final Path path) throws IOException
    {
        final BufferedImage image = new BufferedImage(TriangleScene.WIDTH, TriangleScene.HEIGHT, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, TriangleScene.WIDTH, TriangleScene.HEIGHT, argb, 0, TriangleScene.WIDTH);
        final Path parent = path.toAbsolutePath().getParent();
        if (null != parent)
        {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(image, "png", path.toFile()))
        {
            throw new IOException("no PNG writer");
        }
    }

    /**
     * The selected device.
     *
     * @return e.g. {@code llvmpipe (LLVM 15.0.6, 256 bits)}.
     */
    public String deviceName()
    {
        return deviceName;
    }

    /**
     * The validation layer's warnings and errors so far.
     *
     * @return the messages ({@code "ERROR: ..."} / {@code "WARNING: ..."}); empty without validation.
     */
    public List<String> validationMessages()
    {
        return null == validation ? List.of() : validation.messages();
    }

    /**
     * Violations the bridge reported (e.g. a driver freeing a pointer it never got); final after
     * {@link #close()}.
     *
     * @return the count.
     */
    public long bridgeViolationCount()
    {
        return closed ? bridgeViolationCount : bridge.violations().totalCount();
    }

    /**
     * The bridge's violation report, captured at {@link #close()}.
     *
     * @return the text; empty when there were none or before close.
     */
    public String bridgeViolationReport()
    {
        return bridgeViolationReport;
    }

    /**
     * The device, for tests that make extra (non-lifecycle) calls on it.
     *
     * @return the device, or {@code null} when it does not exist.
     */
    VkDevice device()
    {
        return vk.device();
    }

    /**
     * A handle, for tests.
     *
     * @param object the object.
     * @return its handle, or {@code VK_NULL_HANDLE}.
     */
    long handle(final RenderObject object)
    {
        return vk.handle(object);
    }

    /**
     * Whether any Vulkan object of the renderer still exists.
     *
     * @return {@code false} after {@link #close()}.
     */
    public boolean anyObjectAlive()
    {
        return vk.anyAlive();
    }

    /**
     * Waits for the device to be idle, destroys every object that exists in reverse creation order,
     * frees the renderer's own block, closes the bridge and the messenger's stub. Idempotent; never
     * throws for a failed setup.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (null != vk.device())
        {
            trace.enter(STEP_WAIT_IDLE);
            vkDeviceWaitIdle(vk.device());
        }
        vk.destroyAll();
        if (NULL != frameStructs)
        {
            app.free(frameStructs);
            frameStructs = NULL;
        }
        bridgeViolationCount = bridge.violations().totalCount();
        bridgeViolationReport = bridgeViolationCount == 0 ? "" : bridge.violations().report();
        bridge.close();
        if (null != validation)
        {
            validation.close();
        }
        trace.enter(RenderTrace.IDLE);
    }

    private void submitAndWait(final long fence)
    {
        trace.enter(STEP_SUBMIT);
        check(STEP_SUBMIT, vkQueueSubmit(queue, submitInfo, fence));
        trace.enter(STEP_WAIT);
        check(STEP_WAIT, vkWaitForFences(vk.device(), fences, true, FENCE_TIMEOUT_NANOS));
        trace.enter(RenderTrace.IDLE);
    }

    private static void check(final String step, final int result)
    {
        if (VK_SUCCESS != result)
        {
            throw new RenderSetupException(step, result, "");
        }
    }

    private void setUp()
    {
        final byte[] vertexSpirv;
        final byte[] fragmentSpirv;
        trace.enter(STEP_COMPILE);
        try
        {
            vertexSpirv = CompiledShaders.VERTEX.get();
            fragmentSpirv = CompiledShaders.FRAGMENT.get();
        }
        catch (final IllegalStateException ex)
        {
            throw new RenderSetupException(STEP_COMPILE, RenderSetupException.NO_RESULT, ex.getMessage());
        }
        createInstance();
        pickPhysicalDevice();
        createDevice();
        createColorTarget();
        createPipeline(vertexSpirv, fragmentSpirv);
        createBuffers();
        createDescriptors();
        createCommands();
        prepareFrameStructs();
    }

    private void createInstance()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkApplicationInfo appInfo = VkApplicationInfo.calloc(stack)
                .sType$Default()
                .pApplicationName(stack.UTF8(APPLICATION_NAME))
                .pEngineName(stack.UTF8(APPLICATION_NAME))
                .apiVersion(API_VERSION);
            final VkInstanceCreateInfo info = VkInstanceCreateInfo.calloc(stack).sType$Default().pApplicationInfo(appInfo);
            VkDebugUtilsMessengerCreateInfoEXT messengerInfo = null;
            if (null != validation)
            {
                info.ppEnabledLayerNames(stack.pointers(stack.UTF8(VALIDATION_LAYER)));
                info.ppEnabledExtensionNames(stack.pointers(stack.UTF8(EXTDebugUtils.VK_EXT_DEBUG_UTILS_EXTENSION_NAME)));
                messengerInfo = validation.describe(VkDebugUtilsMessengerCreateInfoEXT.calloc(stack));
                // also hear what the layer says during vkCreateInstance / vkDestroyInstance
                info.pNext(messengerInfo.address());
            }
            final int result = vk.createInstance(info);
            if (VK_SUCCESS != result)
            {
                throw new RenderSetupException(RenderVk.CREATE_INSTANCE, result, VK_ERROR_LAYER_NOT_PRESENT == result
                    ? VALIDATION_LAYER + " is not installed (Debian/Ubuntu: vulkan-validationlayers)" : "");
            }
            if (null != messengerInfo)
            {
                created(RenderVk.CREATE_DEBUG_MESSENGER, vk.createDebugMessenger(messengerInfo));
            }
        }
    }

    private void pickPhysicalDevice()
    {
        trace.enter(STEP_PICK_DEVICE);
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final IntBuffer count = stack.callocInt(1);
            created("vkEnumeratePhysicalDevices", vkEnumeratePhysicalDevices(vk.instance(), count, null));
            if (0 == count.get(0))
            {
                throw new RenderSetupException(STEP_PICK_DEVICE, RenderSetupException.NO_RESULT,
                    "no Vulkan physical device; install mesa-vulkan-drivers for lavapipe");
            }
            final PointerBuffer devices = stack.callocPointer(count.get(0));
            final int result = vkEnumeratePhysicalDevices(vk.instance(), count, devices);
            if (VK_SUCCESS != result && VK_INCOMPLETE != result)
            {
                throw new RenderSetupException("vkEnumeratePhysicalDevices", result, "");
            }
            final VkPhysicalDeviceProperties properties = VkPhysicalDeviceProperties.calloc(stack);
            for (int i = 0; i < count.get(0) && null == physicalDevice; i++)
            {
                final VkPhysicalDevice candidate = new VkPhysicalDevice(devices.get(i), vk.instance());
                vkGetPhysicalDeviceProperties(candidate, properties);
                if (VK_PHYSICAL_DEVICE_TYPE_CPU == properties.deviceType())
                {
                    physicalDevice = candidate;
                }
            }
            if (null == physicalDevice)
            {
                physicalDevice = new VkPhysicalDevice(devices.get(0), vk.instance());
            }
            vkGetPhysicalDeviceProperties(physicalDevice, properties);
            deviceName = properties.deviceNameString();

            final IntBuffer familyCount = stack.callocInt(1);
            vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice, familyCount, null);
            final VkQueueFamilyProperties.Buffer families = VkQueueFamilyProperties.calloc(familyCount.get(0), stack);
            vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice, familyCount, families);
            queueFamily = -1;
            for (int i = 0; i < familyCount.get(0) && queueFamily < 0; i++)
            {
                if (0 != (families.get(i).queueFlags() & VK_QUEUE_GRAPHICS_BIT))
                {
                    queueFamily = i;
                }
            }
            if (queueFamily < 0)
            {
                throw new RenderSetupException(STEP_PICK_DEVICE, RenderSetupException.NO_RESULT,
                    deviceName + " has no graphics queue");
            }
        }
    }

    private void createDevice()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkDeviceQueueCreateInfo.Buffer queues = VkDeviceQueueCreateInfo.calloc(1, stack);
            queues.get(0).sType$Default().queueFamilyIndex(queueFamily).pQueuePriorities(stack.floats(QUEUE_PRIORITY));
            final VkDeviceCreateInfo info = VkDeviceCreateInfo.calloc(stack).sType$Default().pQueueCreateInfos(queues);
            created(RenderVk.CREATE_DEVICE, vk.createDevice(physicalDevice, info, API_VERSION));
            final PointerBuffer pQueue = stack.callocPointer(1);
            vkGetDeviceQueue(vk.device(), queueFamily, 0, pQueue);
            queue = new VkQueue(pQueue.get(0), vk.device());
        }
    }

    private void createColorTarget()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkImageCreateInfo image = VkImageCreateInfo.calloc(stack)
                .sType$Default()
                .imageType(VK_IMAGE_TYPE_2D)
                .format(COLOR_FORMAT)
                .extent(e -> e.width(TriangleScene.WIDTH).height(TriangleScene.HEIGHT).depth(1))
                .mipLevels(1)
                .arrayLayers(1)
                .samples(VK_SAMPLE_COUNT_1_BIT)
                .tiling(VK_IMAGE_TILING_OPTIMAL)
                .usage(VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT)
                .sharingMode(VK_SHARING_MODE_EXCLUSIVE)
                .initialLayout(VK_IMAGE_LAYOUT_UNDEFINED);
            created(RenderVk.CREATE_IMAGE, vk.createImage(image));
            final VkMemoryRequirements requirements = VkMemoryRequirements.calloc(stack);
            vkGetImageMemoryRequirements(vk.device(), vk.handle(RenderObject.COLOR_IMAGE), requirements);
            allocate(RenderObject.COLOR_MEMORY, requirements, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, stack);
            trace.enter(STEP_BIND_MEMORY);
            created(STEP_BIND_MEMORY, vkBindImageMemory(vk.device(), vk.handle(RenderObject.COLOR_IMAGE),
                vk.handle(RenderObject.COLOR_MEMORY), 0));

            final VkImageViewCreateInfo view = VkImageViewCreateInfo.calloc(stack)
                .sType$Default()
                .image(vk.handle(RenderObject.COLOR_IMAGE))
                .viewType(VK_IMAGE_VIEW_TYPE_2D)
                .format(COLOR_FORMAT)
                .subresourceRange(r -> r.aspectMask(VK_IMAGE_ASPECT_COLOR_BIT).levelCount(1).layerCount(1));
            created(RenderVk.CREATE_IMAGE_VIEW, vk.createImageView(view));

            final VkAttachmentDescription.Buffer attachment = VkAttachmentDescription.calloc(1, stack);
            attachment.get(0)
                .format(COLOR_FORMAT)
                .samples(VK_SAMPLE_COUNT_1_BIT)
                .loadOp(VK_ATTACHMENT_LOAD_OP_CLEAR)
                .storeOp(VK_ATTACHMENT_STORE_OP_STORE)
                .stencilLoadOp(VK_ATTACHMENT_LOAD_OP_DONT_CARE)
                .stencilStoreOp(VK_ATTACHMENT_STORE_OP_DONT_CARE)
                .initialLayout(VK_IMAGE_LAYOUT_UNDEFINED)
                .finalLayout(VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL);
            final VkAttachmentReference.Buffer colorRef = VkAttachmentReference.calloc(1, stack);
            colorRef.get(0).attachment(0).layout(VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL);
            final VkSubpassDescription.Buffer subpass = VkSubpassDescription.calloc(1, stack);
            subpass.get(0).pipelineBindPoint(VK_PIPELINE_BIND_POINT_GRAPHICS).colorAttachmentCount(1)
                .pColorAttachments(colorRef);
            final VkSubpassDependency.Buffer dependencies = VkSubpassDependency.calloc(2, stack);
            dependencies.get(0)
                .srcSubpass(VK_SUBPASS_EXTERNAL).dstSubpass(0)
                .srcStageMask(VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT)
                .dstStageMask(VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT)
                .srcAccessMask(VK_ACCESS_TRANSFER_READ_BIT)
                .dstAccessMask(VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT);
            dependencies.get(1)
                .srcSubpass(0).dstSubpass(VK_SUBPASS_EXTERNAL)
                .srcStageMask(VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT)
                .dstStageMask(VK_PIPELINE_STAGE_TRANSFER_BIT)
                .srcAccessMask(VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT)
                .dstAccessMask(VK_ACCESS_TRANSFER_READ_BIT);
            final VkRenderPassCreateInfo renderPass = VkRenderPassCreateInfo.calloc(stack)
                .sType$Default()
                .pAttachments(attachment)
                .pSubpasses(subpass)
                .pDependencies(dependencies);
            created(RenderVk.CREATE_RENDER_PASS, vk.createRenderPass(renderPass));

            final VkFramebufferCreateInfo framebuffer = VkFramebufferCreateInfo.calloc(stack)
                .sType$Default()
                .renderPass(vk.handle(RenderObject.RENDER_PASS))
                .attachmentCount(1)
                .pAttachments(stack.longs(vk.handle(RenderObject.COLOR_VIEW)))
                .width(TriangleScene.WIDTH)
                .height(TriangleScene.HEIGHT)
                .layers(1);
            created(RenderVk.CREATE_FRAMEBUFFER, vk.createFramebuffer(framebuffer));
        }
    }

    private void createPipeline(final byte[] vertexSpirv, final byte[] fragmentSpirv)
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            createShaderModule(RenderObject.VERTEX_SHADER, vertexSpirv, stack);
            createShaderModule(RenderObject.FRAGMENT_SHADER, fragmentSpirv, stack);

            final VkDescriptorSetLayoutBinding.Buffer binding = VkDescriptorSetLayoutBinding.calloc(1, stack);
            binding.get(0).binding(0).descriptorType(VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER).descriptorCount(1)
                .stageFlags(VK_SHADER_STAGE_VERTEX_BIT);
            created(RenderVk.CREATE_DESCRIPTOR_SET_LAYOUT, vk.createDescriptorSetLayout(
                VkDescriptorSetLayoutCreateInfo.calloc(stack).sType$Default().pBindings(binding)));
            created(RenderVk.CREATE_PIPELINE_LAYOUT, vk.createPipelineLayout(VkPipelineLayoutCreateInfo.calloc(stack)
                .sType$Default()
                .pSetLayouts(stack.longs(vk.handle(RenderObject.DESCRIPTOR_SET_LAYOUT)))));

            final ByteBuffer entry = stack.UTF8(ShaderCompiler.ENTRY_POINT);
            final VkPipelineShaderStageCreateInfo.Buffer stages = VkPipelineShaderStageCreateInfo.calloc(2, stack);
            stages.get(0).sType$Default().stage(VK_SHADER_STAGE_VERTEX_BIT)
                .module(vk.handle(RenderObject.VERTEX_SHADER)).pName(entry);
            stages.get(1).sType$Default().stage(VK_SHADER_STAGE_FRAGMENT_BIT)
                .module(vk.handle(RenderObject.FRAGMENT_SHADER)).pName(entry);

            final VkVertexInputBindingDescription.Buffer bindings = VkVertexInputBindingDescription.calloc(1, stack);
            bindings.get(0).binding(0).stride(TriangleScene.FLOATS_PER_VERTEX * Float.BYTES)
                .inputRate(VK_VERTEX_INPUT_RATE_VERTEX);
            final VkVertexInputAttributeDescription.Buffer attributes = VkVertexInputAttributeDescription.calloc(2, stack);
            attributes.get(0).location(0).binding(0).format(VK_FORMAT_R32G32_SFLOAT).offset(0);
            attributes.get(1).location(1).binding(0).format(VK_FORMAT_R32G32B32_SFLOAT).offset(2 * Float.BYTES);
            final VkPipelineVertexInputStateCreateInfo vertexInput = VkPipelineVertexInputStateCreateInfo.calloc(stack)
                .sType$Default()
                .pVertexBindingDescriptions(bindings)
                .pVertexAttributeDescriptions(attributes);
            final VkPipelineInputAssemblyStateCreateInfo inputAssembly =
                VkPipelineInputAssemblyStateCreateInfo.calloc(stack).sType$Default().topology(VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST);
            final VkViewport.Buffer viewport = VkViewport.calloc(1, stack);
            viewport.get(0).width(TriangleScene.WIDTH).height(TriangleScene.HEIGHT).maxDepth(1.0f);
            final VkRect2D.Buffer scissor = VkRect2D.calloc(1, stack);
            scissor.get(0).extent(e -> e.width(TriangleScene.WIDTH).height(TriangleScene.HEIGHT));
            final VkPipelineViewportStateCreateInfo viewportState = VkPipelineViewportStateCreateInfo.calloc(stack)
                .sType$Default().viewportCount(1).pViewports(viewport).scissorCount(1).pScissors(scissor);
            final VkPipelineRasterizationStateCreateInfo rasterization = VkPipelineRasterizationStateCreateInfo.calloc(stack)
                .sType$Default()
                .polygonMode(VK_POLYGON_MODE_FILL)
                .cullMode(VK_CULL_MODE_NONE)
                .frontFace(VK_FRONT_FACE_COUNTER_CLOCKWISE)
                .lineWidth(1.0f);
            final VkPipelineMultisampleStateCreateInfo multisample = VkPipelineMultisampleStateCreateInfo.calloc(stack)
                .sType$Default().rasterizationSamples(VK_SAMPLE_COUNT_1_BIT);
            final VkPipelineColorBlendAttachmentState.Buffer blendAttachment =
                VkPipelineColorBlendAttachmentState.calloc(1, stack);
            blendAttachment.get(0).colorWriteMask(
                VK_COLOR_COMPONENT_R_BIT | VK_COLOR_COMPONENT_G_BIT | VK_COLOR_COMPONENT_B_BIT | VK_COLOR_COMPONENT_A_BIT);
            final VkPipelineColorBlendStateCreateInfo blend = VkPipelineColorBlendStateCreateInfo.calloc(stack)
                .sType$Default().pAttachments(blendAttachment);

            final VkGraphicsPipelineCreateInfo.Buffer pipeline = VkGraphicsPipelineCreateInfo.calloc(1, stack);
            pipeline.get(0)
                .sType$Default()
                .pStages(stages)
                .pVertexInputState(vertexInput)
                .pInputAssemblyState(inputAssembly)
                .pViewportState(viewportState)
                .pRasterizationState(rasterization)
                .pMultisampleState(multisample)
                .pColorBlendState(blend)
                .layout(vk.handle(RenderObject.PIPELINE_LAYOUT))
                .renderPass(vk.handle(RenderObject.RENDER_PASS))
                .subpass(0);
            created(RenderVk.CREATE_GRAPHICS_PIPELINES, vk.createGraphicsPipeline(pipeline));
        }
        // the modules are only needed to build the pipeline
        vk.destroy(RenderObject.FRAGMENT_SHADER);
        vk.destroy(RenderObject.VERTEX_SHADER);
    }

    private void createShaderModule(final RenderObject slot, final byte[] spirv, final MemoryStack stack)
    {
        final ByteBuffer code = stack.malloc(Integer.BYTES, spirv.length);
        code.put(0, spirv);
        created(RenderVk.CREATE_SHADER_MODULE,
            vk.createShaderModule(slot, VkShaderModuleCreateInfo.calloc(stack).sType$Default().pCode(code)));
    }

    private void createBuffers()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final float[] vertices = TriangleScene.vertices();
            final long vertexMapped = createMappedBuffer(RenderObject.VERTEX_BUFFER, RenderObject.VERTEX_MEMORY,
                (long)vertices.length * Float.BYTES, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, stack);
            for (int i = 0; i < vertices.length; i++)
            {
                MemoryUtil.memPutFloat(vertexMapped + (long)i * Float.BYTES, vertices[i]);
            }
            uniformMapped = createMappedBuffer(RenderObject.UNIFORM_BUFFER, RenderObject.UNIFORM_MEMORY, UNIFORM_BYTES,
                VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT, stack);
            MemoryUtil.memSet(uniformMapped, 0, UNIFORM_BYTES);
            readbackMapped = createMappedBuffer(RenderObject.READBACK_BUFFER, RenderObject.READBACK_MEMORY,
                (long)TriangleScene.WIDTH * TriangleScene.HEIGHT * BYTES_PER_PIXEL, VK_BUFFER_USAGE_TRANSFER_DST_BIT, stack);
        }
    }

    private long createMappedBuffer(
        final RenderObject buffer, final RenderObject memory, final long size, final int usage, final MemoryStack stack)
    {
        final VkBufferCreateInfo info = VkBufferCreateInfo.calloc(stack)
            .sType$Default().size(size).usage(usage).sharingMode(VK_SHARING_MODE_EXCLUSIVE);
        created(RenderVk.CREATE_BUFFER, vk.createBuffer(buffer, info));
        final VkMemoryRequirements requirements = VkMemoryRequirements.calloc(stack);
        vkGetBufferMemoryRequirements(vk.device(), vk.handle(buffer), requirements);
        allocate(memory, requirements, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, stack);
        trace.enter(STEP_BIND_MEMORY);
        created(STEP_BIND_MEMORY, vkBindBufferMemory(vk.device(), vk.handle(buffer), vk.handle(memory), 0));
        final PointerBuffer pData = stack.callocPointer(1);
        trace.enter(STEP_MAP_MEMORY);
        // mapped for the renderer's life: vkFreeMemory unmaps implicitly
        created(STEP_MAP_MEMORY, vkMapMemory(vk.device(), vk.handle(memory), 0, VK_WHOLE_SIZE, 0, pData));
        return pData.get(0);
    }

    private void allocate(
        final RenderObject slot, final VkMemoryRequirements requirements, final int properties, final MemoryStack stack)
    {
        final VkPhysicalDeviceMemoryProperties memory = VkPhysicalDeviceMemoryProperties.calloc(stack);
        vkGetPhysicalDeviceMemoryProperties(physicalDevice, memory);
        int type = NO_MEMORY_TYPE;
        for (int i = 0; i < memory.memoryTypeCount() && NO_MEMORY_TYPE == type; i++)
        {
            if (0 != (requirements.memoryTypeBits() & (1 << i)) &&
                (memory.memoryTypes(i).propertyFlags() & properties) == properties)
            {
                type = i;
            }
        }
        if (NO_MEMORY_TYPE == type)
        {
            throw new RenderSetupException(RenderVk.ALLOCATE_MEMORY, RenderSetupException.NO_RESULT,
                "no memory type with properties 0x" + Integer.toHexString(properties) + " for " + slot);
        }
        final VkMemoryAllocateInfo info = VkMemoryAllocateInfo.calloc(stack)
            .sType$Default().allocationSize(requirements.size()).memoryTypeIndex(type);
        created(RenderVk.ALLOCATE_MEMORY, vk.allocateMemory(slot, info));
    }

    private void createDescriptors()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            final VkDescriptorPoolSize.Buffer sizes = VkDescriptorPoolSize.calloc(1, stack);
            sizes.get(0).type(VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER).descriptorCount(1);
            created(RenderVk.CREATE_DESCRIPTOR_POOL, vk.createDescriptorPool(
                VkDescriptorPoolCreateInfo.calloc(stack).sType$Default().maxSets(1).pPoolSizes(sizes)));
            created(RenderVk.ALLOCATE_DESCRIPTOR_SETS, vk.allocateDescriptorSet(VkDescriptorSetAllocateInfo.calloc(stack)
                .sType$Default()
                .descriptorPool(vk.handle(RenderObject.DESCRIPTOR_POOL))
                .pSetLayouts(stack.longs(vk.handle(RenderObject.DESCRIPTOR_SET_LAYOUT)))));
            final VkDescriptorBufferInfo.Buffer bufferInfo = VkDescriptorBufferInfo.calloc(1, stack);
            bufferInfo.get(0).buffer(vk.handle(RenderObject.UNIFORM_BUFFER)).offset(0).range(UNIFORM_BYTES);
            final org.lwjgl.vulkan.VkWriteDescriptorSet.Buffer write = org.lwjgl.vulkan.VkWriteDescriptorSet.calloc(1, stack);
            write.get(0).sType$Default()
                .dstSet(vk.handle(RenderObject.DESCRIPTOR_SET))
                .dstBinding(0)
                .descriptorCount(1)
                .descriptorType(VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER)
                .pBufferInfo(bufferInfo);
            vkUpdateDescriptorSets(vk.device(), write, null);
        }
    }

    private void createCommands()
    {
        try (MemoryStack stack = MemoryStack.stackPush())
        {
            created(RenderVk.CREATE_COMMAND_POOL, vk.createCommandPool(VkCommandPoolCreateInfo.calloc(stack)
                .sType$Default()
                .flags(VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT)
                .queueFamilyIndex(queueFamily)));
            created(RenderVk.ALLOCATE_COMMAND_BUFFERS, vk.allocateCommandBuffer(VkCommandBufferAllocateInfo.calloc(stack)
                .sType$Default()
                .commandPool(vk.handle(RenderObject.COMMAND_POOL))
                .level(VK_COMMAND_BUFFER_LEVEL_PRIMARY)
                .commandBufferCount(1)));
            created(RenderVk.CREATE_FENCE, vk.createFence(VkFenceCreateInfo.calloc(stack).sType$Default()));
        }
    }

    private void prepareFrameStructs()
    {
        trace.enter(STEP_APP_MEMORY);
        final long block = app.allocate(FrameStructsDescriptor.LENGTH, FrameStructsDescriptor.ALIGNMENT,
            SystemAllocationScope.OBJECT);
        if (NULL == block)
        {
            throw new RenderSetupException(STEP_APP_MEMORY, VK_ERROR_OUT_OF_HOST_MEMORY,
                FrameStructsDescriptor.LENGTH + " bytes refused by the app allocator");
        }
        frameStructs = block;
        MemoryUtil.memSet(block, 0, FrameStructsDescriptor.LENGTH);

        beginInfo = VkCommandBufferBeginInfo.create(block + FrameStructsDescriptor.BEGIN_INFO)
            .sType$Default()
            .flags(VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT);
        final VkClearValue.Buffer clear = VkClearValue.create(block + FrameStructsDescriptor.CLEAR_VALUE, 1);
        clear.get(0).color()
            .float32(0, TriangleScene.CLEAR_COLOR[0])
            .float32(1, TriangleScene.CLEAR_COLOR[1])
            .float32(2, TriangleScene.CLEAR_COLOR[2])
            .float32(3, TriangleScene.CLEAR_COLOR[3]);
        renderPassBegin = VkRenderPassBeginInfo.create(block + FrameStructsDescriptor.RENDER_PASS_BEGIN)
            .sType$Default()
            .renderPass(vk.handle(RenderObject.RENDER_PASS))
            .framebuffer(vk.handle(RenderObject.FRAMEBUFFER))
            .renderArea(a -> a.extent().width(TriangleScene.WIDTH).height(TriangleScene.HEIGHT))
            .pClearValues(clear);
        final PointerBuffer commandBuffers =
            MemoryUtil.memPointerBuffer(block + FrameStructsDescriptor.COMMAND_BUFFER_HANDLE, 1);
        commandBuffers.put(0, vk.commandBuffer());
        submitInfo = VkSubmitInfo.create(block + FrameStructsDescriptor.SUBMIT_INFO)
            .sType$Default()
            .pCommandBuffers(commandBuffers);
        vertexBuffers = MemoryUtil.memLongBuffer(block + FrameStructsDescriptor.VERTEX_BUFFER_HANDLE, 1)
            .put(0, vk.handle(RenderObject.VERTEX_BUFFER));
        vertexOffsets = MemoryUtil.memLongBuffer(block + FrameStructsDescriptor.VERTEX_BUFFER_OFFSET, 1).put(0, 0L);
        descriptorSets = MemoryUtil.memLongBuffer(block + FrameStructsDescriptor.DESCRIPTOR_SET_HANDLE, 1)
            .put(0, vk.handle(RenderObject.DESCRIPTOR_SET));
        fences = MemoryUtil.memLongBuffer(block + FrameStructsDescriptor.FENCE_HANDLE, 1)
            .put(0, vk.handle(RenderObject.FENCE));
        trace.enter(RenderTrace.IDLE);
    }

    /** The scene's SPIR-V, compiled once per JVM at first use (a fault sweep opens many renderers). */
    private enum CompiledShaders
    {
        VERTEX(TriangleScene.VERTEX_GLSL, ShaderCompiler.Stage.VERTEX, "triangle.vert"),
        FRAGMENT(TriangleScene.FRAGMENT_GLSL, ShaderCompiler.Stage.FRAGMENT, "triangle.frag");

        private final String source;
        private final ShaderCompiler.Stage stage;
        private final String name;
        private byte[] spirv;

        CompiledShaders(final String source, final ShaderCompiler.Stage stage, final String name)
        {
            this.source = source;
            this.stage = stage;
            this.name = name;
        }

        synchronized byte[] get()
        {
            if (null == spirv)
            {
                spirv = ShaderCompiler.compile(source, stage, name);
            }
            return spirv;
        }
    }

    private static void created(final String step, final int result)
    {
        if (VK_SUCCESS != result)
        {
            throw new RenderSetupException(step, result, "");
        }
    }
}
