package dev.hostalloc.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import dev.hostalloc.api.ViolationHandler;
import dev.hostalloc.stack.Allocators;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 60 frames on the real driver (lavapipe) with the Khronos validation layer, every host allocation
 * through {@code cookies,accounting,system}: no validation message at warning or error, the PNG's pixels
 * match the scene computed analytically (tolerance: ±1 per channel for the colours, which are exact in
 * UNORM; sample points at least 0.2 NDC = 25 px away from any edge), no violation, nothing live.
 */
final class RendererTest
{
    private static final int FRAMES = 60;
    private static final int TOLERANCE = 1;
    private static final int BACKGROUND = rgb(51, 51, 102);
    private static final int TRIANGLE = rgb(255, 153, 0);
    private static final double INSIDE_RADIUS = 0.6;

    @BeforeAll
    static void vulkan()
    {
        RenderAssumptions.assumeVulkan();
    }

    @Test
    void sixtyValidatedFramesAreCleanAndMatchTheScene(@TempDir final Path dir) throws Exception
    {
        final RecordingViolationHandler violations = ViolationHandler.recordAndCount();
        final AllocationCallbacks stack = Allocators.fromSpec("cookies,accounting,system", violations);
        final Path png = dir.resolve("frame.png");

        final RenderReport report = RenderRun.run(stack, violations, "cookies,accounting,system", FRAMES, true, png,
            (done, total) -> { });

        assertEquals("", report.failure());
        assertEquals(FRAMES, report.framesRendered());
        assertTrue(report.validationMessages().isEmpty(), () -> String.join("\n", report.validationMessages()));
        assertEquals(0, report.violations(), report.violationReport());
        assertEquals(0, report.liveBlocksAtExit(), report.leakReport());
        assertTrue(report.passed());
        assertTrue(report.driver().allocations() > 0, "the driver's memory went through the stack");
        assertArrayEquals(new long[SystemAllocationScope.COUNT], report.appPerWindow(),
            "the renderer itself allocates nothing per frame");

        final BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image);
        assertEquals(TriangleScene.WIDTH, image.getWidth());
        assertEquals(TriangleScene.HEIGHT, image.getHeight());
        final double theta = TriangleScene.angle(FRAMES - 1);
        final double vertex0 = TriangleScene.vertexAngle(0) + theta;

        assertPixel(image, 0, 0, BACKGROUND, "top-left corner");
        assertPixel(image, TriangleScene.WIDTH - 1, 0, BACKGROUND, "top-right corner");
        assertPixel(image, 0, TriangleScene.HEIGHT - 1, BACKGROUND, "bottom-left corner");
        assertPixel(image, TriangleScene.WIDTH - 1, TriangleScene.HEIGHT - 1, BACKGROUND, "bottom-right corner");
        assertPixel(image, TriangleScene.column(0), TriangleScene.row(0), TRIANGLE, "centre");
        assertPolar(image, INSIDE_RADIUS, vertex0, TRIANGLE, "towards the rotated first vertex");
        assertPolar(image, INSIDE_RADIUS, vertex0 + Math.PI, BACKGROUND, "beyond the edge opposite it");
        // frame 0 would cover this point (the unrotated first vertex); frame 59 is rotated by 177°
        assertPolar(image, INSIDE_RADIUS, TriangleScene.vertexAngle(0), BACKGROUND, "the unrotated first vertex");

        // coverage: an equilateral triangle of circumradius R covers 3√3/4·R² of the 4 NDC² image
        final double expected = 3 * Math.sqrt(3) / 4 * TriangleScene.RADIUS * TriangleScene.RADIUS / 4
            * TriangleScene.WIDTH * TriangleScene.HEIGHT;
        int covered = 0;
        for (int y = 0; y < image.getHeight(); y++)
        {
            for (int x = 0; x < image.getWidth(); x++)
            {
                covered += close(image.getRGB(x, y) & 0xFFFFFF, TRIANGLE) ? 1 : 0;
            }
        }
        assertEquals(expected, covered, expected * 0.02, "triangle pixels");
        assertTrue(Files.size(png) > 0);
    }

    @Test
    void theValidationLayerIsReallyOnAndItsErrorsAreRecorded()
    {
        final AllocationCallbacks stack = Allocators.fromSpec("system");
        try (Renderer renderer = Renderer.open(stack, stack, true, new RenderTrace()))
        {
            renderer.renderFrame(0);
            assertTrue(renderer.validationMessages().isEmpty(), () -> String.join("\n", renderer.validationMessages()));
            // invalid usage lavapipe survives: the subresource layout of an OPTIMAL-tiling image
            // (VUID-vkGetImageSubresourceLayout-image-07790 wants LINEAR)
            try (org.lwjgl.system.MemoryStack frame = org.lwjgl.system.MemoryStack.stackPush())
            {
                final org.lwjgl.vulkan.VkImageSubresource subresource = org.lwjgl.vulkan.VkImageSubresource.calloc(frame)
                    .aspectMask(org.lwjgl.vulkan.VK10.VK_IMAGE_ASPECT_COLOR_BIT);
                org.lwjgl.vulkan.VK10.vkGetImageSubresourceLayout(renderer.device(),
                    renderer.handle(RenderObject.COLOR_IMAGE), subresource, org.lwjgl.vulkan.VkSubresourceLayout.calloc(frame));
            }
            assertTrue(renderer.validationMessages().stream().anyMatch(m -> m.startsWith("ERROR: ")),
                () -> "messages: " + renderer.validationMessages());
        }
    }

    private static void assertPolar(
        final BufferedImage image, final double radius, final double angle, final int rgb, final String what)
    {
        assertPixel(image, TriangleScene.column(radius * Math.cos(angle)), TriangleScene.row(radius * Math.sin(angle)),
            rgb, what);
    }

    private static void assertPixel(final BufferedImage image, final int x, final int y, final int rgb, final String what)
    {
        final int actual = image.getRGB(x, y) & 0xFFFFFF;
        assertTrue(close(actual, rgb), () -> what + " at (" + x + ", " + y + "): expected #" + Integer.toHexString(rgb)
            + " ±" + TOLERANCE + ", got #" + Integer.toHexString(actual));
    }

    private static boolean close(final int a, final int b)
    {
        for (int shift = 0; shift <= 16; shift += 8)
        {
            if (Math.abs(((a >>> shift) & 0xFF) - ((b >>> shift) & 0xFF)) > TOLERANCE)
            {
                return false;
            }
        }
        return true;
    }

    private static int rgb(final int r, final int g, final int b)
    {
        return r << 16 | g << 8 | b;
    }
}
