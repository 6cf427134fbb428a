/**
 * A headless, offscreen LWJGL Vulkan renderer whose every host allocation goes through one hostalloc
 * stack: the driver's through the {@code VkAllocationCallbacks} bridge (an account {@code driver}),
 * the renderer's own long-lived structs through the same stack (an account {@code app}). It renders a
 * rotating triangle into a 256×256 image, reads the last frame back and writes a PNG; see
 * {@link dev.hostalloc.render.Renderer}.
 */
package dev.hostalloc.render;
