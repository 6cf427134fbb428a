package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.Source;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * hostalloc's Maven modules, and which one a class was built by, told from where ArchUnit imported it:
 * {@code <module>/target/classes/} in a reactor build, or {@code <artifactId>-<version>.jar} (or the
 * {@code driver-sim.jar} final name) from a reactor or a local repository. Packages do not decide, so
 * packages added later are attributed without a list to update.
 */
public enum HostallocModule
{
    /** The pinned contract; depends on nothing. */
    ALLOC_API("alloc-api"),
    /** Allocators, test kit and the Vulkan bridge; on alloc-api, LWJGL and Agrona only. */
    ALLOC_IMPLS("alloc-impls"),
    /** The driver smoke runs and the command line; nothing depends on it. */
    DRIVER_SIM("driver-sim"),
    /** These rules; a test-time library nothing in production depends on. */
    LINT_RULES("lint-rules"),
    /** The conformance kit and cross-module tests; nothing depends on it. */
    TESTS("tests");

    private final String artifactId;
    private final Pattern location;

    HostallocModule(final String artifactId)
    {
        this.artifactId = artifactId;
        this.location = Pattern.compile(
            "/" + Pattern.quote(artifactId) + "/target/classes/|/" + Pattern.quote(artifactId) + "(-[^/!]*)?\\.jar!/");
    }

    /**
     * The module's Maven artifactId.
     *
     * @return e.g. {@code "alloc-impls"}.
     */
    public String artifactId()
    {
        return artifactId;
    }

    /**
     * Which module built a class.
     *
     * @param javaClass an imported class.
     * @return the module, or empty when the class was not imported from one of hostalloc's build outputs.
     */
    public static Optional<HostallocModule> of(final JavaClass javaClass)
    {
        final Optional<Source> source = javaClass.getSource();
        if (source.isEmpty())
        {
            return Optional.empty();
        }
        final String uri = source.get().getUri().toString();
        for (final HostallocModule module : values())
        {
            if (module.location.matcher(uri).find())
            {
                return Optional.of(module);
            }
        }
        return Optional.empty();
    }
}
