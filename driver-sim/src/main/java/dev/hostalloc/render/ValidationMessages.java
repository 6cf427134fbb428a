package dev.hostalloc.render;

import static org.lwjgl.vulkan.EXTDebugUtils.VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
import static org.lwjgl.vulkan.EXTDebugUtils.VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT;
import static org.lwjgl.vulkan.EXTDebugUtils.VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT;
import static org.lwjgl.vulkan.EXTDebugUtils.VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
import static org.lwjgl.vulkan.EXTDebugUtils.VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT;

import dev.hostalloc.api.DirectAllocation;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.vulkan.VK10;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCallbackDataEXT;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCallbackEXT;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCreateInfoEXT;

/**
 * Records every WARNING and ERROR message of the Khronos validation layer (through a
 * {@code VK_EXT_debug_utils} messenger) as {@code "ERROR: <message>"}. The upcall stub is created once
 * and freed by {@link #close()}, after the instance is gone. Messages arrive on the thread that made
 * the Vulkan call; the list is synchronized anyway since layers may call from their own threads.
 */
@DirectAllocation(reason = "The debug messenger's upcall stub (VkDebugUtilsMessengerCallbackEXT.create) is native "
    + "code memory LWJGL makes: created once per renderer with validation, freed in close().")
final class ValidationMessages implements AutoCloseable
{
    /** The severities recorded. */
    static final int SEVERITIES = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    /** The message types recorded. */
    static final int TYPES = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT
        | VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;

    private final List<String> messages = new ArrayList<>();
    private VkDebugUtilsMessengerCallbackEXT callback;

    ValidationMessages()
    {
        callback = VkDebugUtilsMessengerCallbackEXT.create(this::onMessage);
    }

    /**
     * Fills a messenger create info (for the instance's {@code pNext} and the messenger itself).
     *
     * @param info a zeroed struct.
     * @return {@code info}.
     */
    VkDebugUtilsMessengerCreateInfoEXT describe(final VkDebugUtilsMessengerCreateInfoEXT info)
    {
        return info.sType$Default().messageSeverity(SEVERITIES).messageType(TYPES).pfnUserCallback(callback);
    }

    /**
     * The messages so far.
     *
     * @return a copy, in arrival order.
     */
    synchronized List<String> messages()
    {
        return List.copyOf(messages);
    }

    @Override
    public void close()
    {
        if (null != callback)
        {
            callback.free();
            callback = null;
        }
    }

    private int onMessage(final int severity, final int types, final long pCallbackData, final long pUserData)
    {
        final VkDebugUtilsMessengerCallbackDataEXT data = VkDebugUtilsMessengerCallbackDataEXT.create(pCallbackData);
        final String level = 0 != (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) ? "ERROR" : "WARNING";
        synchronized (this)
        {
            messages.add(level + ": " + data.pMessageString());
        }
        return VK10.VK_FALSE;
    }
}
