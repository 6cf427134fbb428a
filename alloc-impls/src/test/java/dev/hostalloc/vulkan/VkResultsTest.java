package dev.hostalloc.vulkan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lwjgl.vulkan.VK10;

/** Result names and the CTS's accepted results. */
class VkResultsTest
{
    @Test
    void namesMatchLwjglsConstants()
    {
        assertEquals("VK_SUCCESS", VkResults.name(VK10.VK_SUCCESS));
        assertEquals("VK_INCOMPLETE", VkResults.name(VK10.VK_INCOMPLETE));
        assertEquals("VK_ERROR_OUT_OF_HOST_MEMORY", VkResults.name(VK10.VK_ERROR_OUT_OF_HOST_MEMORY));
        assertEquals("VK_ERROR_INITIALIZATION_FAILED", VkResults.name(VK10.VK_ERROR_INITIALIZATION_FAILED));
        assertEquals("void", VkResults.name(VkResults.NO_RESULT));
        assertEquals("VkResult(-424242)", VkResults.name(-424242));
    }

    @Test
    void onlySuccessOutOfHostMemoryAndVoidAreAccepted()
    {
        assertTrue(VkResults.isSuccessOrOutOfHostMemory(VK10.VK_SUCCESS));
        assertTrue(VkResults.isSuccessOrOutOfHostMemory(VK10.VK_ERROR_OUT_OF_HOST_MEMORY));
        assertTrue(VkResults.isSuccessOrOutOfHostMemory(VkResults.NO_RESULT));
        assertFalse(VkResults.isSuccessOrOutOfHostMemory(VK10.VK_ERROR_INITIALIZATION_FAILED));
        assertFalse(VkResults.isSuccessOrOutOfHostMemory(VK10.VK_INCOMPLETE));
    }
}
