package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.PackageMatcher;

import java.util.List;
import java.util.Objects;

/**
 * The knobs of {@link HostAllocationRules}, immutable: each {@code with...} returns a new instance.
 *
 * <ul>
 *   <li>{@link #memoryStackAllowed()}: whether LWJGL {@code MemoryStack} frames count as allowed
 *       (default {@code true}): {@code stackPush()}, {@code stack.malloc*}/{@code calloc*}/{@code UTF8},
 *       and struct or buffer factories that take a {@code MemoryStack}. Creating a new stack
 *       ({@code MemoryStack.create()}, {@code create(int)}) is a direct allocation either way.</li>
 *   <li>{@link #optedOutPackages()}: packages whose classes are opted out of the direct-allocation
 *       rule as if they carried {@code @DirectAllocation}, for third-party or generated code whose
 *       sources cannot be annotated. ArchUnit package identifiers: {@code "com.example.jni"} is that
 *       package only, {@code "com.example.jni.."} includes its subpackages.</li>
 * </ul>
 */
public final class LintOptions
{
    private static final LintOptions DEFAULTS = new LintOptions(true, List.of());

    private final boolean memoryStackAllowed;
    private final List<String> optedOutPackages;
    private final List<PackageMatcher> optedOutPackageMatchers;

    private LintOptions(final boolean memoryStackAllowed, final List<String> optedOutPackages)
    {
        this.memoryStackAllowed = memoryStackAllowed;
        this.optedOutPackages = List.copyOf(optedOutPackages);
        this.optedOutPackageMatchers = this.optedOutPackages.stream().map(PackageMatcher::of).toList();
    }

    /**
     * The defaults: {@code MemoryStack} frames allowed, no package opted out.
     *
     * @return the shared default instance.
     */
    public static LintOptions defaults()
    {
        return DEFAULTS;
    }

    /**
     * Sets whether {@code MemoryStack} frames are allowed.
     *
     * @param allowed {@code false} to report every {@code MemoryStack} use as a direct allocation.
     * @return a copy with the setting changed.
     */
    public LintOptions withMemoryStackAllowed(final boolean allowed)
    {
        return new LintOptions(allowed, optedOutPackages);
    }

    /**
     * Replaces the opted-out packages.
     *
     * @param packageIdentifiers ArchUnit package identifiers ({@code "a.b"} or {@code "a.b.."}).
     * @return a copy with these packages opted out.
     * @throws IllegalArgumentException when an identifier is blank or not a valid package identifier.
     * @throws NullPointerException     when the array or an element is {@code null}.
     */
    public LintOptions withOptedOutPackages(final String... packageIdentifiers)
    {
        final List<String> packages = List.of(packageIdentifiers);
        for (final String identifier : packages)
        {
            if (identifier.isBlank())
            {
                throw new IllegalArgumentException("an opted-out package identifier is blank");
            }
        }
        return new LintOptions(memoryStackAllowed, packages);
    }

    /**
     * Whether {@code MemoryStack} frames are allowed.
     *
     * @return {@code true} by default.
     */
    public boolean memoryStackAllowed()
    {
        return memoryStackAllowed;
    }

    /**
     * The opted-out package identifiers.
     *
     * @return an unmodifiable list, empty by default.
     */
    public List<String> optedOutPackages()
    {
        return optedOutPackages;
    }

    /**
     * Whether {@code javaClass} lies in one of the {@link #optedOutPackages()}.
     *
     * @param javaClass a class.
     * @return {@code true} when one of the identifiers matches its package.
     */
    public boolean isInOptedOutPackage(final JavaClass javaClass)
    {
        final String packageName = javaClass.getPackageName();
        for (final PackageMatcher matcher : optedOutPackageMatchers)
        {
            if (matcher.matches(packageName))
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof final LintOptions that &&
            memoryStackAllowed == that.memoryStackAllowed &&
            optedOutPackages.equals(that.optedOutPackages);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(memoryStackAllowed, optedOutPackages);
    }

    @Override
    public String toString()
    {
        return "LintOptions[memoryStackAllowed=" + memoryStackAllowed + ", optedOutPackages=" + optedOutPackages + "]";
    }
}
