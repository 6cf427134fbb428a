package dev.hostalloc.driver.vulkan;

/**
 * The smallest valid compute shader, as SPIR-V 1.0 words, so the smoke run can build a pipeline (and
 * fill a pipeline cache) without a shader compiler:
 *
 * <pre>
 *       OpCapability Shader
 *       OpMemoryModel Logical GLSL450
 *       OpEntryPoint GLCompute %3 "main"
 *       OpExecutionMode %3 LocalSize 1 1 1
 *  %1 = OpTypeVoid
 *  %2 = OpTypeFunction %1
 *  %3 = OpFunction %1 None %2
 *  %4 = OpLabel
 *       OpReturn
 *       OpFunctionEnd
 * </pre>
 */
final class EmptyComputeShader
{
    /** The entry point's name. */
    static final String ENTRY_POINT = "main";

    private static final int MAGIC = 0x07230203;
    private static final int VERSION_1_0 = 0x00010000;
    private static final int GENERATOR = 0;
    private static final int ID_BOUND = 5;
    private static final int SCHEMA = 0;

    private static final int[] WORDS = {
        MAGIC, VERSION_1_0, GENERATOR, ID_BOUND, SCHEMA,
        instruction(2, 17), 1,                               // OpCapability Shader
        instruction(3, 14), 0, 1,                            // OpMemoryModel Logical GLSL450
        instruction(5, 15), 5, 3, 0x6E69616D, 0,             // OpEntryPoint GLCompute %3 "main"
        instruction(6, 16), 3, 17, 1, 1, 1,                  // OpExecutionMode %3 LocalSize 1 1 1
        instruction(2, 19), 1,                               // %1 = OpTypeVoid
        instruction(3, 33), 2, 1,                            // %2 = OpTypeFunction %1
        instruction(5, 54), 1, 3, 0, 2,                      // %3 = OpFunction %1 None %2
        instruction(2, 248), 4,                              // %4 = OpLabel
        instruction(1, 253),                                 // OpReturn
        instruction(1, 56),                                  // OpFunctionEnd
    };

    private EmptyComputeShader()
    {
    }

    /**
     * The module's words.
     *
     * @return a copy.
     */
    static int[] words()
    {
        return WORDS.clone();
    }

    private static int instruction(final int wordCount, final int opcode)
    {
        return (wordCount << 16) | opcode;
    }
}
