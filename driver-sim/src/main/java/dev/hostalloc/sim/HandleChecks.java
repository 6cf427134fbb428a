package dev.hostalloc.sim;

import static dev.hostalloc.sim.layout.ObjectHeaderDescriptor.PARENT_OFFSET;
import static dev.hostalloc.sim.layout.ObjectHeaderDescriptor.TYPE_TAG_OFFSET;
import static org.lwjgl.system.MemoryUtil.memGetInt;
import static org.lwjgl.system.MemoryUtil.memGetLong;

/**
 * Checks of the handles and output arrays an API call receives: a handle must be a live block of
 * the expected {@link ObjectType} (its header's tag), of the right parent; misuse is a clear
 * {@link IllegalArgumentException}. Allocation free unless it throws.
 */
final class HandleChecks
{
    private HandleChecks()
    {
    }

    static void expect(final long handle, final ObjectType type, final String what)
    {
        if (0 == handle || memGetInt(handle + TYPE_TAG_OFFSET) != type.tag())
        {
            throw new IllegalArgumentException(what + " 0x" + Long.toHexString(handle) + " is not a live " + type.name() +
                " handle");
        }
    }

    static void expectChild(final long device, final long handle, final ObjectType type, final String what)
    {
        expect(device, ObjectType.DEVICE, "device");
        expect(handle, type, what);
        if (memGetLong(handle + PARENT_OFFSET) != device)
        {
            throw new IllegalArgumentException(what + " 0x" + Long.toHexString(handle) + " was not created on device 0x" +
                Long.toHexString(device));
        }
    }

    static void expectPooled(final long pool, final long handle, final ObjectType type, final String what)
    {
        expect(handle, type, what);
        if (memGetLong(handle + PARENT_OFFSET) != pool)
        {
            throw new IllegalArgumentException(what + " 0x" + Long.toHexString(handle) + " was not allocated from pool 0x" +
                Long.toHexString(pool));
        }
    }

    static void requireOutput(final long[] output, final int count)
    {
        if (null == output)
        {
            throw new NullPointerException("output handle array");
        }
        if (count < 1 || output.length < count)
        {
            throw new IllegalArgumentException("count must be 1.." + output.length + " for the output array: " + count);
        }
    }
}
