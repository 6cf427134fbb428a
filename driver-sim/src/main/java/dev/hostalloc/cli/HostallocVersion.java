package dev.hostalloc.cli;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: hostalloc's version (from the jar manifest), the Java runtime and LWJGL.
 */
public final class HostallocVersion implements IVersionProvider
{
    /** Shown instead of a version when not running from the packaged jar (e.g. from a test). */
    public static final String UNPACKAGED = "(unpackaged build)";

    /**
     * The version lines.
     *
     * @return e.g. {@code "hostalloc 0.1.0-SNAPSHOT"}, {@code "Java 25.0.3+9-LTS (Eclipse Adoptium)"},
     *         {@code "LWJGL 3.4.2+..."}.
     */
    @Override
    public String[] getVersion()
    {
        return new String[]
        {
            "hostalloc " + hostallocVersion(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
            "LWJGL " + org.lwjgl.Version.getVersion(),
        };
    }

    /**
     * hostalloc's version.
     *
     * @return the {@code Implementation-Version} of the jar holding the CLI, or {@link #UNPACKAGED}.
     */
    public static String hostallocVersion()
    {
        final String version = HostallocVersion.class.getPackage().getImplementationVersion();
        return null == version ? UNPACKAGED : version;
    }
}
