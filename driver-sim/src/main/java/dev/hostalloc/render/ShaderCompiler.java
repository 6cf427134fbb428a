package dev.hostalloc.render;

import static org.lwjgl.util.shaderc.Shaderc.shaderc_compilation_status_success;
import static org.lwjgl.util.shaderc.Shaderc.shaderc_compile_into_spv;
import static org.lwjgl.util.shaderc.Shaderc.shaderc_compile_options_initialize;
import static org.lwjgl.util.shaderc.Shaderc.shaderc_compile_options_release;
import static org.lwjgl.util.shaderc.Shaderc.shaderc_compile_options_set_target_env;
import static org.lwjgl.util.shaderc.Shaderc.shaderc_compiler_initialize;
import static org.lwjgl.util.shaderc.Shaderc.shaderc_compiler_release;
import static org.lwjgl.util.shaderc.Shaderc.shaderc_env_version_vulkan_1_1;
import static org.lwjgl.util.shaderc.Shaderc.shaderc_result_get_bytes;
import static org.lwjgl.util.shaderc.Shaderc.shaderc_result_get_compilation_status;
import static org.lwjgl.util.shaderc.Shaderc.shaderc_result_get_error_message;
import static org.lwjgl.util.shaderc.Shaderc.shaderc_result_release;
import static org.lwjgl.util.shaderc.Shaderc.shaderc_target_env_vulkan;

import java.nio.ByteBuffer;

/**
 * GLSL to SPIR-V at run time with {@code lwjgl-shaderc}, for setup only (never on the frame path).
 * shaderc's own C++ heap is outside hostalloc: the compiler's working memory is not Vulkan host memory
 * and LWJGL offers no hook for it; the SPIR-V is copied to the Java heap and the result released at
 * once, so nothing of shaderc's stays alive.
 */
public final class ShaderCompiler
{
    /** The stage of a shader. */
    public enum Stage
    {
        /** A vertex shader. */
        VERTEX(org.lwjgl.util.shaderc.Shaderc.shaderc_vertex_shader),
        /** A fragment shader. */
        FRAGMENT(org.lwjgl.util.shaderc.Shaderc.shaderc_fragment_shader);

        private final int kind;

        Stage(final int kind)
        {
            this.kind = kind;
        }
    }

    /** The entry point of every shader. */
    public static final String ENTRY_POINT = "main";

    private static final long NULL = 0L;

    private ShaderCompiler()
    {
    }

    /**
     * Compiles one shader for Vulkan 1.1.
     *
     * @param source the GLSL source.
     * @param stage  its stage.
     * @param name   a file name for messages, e.g. {@code triangle.vert}.
     * @return the SPIR-V words as bytes (little-endian, a multiple of 4 long).
     * @throws IllegalStateException when shaderc cannot start or the source does not compile (with
     *                               the compiler's message).
     */
    public static byte[] compile(final String source, final Stage stage, final String name)
    {
        final long compiler = shaderc_compiler_initialize();
        if (NULL == compiler)
        {
            throw new IllegalStateException("shaderc_compiler_initialize failed");
        }
        final long options = shaderc_compile_options_initialize();
        try
        {
            shaderc_compile_options_set_target_env(options, shaderc_target_env_vulkan, shaderc_env_version_vulkan_1_1);
            final long result = shaderc_compile_into_spv(compiler, source, stage.kind, name, ENTRY_POINT, options);
            if (NULL == result)
            {
                throw new IllegalStateException("shaderc returned no result for " + name);
            }
            try
            {
                if (shaderc_result_get_compilation_status(result) != shaderc_compilation_status_success)
                {
                    throw new IllegalStateException(
                        "GLSL compile of " + name + " failed: " + shaderc_result_get_error_message(result));
                }
                final ByteBuffer bytes = shaderc_result_get_bytes(result);
                final byte[] spirv = new byte[bytes.remaining()];
                bytes.get(spirv);
                return spirv;
            }
            finally
            {
                shaderc_result_release(result);
            }
        }
        finally
        {
            shaderc_compile_options_release(options);
            shaderc_compiler_release(compiler);
        }
    }
}
