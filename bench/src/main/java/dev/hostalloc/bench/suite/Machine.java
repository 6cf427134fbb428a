package dev.hostalloc.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One line describing the machine a run measured: CPU, cores, OS, JDK, LWJGL and the Vulkan driver. */
final class Machine
{
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    private static final String MODEL_NAME = "model name";

    private Machine()
    {
    }

    /**
     * The description.
     *
     * @param vulkan the Vulkan probe's detail, or {@code null} when the run has no Vulkan rows.
     * @return one Markdown line.
     */
    static String describe(final String vulkan)
    {
        return "Machine: " + cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores available; " +
            System.getProperty("os.name") + " " + System.getProperty("os.version") + "; JDK " +
            System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version") + "; LWJGL " +
            org.lwjgl.Version.getVersion() + (null == vulkan ? "" : "; Vulkan: " + vulkan) + ".";
    }

    private static String cpu()
    {
        try
        {
            final List<String> lines = Files.readAllLines(CPU_INFO);
            for (final String line : lines)
            {
                if (line.startsWith(MODEL_NAME))
                {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return "CPU unknown (" + ex.getMessage() + ")";
        }
        return "CPU unknown";
    }
}
