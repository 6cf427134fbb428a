package dev.hostalloc.render;

/**
 * The scene: one flat-coloured triangle on a cleared background, rotated about the image centre by
 * {@link #angle(int)} in frame {@code n}: deterministic from the frame index, so a test can compute
 * which pixels are covered. Positions are in Vulkan normalized device coordinates (x right, y down).
 */
public final class TriangleScene
{
    /** Image width in pixels. */
    public static final int WIDTH = 256;
    /** Image height in pixels. */
    public static final int HEIGHT = 256;
    /** Clear colour, RGBA in [0, 1]: exactly (51, 51, 102, 255) in R8G8B8A8_UNORM. */
    public static final float[] CLEAR_COLOR = { 0.2f, 0.2f, 0.4f, 1.0f };
    /** Triangle colour, RGB in [0, 1]: exactly (255, 153, 0) in UNORM. */
    public static final float[] TRIANGLE_COLOR = { 1.0f, 0.6f, 0.0f };
    /** Distance of each vertex from the centre, in NDC. */
    public static final float RADIUS = 0.8f;
    /** Rotation per frame: 3 degrees. */
    public static final double RADIANS_PER_FRAME = Math.toRadians(3.0);
    /** Floats per vertex: x, y, r, g, b. */
    public static final int FLOATS_PER_VERTEX = 5;
    /** Vertices. */
    public static final int VERTEX_COUNT = 3;

    /** The vertex shader: rotates the position by the uniform angle. */
    public static final String VERTEX_GLSL = """
        #version 450
        layout(set = 0, binding = 0) uniform Frame { vec4 angle; } frame;
        layout(location = 0) in vec2 inPosition;
        layout(location = 1) in vec3 inColor;
        layout(location = 0) out vec3 color;
        void main()
        {
            float c = cos(frame.angle.x);
            float s = sin(frame.angle.x);
            gl_Position = vec4(c * inPosition.x - s * inPosition.y, s * inPosition.x + c * inPosition.y, 0.0, 1.0);
            color = inColor;
        }
        """;

    /** The fragment shader: the interpolated (here constant) colour. */
    public static final String FRAGMENT_GLSL = """
        #version 450
        layout(location = 0) in vec3 color;
        layout(location = 0) out vec4 outColor;
        void main()
        {
            outColor = vec4(color, 1.0);
        }
        """;

    private TriangleScene()
    {
    }

    /**
     * The rotation of frame {@code frame}.
     *
     * @param frame the frame index from 0.
     * @return radians.
     */
    public static double angle(final int frame)
    {
        return frame * RADIANS_PER_FRAME;
    }

    /**
     * The unrotated angle of vertex {@code i}: 90°, 210°, 330°.
     *
     * @param i 0, 1 or 2.
     * @return radians.
     */
    public static double vertexAngle(final int i)
    {
        return Math.PI / 2 + i * 2 * Math.PI / VERTEX_COUNT;
    }

    /**
     * The vertex data: {@link #VERTEX_COUNT} × ({@code x, y, r, g, b}).
     *
     * @return a new array.
     */
    public static float[] vertices()
    {
        final float[] v = new float[VERTEX_COUNT * FLOATS_PER_VERTEX];
        for (int i = 0; i < VERTEX_COUNT; i++)
        {
            final int o = i * FLOATS_PER_VERTEX;
            v[o] = (float)(RADIUS * Math.cos(vertexAngle(i)));
            v[o + 1] = (float)(RADIUS * Math.sin(vertexAngle(i)));
            v[o + 2] = TRIANGLE_COLOR[0];
            v[o + 3] = TRIANGLE_COLOR[1];
            v[o + 4] = TRIANGLE_COLOR[2];
        }
        return v;
    }

    /**
     * The pixel column of an NDC x.
     *
     * @param ndcX in [-1, 1].
     * @return the column, clamped to the image.
     */
    public static int column(final double ndcX)
    {
        return Math.clamp((long)Math.floor((ndcX + 1) * 0.5 * WIDTH), 0, WIDTH - 1);
    }

    /**
     * The pixel row of an NDC y.
     *
     * @param ndcY in [-1, 1] (down).
     * @return the row, clamped to the image.
     */
    public static int row(final double ndcY)
    {
        return Math.clamp((long)Math.floor((ndcY + 1) * 0.5 * HEIGHT), 0, HEIGHT - 1);
    }
}
