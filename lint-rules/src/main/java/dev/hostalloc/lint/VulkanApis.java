package dev.hostalloc.lint;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaCodeUnit;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Vulkan commands that create, allocate, destroy or free Vulkan objects, as LWJGL binds them:
 * static methods of {@code org.lwjgl.vulkan} classes ({@code VK10}...{@code VK14}, extension classes
 * such as {@code KHRSwapchain}) named {@code vkCreate*}, {@code vkAllocate*}, {@code vkDestroy*},
 * {@code vkFree*}, and their unchecked {@code nvk*} forms. Those that take a {@code pAllocator} hand the
 * driver the host allocator for the object's lifetime; {@code vkAllocateCommandBuffers},
 * {@code vkAllocateDescriptorSets} and their frees use their pool's.
 *
 * <p>Not covered: Vulkan reached through other libraries (VMA's {@code vmaCreate*} has its own
 * allocation callbacks field), and function pointers called directly.
 */
public final class VulkanApis
{
    private static final String VULKAN_PACKAGE = "org.lwjgl.vulkan";
    private static final Pattern LIFECYCLE_COMMAND = Pattern.compile("n?vk(Create|Allocate|Destroy|Free)[A-Z]\\w*");

    private VulkanApis()
    {
    }

    /**
     * Whether a call or reference targets a Vulkan object lifecycle command.
     *
     * @param target what an access targets.
     * @return {@code true} for {@code vkCreate*}, {@code vkAllocate*}, {@code vkDestroy*}, {@code vkFree*}
     *         (and {@code nvk*}) of an {@code org.lwjgl.vulkan} class, also when reached through a subclass.
     */
    public static boolean isObjectLifecycleCommand(final AccessTarget target)
    {
        if (!(target instanceof final AccessTarget.CodeUnitAccessTarget codeUnitTarget) ||
            !LIFECYCLE_COMMAND.matcher(target.getName()).matches())
        {
            return false;
        }
        if (VULKAN_PACKAGE.equals(target.getOwner().getPackageName()))
        {
            return true;
        }
        final Optional<? extends JavaCodeUnit> resolved = codeUnitTarget.resolveMember();
        return resolved.isPresent() && VULKAN_PACKAGE.equals(resolved.get().getOwner().getPackageName());
    }

    /**
     * {@link #isObjectLifecycleCommand} as an ArchUnit predicate.
     *
     * @return the predicate.
     */
    public static DescribedPredicate<AccessTarget> objectLifecycleCommand()
    {
        return DescribedPredicate.describe(
            "a Vulkan vkCreate*/vkAllocate*/vkDestroy*/vkFree* command", VulkanApis::isObjectLifecycleCommand);
    }
}
