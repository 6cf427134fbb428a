/**
 * hostalloc on a real Vulkan driver (lavapipe in CI), through the LWJGL bridge:
 * {@link dev.hostalloc.driver.vulkan.VulkanSmokeRun} checks a create/use/destroy sequence call by call
 * against the CTS's rules for allocation callbacks, and
 * {@link dev.hostalloc.driver.vulkan.AllocationFailureSweep} is the CTS's
 * {@code device_init.create_instance_device_intentional_alloc_fail}. Every LWJGL Vulkan call lives in
 * the package-private {@code VulkanCalls}.
 */
package dev.hostalloc.driver.vulkan;
