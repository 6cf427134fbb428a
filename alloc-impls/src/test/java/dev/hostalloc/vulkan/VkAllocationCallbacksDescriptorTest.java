package dev.hostalloc.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lwjgl.vulkan.VkAllocationCallbacks;

/** The descriptor's layout is the one LWJGL's generated struct class (from vulkan.h) uses. */
class VkAllocationCallbacksDescriptorTest
{
    @Test
    void offsetsMatchLwjgl()
    {
        assertEquals(VkAllocationCallbacks.PUSERDATA, VkAllocationCallbacksDescriptor.USER_DATA_OFFSET);
        assertEquals(VkAllocationCallbacks.PFNALLOCATION, VkAllocationCallbacksDescriptor.ALLOCATION_OFFSET);
        assertEquals(VkAllocationCallbacks.PFNREALLOCATION, VkAllocationCallbacksDescriptor.REALLOCATION_OFFSET);
        assertEquals(VkAllocationCallbacks.PFNFREE, VkAllocationCallbacksDescriptor.FREE_OFFSET);
        assertEquals(VkAllocationCallbacks.PFNINTERNALALLOCATION, VkAllocationCallbacksDescriptor.INTERNAL_ALLOCATION_OFFSET);
        assertEquals(VkAllocationCallbacks.PFNINTERNALFREE, VkAllocationCallbacksDescriptor.INTERNAL_FREE_OFFSET);
        assertEquals(VkAllocationCallbacks.SIZEOF, VkAllocationCallbacksDescriptor.SIZE);
        assertEquals(VkAllocationCallbacks.ALIGNOF, VkAllocationCallbacksDescriptor.ALIGNMENT);
    }

    @Test
    void thisPlatformIsLp64()
    {
        assertTrue(VkAllocationCallbacksDescriptor.isSupportedDataModel());
        assertEquals(48, VkAllocationCallbacksDescriptor.SIZE);
    }
}
