package dev.hostalloc.lint;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The platform's off-heap allocation and free APIs, recognised at an access target (a call, a method
 * or constructor reference). Each match names its family, which the violation message prints.
 *
 * <p>Recognised (an access matches when its owner, or the class that declares the resolved member,
 * as for an inherited static reached through a subclass, is the listed type):
 * <ul>
 *   <li>{@code java.nio.ByteBuffer.allocateDirect};</li>
 *   <li>{@code sun.misc.Unsafe}, {@code jdk.internal.misc.Unsafe} and Agrona's {@code UnsafeApi}:
 *       {@code allocateMemory}, {@code reallocateMemory}, {@code freeMemory}, {@code invokeCleaner};</li>
 *   <li>{@code java.lang.foreign}: the {@code Arena} factories {@code ofAuto}, {@code ofConfined},
 *       {@code ofShared}, {@code global}, {@code Arena.close}, every {@code allocate*} of
 *       {@code Arena}/{@code SegmentAllocator}; and {@code Linker.downcallHandle}/{@code upcallStub},
 *       which make native code callable (a foreign function can allocate where no rule sees it, as a
 *       {@code native} method can);</li>
 *   <li>LWJGL {@code MemoryUtil}: {@code mem*}/{@code nmem*} {@code Alloc}, {@code Calloc},
 *       {@code Realloc}, {@code AlignedAlloc}, {@code AlignedFree}, {@code Free} (all variants), the
 *       allocating {@code memUTF8}/{@code memASCII}/{@code memUTF16} encoders (a {@code CharSequence}
 *       in, a new {@code ByteBuffer} out), and the {@code MemoryUtil.MemoryAllocator} methods;</li>
 *   <li>LWJGL struct and buffer factories that take no {@code MemoryStack}: static {@code malloc()},
 *       {@code calloc()}, {@code create()} and their {@code (int capacity)} forms on every
 *       {@code Struct}/{@code CustomBuffer} type, {@code PointerBuffer}/{@code CLongBuffer.allocateDirect},
 *       {@code BufferUtils.create*}, the {@code Struct.__create}/{@code __checkMalloc} helpers that
 *       hand-written structs use, and the free side: {@code free()}/{@code close()} on a
 *       {@code NativeResource}, {@code Struct} or {@code CustomBuffer};</li>
 *   <li>LWJGL upcall stubs: a {@code Callback} type's {@code create(instance)} (the stub is native
 *       memory, freed by {@code free()});</li>
 *   <li>{@code MemoryStack.create()}/{@code create(int)}, which allocate a new stack; and, only when
 *       {@link LintOptions#memoryStackAllowed()} is off, every {@code MemoryStack} method and every
 *       LWJGL method taking a {@code MemoryStack};</li>
 *   <li>LWJGL {@code LibCStdlib} {@code malloc}, {@code calloc}, {@code realloc}, {@code free},
 *       {@code aligned_alloc}, {@code aligned_free} (and the {@code n} variants), {@code MMAN.mmap}/
 *       {@code munmap}, and any call into the jemalloc, mimalloc and rpmalloc bindings
 *       ({@code JEmalloc}, {@code mimalloc}, {@code RPmalloc});</li>
 *   <li>Agrona {@code BufferUtil.allocateDirectAligned}/{@code free} and
 *       {@code new ExpandableDirectByteBuffer(...)}.</li>
 * </ul>
 *
 * <p>Not recognised: memory-mapped files ({@code FileChannel.map}, Agrona {@code IoUtil}), which are
 * I/O rather than a heap; calls through raw function pointers (LWJGL {@code JNI}/{@code dyncall});
 * allocation inside a library method that is not on this list (analyse that library too, or list it).
 */
public final class DirectAllocationApis
{
    private static final String CONSTRUCTOR = "<init>";
    private static final String MEMORY_STACK = "org.lwjgl.system.MemoryStack";
    private static final String CHAR_SEQUENCE = "java.lang.CharSequence";
    private static final String BYTE_BUFFER = "java.nio.ByteBuffer";

    private static final Set<String> UNSAFE_OWNERS =
        Set.of("sun.misc.Unsafe", "jdk.internal.misc.Unsafe", "org.agrona.UnsafeApi");
    private static final Set<String> UNSAFE_METHODS =
        Set.of("allocateMemory", "reallocateMemory", "freeMemory", "invokeCleaner");
    private static final Set<String> ARENA_FACTORIES = Set.of("ofAuto", "ofConfined", "ofShared", "global", "close");
    private static final Set<String> LINKER_METHODS = Set.of("downcallHandle", "upcallStub");
    private static final Pattern MEMORY_UTIL_ALLOCATION =
        Pattern.compile("n?mem(Alloc|Calloc|Realloc|AlignedAlloc|AlignedFree|Free)\\w*");
    private static final Pattern MEMORY_UTIL_ENCODER = Pattern.compile("mem(UTF8|ASCII|UTF16)(Safe)?");
    private static final Set<String> MEMORY_ALLOCATOR_METHODS =
        Set.of("malloc", "calloc", "realloc", "free", "aligned_alloc", "aligned_free");
    private static final Set<String> STRUCT_FACTORIES = Set.of("malloc", "calloc", "create");
    private static final Set<String> STRUCT_TYPES = Set.of(
        "org.lwjgl.system.Struct", "org.lwjgl.system.CustomBuffer", "org.lwjgl.system.StructBuffer");
    private static final Set<String> NATIVE_RESOURCE_TYPES = Set.of(
        "org.lwjgl.system.NativeResource", "org.lwjgl.system.Struct", "org.lwjgl.system.CustomBuffer");
    private static final Set<String> LWJGL_DIRECT_BUFFERS = Set.of("org.lwjgl.PointerBuffer", "org.lwjgl.CLongBuffer");
    private static final Set<String> LIBC_METHODS =
        Set.of("malloc", "calloc", "realloc", "free", "aligned_alloc", "aligned_free");
    private static final Set<String> MMAN_METHODS = Set.of("mmap", "munmap");
    private static final Set<String> ALLOCATOR_BINDINGS = Set.of(
        "org.lwjgl.system.jemalloc.JEmalloc", "org.lwjgl.system.mimalloc.mimalloc", "org.lwjgl.system.rpmalloc.RPmalloc");
    private static final Set<String> AGRONA_BUFFER_UTIL_METHODS = Set.of("allocateDirectAligned", "free");
    private static final Set<String> STRUCT_ALLOCATION_HELPERS = Set.of("__create", "__checkMalloc");

    private DirectAllocationApis()
    {
    }

    /**
     * What an access reaches, as a predicate for ArchUnit rules.
     *
     * @param options whether {@code MemoryStack} frames count (see {@link LintOptions}).
     * @return a predicate true for every recognised off-heap allocation or free API.
     */
    public static DescribedPredicate<AccessTarget> directAllocationApi(final LintOptions options)
    {
        Objects.requireNonNull(options, "options");
        return DescribedPredicate.describe("a direct (off-heap) allocation or free API", target -> classify(target, options).isPresent());
    }

    /**
     * Which allocation family an access target belongs to.
     *
     * @param target  what a call or reference targets.
     * @param options whether {@code MemoryStack} frames count.
     * @return the family's name (e.g. {@code "LWJGL MemoryUtil allocation"}), or empty when the target
     *         is not a recognised allocation or free API (field accesses never are).
     */
    public static Optional<String> classify(final AccessTarget target, final LintOptions options)
    {
        if (!(target instanceof final AccessTarget.CodeUnitAccessTarget codeUnitTarget))
        {
            return Optional.empty();
        }
        final Optional<String> byOwner = classify(codeUnitTarget, target.getOwner(), options);
        if (byOwner.isPresent())
        {
            return byOwner;
        }
        // An inherited static reached through a subclass (javac names the subclass as the owner).
        final Optional<? extends JavaCodeUnit> resolved = codeUnitTarget.resolveMember();
        if (resolved.isPresent() && !resolved.get().getOwner().equals(target.getOwner()))
        {
            return classify(codeUnitTarget, resolved.get().getOwner(), options);
        }
        return Optional.empty();
    }

    private static Optional<String> classify(
        final AccessTarget.CodeUnitAccessTarget target, final JavaClass owner, final LintOptions options)
    {
        final String ownerName = owner.getName();
        final String name = target.getName();
        final List<JavaClass> parameters = target.getRawParameterTypes();

        if (BYTE_BUFFER.equals(ownerName) && "allocateDirect".equals(name))
        {
            return family("ByteBuffer.allocateDirect");
        }
        if (UNSAFE_OWNERS.contains(ownerName) && UNSAFE_METHODS.contains(name))
        {
            return family("Unsafe off-heap memory");
        }
        if ("java.lang.foreign.Arena".equals(ownerName) && (ARENA_FACTORIES.contains(name) || name.startsWith("allocate")))
        {
            return family("java.lang.foreign Arena");
        }
        if ("java.lang.foreign.SegmentAllocator".equals(ownerName) && name.startsWith("allocate"))
        {
            return family("java.lang.foreign SegmentAllocator");
        }
        if ("java.lang.foreign.Linker".equals(ownerName) && LINKER_METHODS.contains(name))
        {
            return family("java.lang.foreign native code");
        }
        if ("org.lwjgl.system.MemoryUtil".equals(ownerName))
        {
            return classifyMemoryUtil(target, name, parameters);
        }
        if ("org.lwjgl.system.MemoryUtil$MemoryAllocator".equals(ownerName) && MEMORY_ALLOCATOR_METHODS.contains(name))
        {
            return family("LWJGL MemoryAllocator");
        }
        if ("org.lwjgl.BufferUtils".equals(ownerName) && name.startsWith("create"))
        {
            return family("LWJGL BufferUtils");
        }
        if (LWJGL_DIRECT_BUFFERS.contains(ownerName) && "allocateDirect".equals(name))
        {
            return family("LWJGL buffer factory");
        }
        if (MEMORY_STACK.equals(ownerName))
        {
            if ("create".equals(name) && isEmptyOrSingleInt(parameters))
            {
                return family("new LWJGL MemoryStack");
            }
            return options.memoryStackAllowed() ? Optional.empty() : family("LWJGL MemoryStack");
        }
        if ("org.lwjgl.system.libc.LibCStdlib".equals(ownerName) && LIBC_METHODS.contains(stripN(name)))
        {
            return family("libc malloc family");
        }
        if ("org.lwjgl.system.linux.MMAN".equals(ownerName) && MMAN_METHODS.contains(stripN(name)))
        {
            return family("mmap");
        }
        if (ALLOCATOR_BINDINGS.contains(ownerName))
        {
            return family("LWJGL " + Names.shortName(ownerName) + " binding");
        }
        if ("org.agrona.BufferUtil".equals(ownerName) && AGRONA_BUFFER_UTIL_METHODS.contains(name))
        {
            return family("Agrona BufferUtil");
        }
        if ("org.agrona.ExpandableDirectByteBuffer".equals(ownerName) && CONSTRUCTOR.equals(name))
        {
            return family("Agrona ExpandableDirectByteBuffer");
        }
        if (ownerName.startsWith("org.lwjgl."))
        {
            return classifyLwjglType(target, owner, name, parameters, options);
        }
        return Optional.empty();
    }

    private static Optional<String> classifyMemoryUtil(
        final AccessTarget.CodeUnitAccessTarget target, final String name, final List<JavaClass> parameters)
    {
        if (MEMORY_UTIL_ALLOCATION.matcher(name).matches())
        {
            return family("LWJGL MemoryUtil allocation");
        }
        if (MEMORY_UTIL_ENCODER.matcher(name).matches() &&
            !parameters.isEmpty() && CHAR_SEQUENCE.equals(parameters.get(0).getName()) &&
            BYTE_BUFFER.equals(target.getRawReturnType().getName()))
        {
            return family("LWJGL MemoryUtil allocating encoder");
        }
        return Optional.empty();
    }

    private static Optional<String> classifyLwjglType(
        final AccessTarget.CodeUnitAccessTarget target,
        final JavaClass owner,
        final String name,
        final List<JavaClass> parameters,
        final LintOptions options)
    {
        if ("org.lwjgl.system.Struct".equals(owner.getName()) && STRUCT_ALLOCATION_HELPERS.contains(name))
        {
            return family("LWJGL struct allocation");
        }
        if (STRUCT_FACTORIES.contains(name) && isEmptyOrSingleInt(parameters) && isStructFactory(target, owner))
        {
            return family("LWJGL struct/buffer factory without MemoryStack");
        }
        if ("create".equals(name) && parameters.size() == 1 && !parameters.get(0).isPrimitive() &&
            owner.isAssignableTo("org.lwjgl.system.Callback"))
        {
            return family("LWJGL upcall stub");
        }
        if (("free".equals(name) || "close".equals(name)) && parameters.isEmpty() && isNativeResource(owner))
        {
            return family("LWJGL native resource free");
        }
        if (!options.memoryStackAllowed())
        {
            for (final JavaClass parameter : parameters)
            {
                if (MEMORY_STACK.equals(parameter.getName()))
                {
                    return family("LWJGL MemoryStack");
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isStructFactory(final AccessTarget.CodeUnitAccessTarget target, final JavaClass owner)
    {
        for (final String type : STRUCT_TYPES)
        {
            if (owner.isAssignableTo(type))
            {
                return true;
            }
        }
        // Without the class hierarchy (dependency resolution off) LWJGL's factory shape still tells:
        // a static returning the struct itself or its Buffer.
        final String returned = target.getRawReturnType().getName();
        return returned.equals(owner.getName()) || returned.equals(owner.getName() + "$Buffer");
    }

    private static boolean isNativeResource(final JavaClass owner)
    {
        if (MEMORY_STACK.equals(owner.getName()))
        {
            return false;
        }
        for (final String type : NATIVE_RESOURCE_TYPES)
        {
            if (owner.isAssignableTo(type))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isEmptyOrSingleInt(final List<JavaClass> parameters)
    {
        return parameters.isEmpty() || (parameters.size() == 1 && "int".equals(parameters.get(0).getName()));
    }

    private static String stripN(final String name)
    {
        return name.startsWith("n") ? name.substring(1) : name;
    }

    private static Optional<String> family(final String name)
    {
        return Optional.of(name);
    }

    /**
     * The exact method names this class matches, by the type that declares them, so a test can check
     * every one exists (a misspelt name would never match and let allocations pass unseen).
     *
     * @return type name to method names.
     */
    static java.util.Map<String, Set<String>> namedMethods()
    {
        final java.util.Map<String, Set<String>> named = new java.util.HashMap<>();
        named.put(BYTE_BUFFER, Set.of("allocateDirect"));
        for (final String owner : UNSAFE_OWNERS)
        {
            named.put(owner, UNSAFE_METHODS);
        }
        named.put("java.lang.foreign.Arena", ARENA_FACTORIES);
        named.put("java.lang.foreign.SegmentAllocator", Set.of("allocate", "allocateFrom"));
        named.put("java.lang.foreign.Linker", LINKER_METHODS);
        named.put("org.lwjgl.system.MemoryUtil$MemoryAllocator", MEMORY_ALLOCATOR_METHODS);
        for (final String owner : LWJGL_DIRECT_BUFFERS)
        {
            named.put(owner, Set.of("allocateDirect"));
        }
        named.put(MEMORY_STACK, Set.of("create"));
        named.put("org.lwjgl.system.libc.LibCStdlib", withNVariants(LIBC_METHODS));
        named.put("org.lwjgl.system.linux.MMAN", withNVariants(MMAN_METHODS));
        named.put("org.agrona.BufferUtil", AGRONA_BUFFER_UTIL_METHODS);
        named.put("org.lwjgl.system.Struct", STRUCT_ALLOCATION_HELPERS);
        named.put("org.lwjgl.vulkan.VkExtent2D", STRUCT_FACTORIES);
        named.put("org.lwjgl.system.NativeResource", Set.of("free", "close"));
        named.put("org.lwjgl.system.Callback", Set.of("free"));
        for (final String binding : ALLOCATOR_BINDINGS)
        {
            named.put(binding, Set.of());
        }
        return named;
    }

    /**
     * The name patterns for {@code MemoryUtil}.
     *
     * @return the allocation/free pattern and the allocating-encoder pattern.
     */
    static List<Pattern> memoryUtilPatterns()
    {
        return List.of(MEMORY_UTIL_ALLOCATION, MEMORY_UTIL_ENCODER);
    }

    private static Set<String> withNVariants(final Set<String> names)
    {
        final Set<String> all = new java.util.HashSet<>(names);
        for (final String name : names)
        {
            all.add("n" + name);
        }
        return all;
    }

    /**
     * Whether a code unit is declared {@code native}, which the direct-allocation rule flags too.
     *
     * @param codeUnit a method or constructor.
     * @return {@code true} for a {@code native} method.
     */
    public static boolean isNative(final JavaCodeUnit codeUnit)
    {
        return codeUnit.getModifiers().contains(JavaModifier.NATIVE);
    }
}
