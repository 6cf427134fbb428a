package dev.hostalloc.lwjgl;

import static org.lwjgl.vulkan.VK10.VK_API_VERSION_1_0;
import static org.lwjgl.vulkan.VK10.VK_SUCCESS;
import static org.lwjgl.vulkan.VK10.vkCreateInstance;
import static org.lwjgl.vulkan.VK10.vkDestroyInstance;

import dev.hostalloc.accounting.Account;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.vulkan.VulkanAllocationCallbacks;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;

/**
 * A child JVM's main for {@link SharedStackTest}, started with LWJGL's allocator selected on the command
 * line: it reaches that stack with {@link HostallocMemoryAllocator#current()} and gives the Vulkan driver
 * a child account of the same accounting allocator, so one report covers the application's LWJGL memory
 * and the driver's. Creates and destroys a Vulkan instance; prints {@code SHARED OK}.
 */
public final class SharedStackProgram
{
    private SharedStackProgram()
    {
    }

    /**
     * Runs it; a failure throws, exiting non-zero.
     *
     * @param args ignored.
     */
    public static void main(final String[] args)
    {
        final HostallocMemoryAllocator lwjgl = HostallocMemoryAllocator.current().orElseThrow(() ->
            new AssertionError("LWJGL does not allocate through hostalloc"));
        final AccountingAllocator accounting = lwjgl.accounting().get(0);
        final Account driver = accounting.root().child("driver");
        try (VulkanAllocationCallbacks callbacks = new VulkanAllocationCallbacks(driver);
             MemoryStack stack = MemoryStack.stackPush())
        {
            final VkInstanceCreateInfo info = VkInstanceCreateInfo.calloc(stack).sType$Default()
                .pApplicationInfo(VkApplicationInfo.calloc(stack).sType$Default()
                    .pApplicationName(stack.UTF8("hostalloc-shared-stack")).apiVersion(VK_API_VERSION_1_0));
            final PointerBuffer pInstance = stack.mallocPointer(1);
            final int result = vkCreateInstance(info, callbacks.struct(), pInstance);
            if (VK_SUCCESS != result)
            {
                throw new AssertionError("vkCreateInstance: " + result);
            }
            final VkInstance instance = new VkInstance(pInstance.get(0), info);
            vkDestroyInstance(instance, callbacks.struct());
            if (callbacks.violations().hasViolations())
            {
                throw new AssertionError(callbacks.violations().report());
            }
        }
        System.out.println("SHARED OK");
    }
}
