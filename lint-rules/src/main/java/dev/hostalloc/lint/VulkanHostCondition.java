package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;

/**
 * Rule 3's condition: only {@code @VulkanHost} classes (and classes nested in them) call the Vulkan
 * object lifecycle commands ({@link VulkanApis}), by call, method reference or from a lambda.
 */
public final class VulkanHostCondition extends ArchCondition<JavaClass>
{
    /** Creates the condition. */
    public VulkanHostCondition()
    {
        super("call vkCreate*/vkAllocate*/vkDestroy*/vkFree* only from @VulkanHost classes");
    }

    /**
     * Reports each lifecycle command a non-host class calls or references.
     *
     * @param javaClass the class.
     * @param events    where violations go.
     */
    @Override
    public void check(final JavaClass javaClass, final ConditionEvents events)
    {
        final DistinctEvents distinct = new DistinctEvents(events);
        if (OptOuts.isVulkanHost(javaClass))
        {
            return;
        }
        for (final JavaAccess<?> access : Messages.sorted(javaClass.getAccessesFromSelf()))
        {
            if (VulkanApis.isObjectLifecycleCommand(access.getTarget()))
            {
                distinct.violated(access, Messages.describe(access) +
                    ": Vulkan object lifecycle command outside a @VulkanHost class; pass a hostalloc bridge as " +
                    "pAllocator and mark the class @VulkanHost(reason = \"...\")");
            }
        }
    }
}
