package dev.hostalloc.vulkan;

import java.lang.foreign.ValueLayout;

/**
 * The memory layout of Vulkan's {@code VkAllocationCallbacks}: six pointers, in declaration order.
 * On LP64 (the only data model hostalloc's bridges support):
 *
 * <pre>
 *   0                   8                   16                  24
 *   +-------------------+-------------------+-------------------+
 *   | pUserData         | pfnAllocation     | pfnReallocation   |
 *   +-------------------+-------------------+-------------------+
 *   | pfnFree           | pfnInternalAlloc. | pfnInternalFree   |
 *   +-------------------+-------------------+-------------------+
 *   24                  32                  40                  48
 * </pre>
 *
 * <p>{@code pfnAllocation}, {@code pfnReallocation} and {@code pfnFree} are required
 * (VUID-VkAllocationCallbacks-pfnAllocation-00632, -pfnReallocation-00633, -pfnFree-00634);
 * {@code pfnInternalAllocation} and {@code pfnInternalFree} are both NULL or both set
 * (VUID-VkAllocationCallbacks-pfnInternalAllocation-00635).
 */
public final class VkAllocationCallbacksDescriptor
{
    /** Bytes per pointer field; 8 on LP64. */
    public static final int POINTER_SIZE = (int)ValueLayout.ADDRESS.byteSize();

    /** Offset of {@code void* pUserData}. */
    public static final int USER_DATA_OFFSET = 0;

    /** Offset of {@code PFN_vkAllocationFunction pfnAllocation}. */
    public static final int ALLOCATION_OFFSET = USER_DATA_OFFSET + POINTER_SIZE;

    /** Offset of {@code PFN_vkReallocationFunction pfnReallocation}. */
    public static final int REALLOCATION_OFFSET = ALLOCATION_OFFSET + POINTER_SIZE;

    /** Offset of {@code PFN_vkFreeFunction pfnFree}. */
    public static final int FREE_OFFSET = REALLOCATION_OFFSET + POINTER_SIZE;

    /** Offset of {@code PFN_vkInternalAllocationNotification pfnInternalAllocation}. */
    public static final int INTERNAL_ALLOCATION_OFFSET = FREE_OFFSET + POINTER_SIZE;

    /** Offset of {@code PFN_vkInternalFreeNotification pfnInternalFree}. */
    public static final int INTERNAL_FREE_OFFSET = INTERNAL_ALLOCATION_OFFSET + POINTER_SIZE;

    /** Size of the whole struct in bytes; 48 on LP64. */
    public static final int SIZE = INTERNAL_FREE_OFFSET + POINTER_SIZE;

    /** Alignment of the struct: that of a pointer. */
    public static final int ALIGNMENT = POINTER_SIZE;

    /** The pointer size the bridges' {@code long}-based calling convention needs (LP64). */
    public static final int REQUIRED_POINTER_SIZE = Long.BYTES;

    /** The VUID violated by a NULL {@code pfnAllocation}. */
    public static final String VUID_PFN_ALLOCATION = "VUID-VkAllocationCallbacks-pfnAllocation-00632";

    /** The VUID violated by a NULL {@code pfnReallocation}. */
    public static final String VUID_PFN_REALLOCATION = "VUID-VkAllocationCallbacks-pfnReallocation-00633";

    /** The VUID violated by a NULL {@code pfnFree}. */
    public static final String VUID_PFN_FREE = "VUID-VkAllocationCallbacks-pfnFree-00634";

    /** The VUID violated when exactly one of the internal notification pointers is set. */
    public static final String VUID_PFN_INTERNAL_PAIR = "VUID-VkAllocationCallbacks-pfnInternalAllocation-00635";

    private VkAllocationCallbacksDescriptor()
    {
    }

    /**
     * Whether this platform's data model is the one the bridges support.
     *
     * @return {@code true} when pointers (and therefore {@code size_t}) are 8 bytes, so a Java
     *         {@code long} carries them.
     */
    public static boolean isSupportedDataModel()
    {
        return POINTER_SIZE == REQUIRED_POINTER_SIZE;
    }
}
