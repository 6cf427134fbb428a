package dev.hostalloc.vulkan;

import static org.lwjgl.vulkan.VK10.VK_MAKE_API_VERSION;
import static org.lwjgl.vulkan.VK10.VK_SUCCESS;
import static org.lwjgl.vulkan.VK10.vkCreateInstance;
import static org.lwjgl.vulkan.VK10.vkDestroyInstance;
import static org.lwjgl.vulkan.VK10.vkEnumeratePhysicalDevices;
import static org.lwjgl.vulkan.VK10.vkGetPhysicalDeviceProperties;
import static org.lwjgl.vulkan.VK11.VK_API_VERSION_1_1;
import static org.lwjgl.vulkan.VK11.vkGetPhysicalDeviceProperties2;

import dev.hostalloc.api.VulkanHost;
import dev.hostalloc.system.SystemAllocator;
import java.util.Objects;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VK;
import org.lwjgl.vulkan.VK10;
import org.lwjgl.vulkan.VK12;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceDriverProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties2;

/**
 * Whether a Vulkan 1.1+ implementation can be used here, so tests needing one either run, fail
 * (when {@link #required()}) or skip with a message that says what to install.
 *
 * <p>{@link #probe()} loads the Vulkan loader through LWJGL (and leaves it loaded for the rest of the
 * JVM's life, as LWJGL's {@code VK} is process-global), creates a throwaway instance whose host memory
 * goes through a {@link VulkanAllocationCallbacks} bridge over a {@link SystemAllocator} (as all of
 * hostalloc's Vulkan calls do), enumerates the physical devices and describes the first one. Its
 * create-info and property structs live on LWJGL's thread-local {@code MemoryStack}. It runs once per
 * JVM and never throws.
 */
@VulkanHost(reason = "The probe creates and destroys one throwaway instance, passing a VulkanAllocationCallbacks bridge "
    + "over a SystemAllocator made for it and closed after vkDestroyInstance.")
public final class VulkanAvailability
{
    /** Environment variable that, set to {@code "1"}, turns a missing Vulkan into a test failure. */
    public static final String REQUIRE_ENV = "HOSTALLOC_REQUIRE_VULKAN";

    /** The Debian/Ubuntu packages that provide a Vulkan CPU implementation and the validation layer. */
    public static final String PACKAGES = "mesa-vulkan-drivers libvulkan1 vulkan-validationlayers";

    /** The value of {@link #REQUIRE_ENV} that means "required". */
    private static final String REQUIRED_VALUE = "1";

    /** The Vulkan version the instance asks for and the loader must support. */
    private static final int REQUIRED_API_VERSION = VK_API_VERSION_1_1;

    private static final String APPLICATION_NAME = "hostalloc-probe";

    private VulkanAvailability()
    {
    }

    /**
     * The outcome of the probe.
     *
     * @param available whether an instance could be created and has at least one physical device.
     * @param detail    when available, the device name, driver and versions; otherwise why not, and
     *                  which packages to install.
     */
    public record Availability(boolean available, String detail)
    {
        /**
         * Validates the record.
         *
         * @throws NullPointerException when {@code detail} is {@code null}.
         */
        public Availability
        {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Probes once per JVM (later calls return the cached result).
     *
     * @return the availability; never {@code null}; never throws.
     */
    public static Availability probe()
    {
        return Holder.AVAILABILITY;
    }

    /**
     * Whether the environment demands Vulkan ({@link #REQUIRE_ENV} is {@code "1"}).
     *
     * @return {@code true} when tests must fail rather than skip without Vulkan.
     */
    public static boolean required()
    {
        return REQUIRED_VALUE.equals(System.getenv(REQUIRE_ENV));
    }

    /**
     * The probe as tests use it: when Vulkan is unavailable and {@link #required()}, that is an error.
     *
     * @return the availability; when it is not available the caller skips (the detail says why and
     *         what to install).
     * @throws IllegalStateException with the probe's detail when Vulkan is unavailable but required.
     */
    public static Availability probeOrFailIfRequired()
    {
        final Availability availability = probe();
        if (!availability.available() && required())
        {
            throw new IllegalStateException(REQUIRE_ENV + "=" + REQUIRED_VALUE + " but " + availability.detail());
        }
        return availability;
    }

    /**
     * Makes sure LWJGL's {@code VK} has loaded the Vulkan loader (it normally does so itself when the
     * class initializes, unless {@code org.lwjgl.vulkan.explicitInit} is set).
     *
     * @throws RuntimeException or {@link Error} when the loader cannot be loaded.
     */
    static void ensureLoaderLoaded()
    {
        try
        {
            VK.getFunctionProvider();
        }
        catch (final IllegalStateException notCreatedYet)
        {
            VK.create();
        }
    }

    private static Availability doProbe()
    {
        try
        {
            ensureLoaderLoaded();
            final int loaderVersion = VK.getInstanceVersionSupported();
            if (Integer.compareUnsigned(loaderVersion, REQUIRED_API_VERSION) < 0)
            {
                return unavailable("the Vulkan loader supports only " + version(loaderVersion) + ", 1.1 is needed");
            }
            return probeInstance();
        }
        catch (final Throwable t)
        {
            return unavailable("the Vulkan loader could not be loaded: " + describe(t));
        }
    }

    private static Availability probeInstance()
    {
        // try-with-resources closes the bridge before popping the stack, and only after the finally
        // below destroyed the instance: the driver may call the callbacks until vkDestroyInstance returns.
        try (MemoryStack stack = MemoryStack.stackPush();
            VulkanAllocationCallbacks bridge = new VulkanAllocationCallbacks(new SystemAllocator()))
        {
            final VkApplicationInfo app = VkApplicationInfo.calloc(stack)
                .sType$Default()
                .pApplicationName(stack.UTF8(APPLICATION_NAME))
                .applicationVersion(VK_MAKE_API_VERSION(0, 0, 1, 0))
                .pEngineName(stack.UTF8(APPLICATION_NAME))
                .engineVersion(VK_MAKE_API_VERSION(0, 0, 1, 0))
                .apiVersion(REQUIRED_API_VERSION);
            final VkInstanceCreateInfo createInfo = VkInstanceCreateInfo.calloc(stack)
                .sType$Default()
                .pApplicationInfo(app);
            final PointerBuffer pInstance = stack.mallocPointer(1);
            final int created = vkCreateInstance(createInfo, bridge.struct(), pInstance);
            if (VK_SUCCESS != created)
            {
                return unavailable("vkCreateInstance (Vulkan 1.1, no layers) returned " + VkResults.name(created));
            }
            final VkInstance instance = new VkInstance(pInstance.get(0), createInfo);
            try
            {
                return describeFirstDevice(instance, stack);
            }
            finally
            {
                vkDestroyInstance(instance, bridge.struct());
            }
        }
    }

    private static Availability describeFirstDevice(final VkInstance instance, final MemoryStack stack)
    {
        final int[] count = new int[1];
        final int enumerated = vkEnumeratePhysicalDevices(instance, count, null);
        if (VK_SUCCESS != enumerated)
        {
            return unavailable("vkEnumeratePhysicalDevices returned " + VkResults.name(enumerated));
        }
        if (0 == count[0])
        {
            return unavailable("the Vulkan loader found no physical device (no ICD installed?)");
        }
        final PointerBuffer devices = stack.mallocPointer(count[0]);
        final int listed = vkEnumeratePhysicalDevices(instance, count, devices);
        if (VK_SUCCESS != listed && VK10.VK_INCOMPLETE != listed)
        {
            return unavailable("vkEnumeratePhysicalDevices returned " + VkResults.name(listed));
        }
        final VkPhysicalDevice device = new VkPhysicalDevice(devices.get(0), instance);
        final VkPhysicalDeviceProperties properties = VkPhysicalDeviceProperties.calloc(stack);
        vkGetPhysicalDeviceProperties(device, properties);
        final StringBuilder sb = new StringBuilder(128);
        sb.append(properties.deviceNameString());
        if (Integer.compareUnsigned(properties.apiVersion(), VK12.VK_API_VERSION_1_2) >= 0)
        {
            final VkPhysicalDeviceDriverProperties driver = VkPhysicalDeviceDriverProperties.calloc(stack).sType$Default();
            final VkPhysicalDeviceProperties2 properties2 = VkPhysicalDeviceProperties2.calloc(stack)
                .sType$Default()
                .pNext(driver);
            vkGetPhysicalDeviceProperties2(device, properties2);
            sb.append(", driver ").append(driver.driverNameString()).append(' ').append(driver.driverInfoString());
        }
        else
        {
            sb.append(", driver version 0x").append(Integer.toHexString(properties.driverVersion()));
        }
        sb.append(", Vulkan ").append(version(properties.apiVersion()));
        if (count[0] > 1)
        {
            sb.append(" (first of ").append(count[0]).append(" devices)");
        }
        return new Availability(true, sb.toString());
    }

    private static Availability unavailable(final String why)
    {
        return new Availability(false, "Vulkan unavailable: " + why + "; install " + PACKAGES
            + " (Debian/Ubuntu) for the lavapipe CPU driver and the validation layer");
    }

    private static String version(final int apiVersion)
    {
        return VK10.VK_API_VERSION_MAJOR(apiVersion) + "." + VK10.VK_API_VERSION_MINOR(apiVersion) + "."
            + VK10.VK_API_VERSION_PATCH(apiVersion);
    }

    private static String describe(final Throwable t)
    {
        final Throwable cause = t instanceof ExceptionInInitializerError && null != t.getCause() ? t.getCause() : t;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** Lazy, once-per-JVM probe (class initialization is the lock). */
    private static final class Holder
    {
        static final Availability AVAILABILITY = doProbe();
    }
}
