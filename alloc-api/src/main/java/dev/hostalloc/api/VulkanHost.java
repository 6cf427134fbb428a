package dev.hostalloc.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opts a class in as a Vulkan host: one of the few classes allowed to call the Vulkan commands that
 * create, allocate, destroy or free Vulkan objects ({@code vkCreate*}, {@code vkAllocate*},
 * {@code vkDestroy*}, {@code vkFree*}), because it passes a hostalloc bridge (a
 * {@code VkAllocationCallbacks} routed to an {@link AllocationCallbacks}) as {@code pAllocator}, so the
 * driver's host memory goes through the callbacks. The reason says which bridge, or why there is none.
 * Nested, local and anonymous classes of a host are hosts too.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface VulkanHost
{
    /**
     * Why this class calls Vulkan and which allocator it passes; an empty reason is itself a violation
     * of the rule.
     *
     * @return the reason.
     */
    String reason();
}
