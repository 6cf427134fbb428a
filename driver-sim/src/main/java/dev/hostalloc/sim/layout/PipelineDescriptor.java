package dev.hostalloc.sim.layout;

/**
 * A graphics pipeline: one OBJECT-scope block. Creation also uses a COMMAND-scope compile scratch
 * of {@link #COMPILE_SCRATCH_LENGTH} bytes per pipeline, freed before the call returns, and reports
 * {@link #EXECUTABLE_CODE_SIZE} bytes of EXECUTABLE internal memory for its lifetime.
 *
 * <pre>
 *  +---------------------------------------------------------------+
 *  |                 Object Header (parent = device)               |  0
 *  +---------------------------------------------------------------+
 *  |                 Shader Hash (the cache key)                   | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Cache Hit (1 when found in the cache)         | 32
 *  +---------------------------------------------------------------+
 *  |                 Padding                                       | 36
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class PipelineDescriptor
{
    /** Offset of the long shader hash. */
    public static final int SHADER_HASH_OFFSET = ObjectHeaderDescriptor.HEADER_LENGTH;

    /** Offset of the int cache-hit flag. */
    public static final int CACHE_HIT_OFFSET = SHADER_HASH_OFFSET + Long.BYTES;

    /** Length of the block. */
    public static final int LENGTH = CACHE_HIT_OFFSET + 2 * Integer.BYTES;

    /**
     * Bytes of compiled code a pipeline reports through the internal-allocation notification
     * (EXECUTABLE, OBJECT scope) at create and the internal-free notification at destroy: the one kind
     * of memory a driver maps itself. driver-sim only reports it; no such memory exists.
     */
    public static final int EXECUTABLE_CODE_SIZE = 4096;

    /** Bytes of COMMAND-scope scratch one pipeline's compilation uses. */
    public static final int COMPILE_SCRATCH_LENGTH = 512;

    private PipelineDescriptor()
    {
    }
}
