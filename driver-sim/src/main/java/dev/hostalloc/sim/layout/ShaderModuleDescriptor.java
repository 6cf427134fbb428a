package dev.hostalloc.sim.layout;

/**
 * A shader module: one OBJECT-scope block holding a copy of the SPIR-V words. createShaderModule
 * also uses a COMMAND-scope scratch of {@code codeSize} bytes (its parse table), freed before it
 * returns.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = device)               |  0
 *  +---------------------------------------------------------------+
 *  |                 Code Size in bytes                            | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Code Hash                                     | 32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 SPIR-V words ...                              | 40
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class ShaderModuleDescriptor
{
    /** Offset of the long code size in bytes. */
    public static final int CODE_SIZE_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the long hash of the code (the pipeline cache key). */
    public static final int HASH_OFFSET = CODE_SIZE_OFFSET + Long.BYTES;

    /** Offset of the first SPIR-V word. */
    public static final int CODE_OFFSET = HASH_OFFSET + Long.BYTES;

    /** The SPIR-V magic number every module starts with. */
    public static final int SPIRV_MAGIC = 0x07230203;

    private ShaderModuleDescriptor()
    {
    }

    /**
     * Length of the block for {@code codeWords} SPIR-V words.
     *
     * @param codeWords the number of 32-bit words.
     * @return the block length in bytes.
     */
    public static long length(final int codeWords)
    {
        return CODE_OFFSET + (long)codeWords * Integer.BYTES;
    }
}
