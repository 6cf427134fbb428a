package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaConstructorReference;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a {@link dev.hostalloc.api.RealtimeSafe} method must not reach, judged at one call or reference.
 *
 * <p>Always, whatever the target: an object construction ({@code new X(...)} or {@code X::new}) and a
 * direct allocation ({@link DirectAllocationApis}). For targets outside the analysed classes, whose
 * bodies are not walked, their signature decides:
 * <ul>
 *   <li>boxing: {@code valueOf} of a primitive wrapper;</li>
 *   <li>a blocking call: {@code Object.wait}, {@code Thread.sleep}/{@code join}, {@code TimeUnit.sleep},
 *       {@code LockSupport.park*}, {@code Lock.lock}/{@code lockInterruptibly}/timed {@code tryLock},
 *       {@code Condition.await*}, {@code StampedLock} read/write locks, queued synchronizers'
 *       {@code acquire*}, {@code Semaphore.acquire*}, latches, barriers, phasers, exchangers, blocking
 *       queues' {@code put}/{@code take}/timed {@code offer}/{@code poll}, {@code Future.get},
 *       {@code CompletableFuture.join}, {@code ForkJoinTask.join}/{@code invoke},
 *       {@code ExecutorService.awaitTermination}/{@code invokeAll}/{@code invokeAny}/{@code close},
 *       {@code Process.waitFor}, {@code ReferenceQueue.remove}, {@code System.gc};</li>
 *   <li>I/O: anything in {@code java.io}, {@code java.nio.channels}, {@code java.nio.file},
 *       {@code java.net}, {@code javax.net}, {@code java.sql}, {@code java.util.logging},
 *       {@code System.Logger}, SLF4J, Log4j 2, Commons Logging, and {@code Runtime.exec},
 *       {@code ProcessBuilder.start}, {@code System.console}/{@code load}/{@code loadLibrary};</li>
 *   <li>an allocating library call: {@code toString} and the {@code to*String} conversions,
 *       {@code clone}, {@code String} methods that return a new string or array,
 *       {@code StringBuilder}/{@code StringBuffer} methods that may grow or copy, {@code Arrays.copyOf*},
 *       {@code asList}, {@code stream}, the {@code List/Set/Map.of} and {@code Collections}
 *       wrapper factories, {@code iterator()}/{@code stream()}/{@code toArray()} of collections and maps,
 *       {@code java.util.stream}, {@code Optional.of}/{@code map}..., an enum's {@code values()},
 *       {@code Thread.start}, stack traces, NIO buffer views ({@code wrap}, {@code allocate},
 *       {@code slice}, {@code duplicate}, {@code as*Buffer}), {@code MemorySegment} methods returning a
 *       segment, string or array, and LWJGL methods returning a new view object (a NIO buffer, struct,
 *       struct buffer or {@code PointerBuffer} that is not {@code this}) or a {@code String}.</li>
 * </ul>
 * A library method that allocates inside but is on none of these lists is not seen: add its classes
 * to the analysed ones to walk its body.
 *
 * <p>Exempt: {@code Throwable.addSuppressed}, which javac's try-with-resources calls only while an
 * exception is already propagating (so {@code try (MemoryStack stack = stackPush())} stays usable).
 */
public final class RealtimeHazards
{
    /** The category of {@code new X(...)} and {@code X::new}. */
    public static final String OBJECT_CONSTRUCTION = "an object construction";
    /** The category of {@link DirectAllocationApis} targets. */
    public static final String DIRECT_ALLOCATION = "a direct allocation";
    /** The category of a primitive wrapper's {@code valueOf}. */
    public static final String BOXING = "boxing";
    /** The category of calls that may park or wait. */
    public static final String BLOCKING_CALL = "a blocking call";
    /** The category of I/O and logging. */
    public static final String IO = "I/O";
    /** The category of library methods known to return new objects. */
    public static final String ALLOCATING_LIBRARY_CALL = "an allocating library call";

    private static final Set<String> WRAPPERS = Set.of(
        "java.lang.Boolean", "java.lang.Byte", "java.lang.Character", "java.lang.Short", "java.lang.Integer",
        "java.lang.Long", "java.lang.Float", "java.lang.Double");

    private static final Set<String> TIMEOUT_TYPES = Set.of("java.util.concurrent.TimeUnit", "java.time.Duration");

    /** Blocking methods by declaring type (matched by assignability): method name to "only with a timeout". */
    private static final Map<String, Map<String, Boolean>> BLOCKING = Map.ofEntries(
        Map.entry("java.lang.Object", Map.of("wait", false)),
        Map.entry("java.lang.Thread", Map.of("sleep", false, "join", false)),
        Map.entry("java.util.concurrent.TimeUnit", Map.of("sleep", false, "timedJoin", false, "timedWait", false)),
        Map.entry("java.util.concurrent.locks.LockSupport", Map.of("park", false, "parkNanos", false, "parkUntil", false)),
        Map.entry("java.util.concurrent.locks.Lock", Map.of("lock", false, "lockInterruptibly", false, "tryLock", true)),
        Map.entry("java.util.concurrent.locks.Condition", Map.of(
            "await", false, "awaitNanos", false, "awaitUninterruptibly", false, "awaitUntil", false)),
        Map.entry("java.util.concurrent.locks.StampedLock", Map.of(
            "readLock", false, "writeLock", false, "readLockInterruptibly", false, "writeLockInterruptibly", false,
            "tryReadLock", true, "tryWriteLock", true)),
        Map.entry("java.util.concurrent.locks.AbstractQueuedSynchronizer", Map.of(
            "acquire", false, "acquireInterruptibly", false, "acquireShared", false,
            "acquireSharedInterruptibly", false, "tryAcquireNanos", false, "tryAcquireSharedNanos", false)),
        Map.entry("java.util.concurrent.locks.AbstractQueuedLongSynchronizer", Map.of(
            "acquire", false, "acquireInterruptibly", false, "acquireShared", false,
            "acquireSharedInterruptibly", false, "tryAcquireNanos", false, "tryAcquireSharedNanos", false)),
        Map.entry("java.util.concurrent.Semaphore", Map.of(
            "acquire", false, "acquireUninterruptibly", false, "tryAcquire", true)),
        Map.entry("java.util.concurrent.CountDownLatch", Map.of("await", false)),
        Map.entry("java.util.concurrent.CyclicBarrier", Map.of("await", false)),
        Map.entry("java.util.concurrent.Phaser", Map.of(
            "arriveAndAwaitAdvance", false, "awaitAdvance", false, "awaitAdvanceInterruptibly", false)),
        Map.entry("java.util.concurrent.Exchanger", Map.of("exchange", false)),
        Map.entry("java.util.concurrent.BlockingQueue", Map.of("put", false, "take", false, "offer", true, "poll", true)),
        Map.entry("java.util.concurrent.BlockingDeque", Map.of(
            "putFirst", false, "putLast", false, "takeFirst", false, "takeLast", false,
            "offerFirst", true, "offerLast", true, "pollFirst", true, "pollLast", true)),
        Map.entry("java.util.concurrent.TransferQueue", Map.of("transfer", false, "tryTransfer", true)),
        Map.entry("java.util.concurrent.Future", Map.of("get", false)),
        Map.entry("java.util.concurrent.CompletableFuture", Map.of("join", false, "get", false)),
        Map.entry("java.util.concurrent.ForkJoinTask", Map.of("join", false, "invoke", false, "get", false, "invokeAll", false)),
        Map.entry("java.util.concurrent.ExecutorService", Map.of(
            "awaitTermination", false, "invokeAll", false, "invokeAny", false, "close", false)),
        Map.entry("java.lang.Process", Map.of("waitFor", false)),
        Map.entry("java.lang.ref.ReferenceQueue", Map.of("remove", false)),
        Map.entry("java.lang.System", Map.of("gc", false, "runFinalization", false)),
        Map.entry("java.lang.Runtime", Map.of("gc", false)));

    private static final List<String> IO_PACKAGES = List.of(
        "java.io", "java.nio.channels", "java.nio.file", "java.net", "javax.net", "java.sql", "java.util.logging",
        "org.slf4j", "org.apache.logging.log4j", "org.apache.commons.logging");

    private static final Map<String, Set<String>> IO_METHODS = Map.of(
        "java.lang.System$Logger", Set.of(),
        "java.lang.Runtime", Set.of("exec"),
        "java.lang.ProcessBuilder", Set.of("start", "startPipeline"),
        "java.lang.System", Set.of("console", "load", "loadLibrary"));

    private static final Set<String> STRING_CONVERSIONS =
        Set.of("toString", "toHexString", "toOctalString", "toBinaryString", "toUnsignedString", "clone");

    private static final Set<String> ALLOCATING_STRING_METHODS = Set.of(
        "valueOf", "format", "join", "copyValueOf", "concat", "repeat", "substring", "subSequence", "toLowerCase",
        "toUpperCase", "trim", "strip", "stripLeading", "stripTrailing", "stripIndent", "replace", "replaceAll",
        "replaceFirst", "split", "splitWithDelimiters", "getBytes", "toCharArray", "chars", "codePoints", "lines",
        "indent", "translateEscapes", "formatted", "intern", "describeConstable", "transform");

    private static final Set<String> BUILDER_TYPES =
        Set.of("java.lang.StringBuilder", "java.lang.StringBuffer", "java.lang.AbstractStringBuilder");

    private static final Set<String> NON_ALLOCATING_BUILDER_METHODS = Set.of(
        "length", "charAt", "capacity", "setLength", "setCharAt", "codePointAt", "codePointBefore", "codePointCount",
        "indexOf", "lastIndexOf", "isEmpty", "compareTo", "getChars");

    private static final Map<String, Set<String>> ALLOCATING_METHODS = Map.ofEntries(
        Map.entry("java.util.Arrays", Set.of(
            "copyOf", "copyOfRange", "asList", "stream", "toString", "deepToString", "spliterator")),
        Map.entry("java.util.List", Set.of("of", "copyOf")),
        Map.entry("java.util.Set", Set.of("of", "copyOf")),
        Map.entry("java.util.Map", Set.of("of", "copyOf", "ofEntries", "entry")),
        Map.entry("java.util.Optional", Set.of("of", "ofNullable", "map", "flatMap", "filter", "or", "stream")),
        Map.entry("java.lang.Thread", Set.of("start", "getStackTrace")),
        Map.entry("java.lang.Throwable", Set.of("getStackTrace", "fillInStackTrace")));

    private static final Set<String> COLLECTION_VIEW_METHODS =
        Set.of("iterator", "listIterator", "spliterator", "stream", "parallelStream", "toArray");

    private static final Set<String> COLLECTION_TYPES = Set.of("java.lang.Iterable", "java.util.Map");

    private static final Set<String> NIO_VIEW_METHODS = Set.of(
        "allocate", "wrap", "slice", "duplicate", "asReadOnlyBuffer", "asCharBuffer", "asShortBuffer", "asIntBuffer",
        "asLongBuffer", "asFloatBuffer", "asDoubleBuffer");

    private static final Set<String> LWJGL_VIEW_TYPES =
        Set.of("java.nio.Buffer", "org.lwjgl.system.Struct", "org.lwjgl.system.CustomBuffer");

    private RealtimeHazards()
    {
    }

    /**
     * Whether a call is left out of the real-time walk altogether (not judged, not entered).
     *
     * @param target what a call targets.
     * @return {@code true} for {@code Throwable.addSuppressed}, reached only on an exception path
     *         javac generates for try-with-resources.
     */
    public static boolean isExempt(final AccessTarget.CodeUnitAccessTarget target)
    {
        return "addSuppressed".equals(target.getName()) && target.getOwner().isAssignableTo(Throwable.class);
    }

    /**
     * What is wrong with reaching one call or reference from real-time code.
     *
     * @param access         a call or reference (field accesses are never hazards).
     * @param targetAnalysed whether the target's body is walked (it belongs to an analysed class); then
     *                       only construction and direct allocation are judged here.
     * @param options        what counts as a direct allocation.
     * @return the hazard, or empty when the access itself is harmless.
     */
    public static Optional<Hazard> classify(final JavaAccess<?> access, final boolean targetAnalysed, final LintOptions options)
    {
        if (!(access.getTarget() instanceof final AccessTarget.CodeUnitAccessTarget target))
        {
            return Optional.empty();
        }
        final String signature = Names.shortSignature(target);
        if (access instanceof JavaConstructorCall || access instanceof JavaConstructorReference)
        {
            final Optional<String> family = DirectAllocationApis.classify(target, options);
            return family.isPresent() ?
                Optional.of(new Hazard(DIRECT_ALLOCATION, signature + " [" + family.get() + "]")) :
                Optional.of(new Hazard(OBJECT_CONSTRUCTION, signature));
        }
        final Optional<String> family = DirectAllocationApis.classify(target, options);
        if (family.isPresent())
        {
            return Optional.of(new Hazard(DIRECT_ALLOCATION, signature + " [" + family.get() + "]"));
        }
        if (targetAnalysed)
        {
            return Optional.empty();
        }
        final JavaClass owner = target.getOwner();
        final String ownerName = owner.getName();
        final String name = target.getName();
        final List<JavaClass> parameters = target.getRawParameterTypes();
        if (WRAPPERS.contains(ownerName) && "valueOf".equals(name))
        {
            return Optional.of(new Hazard(BOXING, signature));
        }
        if (isBlocking(owner, name, parameters))
        {
            return Optional.of(new Hazard(BLOCKING_CALL, signature));
        }
        if (isIo(owner, name))
        {
            return Optional.of(new Hazard(IO, signature));
        }
        if (isAllocatingLibraryCall(target, owner, name))
        {
            return Optional.of(new Hazard(ALLOCATING_LIBRARY_CALL, signature));
        }
        return Optional.empty();
    }

    private static boolean isBlocking(final JavaClass owner, final String name, final List<JavaClass> parameters)
    {
        for (final Map.Entry<String, Map<String, Boolean>> entry : BLOCKING.entrySet())
        {
            final Boolean onlyWithTimeout = entry.getValue().get(name);
            if (null != onlyWithTimeout && owner.isAssignableTo(entry.getKey()) &&
                (!onlyWithTimeout || hasTimeout(parameters)))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean hasTimeout(final List<JavaClass> parameters)
    {
        for (final JavaClass parameter : parameters)
        {
            if (TIMEOUT_TYPES.contains(parameter.getName()))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean isIo(final JavaClass owner, final String name)
    {
        final String packageName = owner.getPackageName();
        for (final String ioPackage : IO_PACKAGES)
        {
            if (packageName.equals(ioPackage) || packageName.startsWith(ioPackage + "."))
            {
                return true;
            }
        }
        final Set<String> methods = IO_METHODS.get(owner.getName());
        return null != methods && (methods.isEmpty() || methods.contains(name));
    }

    private static boolean isAllocatingLibraryCall(
        final AccessTarget.CodeUnitAccessTarget target, final JavaClass owner, final String name)
    {
        final String ownerName = owner.getName();
        if (STRING_CONVERSIONS.contains(name))
        {
            return true;
        }
        if ("java.lang.String".equals(ownerName))
        {
            return ALLOCATING_STRING_METHODS.contains(name);
        }
        if (BUILDER_TYPES.contains(ownerName))
        {
            return !NON_ALLOCATING_BUILDER_METHODS.contains(name);
        }
        final Set<String> allocating = ALLOCATING_METHODS.get(ownerName);
        if (null != allocating && allocating.contains(name))
        {
            return true;
        }
        if ("java.util.Collections".equals(ownerName))
        {
            return name.startsWith("unmodifiable") || name.startsWith("synchronized") || name.startsWith("checked") ||
                name.startsWith("singleton") || Set.of("nCopies", "list", "enumeration", "newSetFromMap").contains(name);
        }
        if (COLLECTION_VIEW_METHODS.contains(name) && isAssignableToAny(owner, COLLECTION_TYPES))
        {
            return true;
        }
        if (owner.getPackageName().equals("java.util.stream"))
        {
            return true;
        }
        if (owner.isEnum() && "values".equals(name) && target.getRawParameterTypes().isEmpty())
        {
            return true;
        }
        if (owner.getPackageName().equals("java.nio") && NIO_VIEW_METHODS.contains(name))
        {
            return true;
        }
        final JavaClass returned = target.getRawReturnType();
        if ("java.lang.foreign.MemorySegment".equals(ownerName))
        {
            return returned.isArray() || "java.lang.String".equals(returned.getName()) ||
                "java.lang.foreign.MemorySegment".equals(returned.getName());
        }
        if (ownerName.startsWith("org.lwjgl."))
        {
            if ("java.lang.String".equals(returned.getName()))
            {
                return true;
            }
            final boolean returnsSelf = returned.getName().equals(ownerName) &&
                target.resolveMember().map(m -> !m.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.STATIC))
                    .orElse(true);
            return !returnsSelf && isAssignableToAny(returned, LWJGL_VIEW_TYPES);
        }
        return false;
    }

    private static boolean isAssignableToAny(final JavaClass javaClass, final Set<String> types)
    {
        for (final String type : types)
        {
            if (javaClass.isAssignableTo(type))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The exact method names this class matches, by the type that declares them, so a test can check
     * every one exists (a misspelt name would never match and let a hazard pass unseen).
     *
     * @return type name to method names.
     */
    static Map<String, Set<String>> namedMethods()
    {
        final Map<String, Set<String>> named = new java.util.HashMap<>();
        BLOCKING.forEach((type, methods) -> named.put(type, methods.keySet()));
        named.putAll(ALLOCATING_METHODS);
        IO_METHODS.forEach((type, methods) -> named.merge(type, methods, RealtimeHazards::union));
        named.put("java.lang.String", ALLOCATING_STRING_METHODS);
        named.put("java.lang.StringBuilder", NON_ALLOCATING_BUILDER_METHODS);
        named.put("java.nio.ByteBuffer", NIO_VIEW_METHODS);
        named.put("java.util.List", COLLECTION_VIEW_METHODS);
        named.put("java.lang.Long", Set.of("toString", "toHexString", "toOctalString", "toBinaryString", "toUnsignedString"));
        named.put("java.lang.Object", union(named.getOrDefault("java.lang.Object", Set.of()), Set.of("clone")));
        for (final String wrapper : WRAPPERS)
        {
            named.put(wrapper, Set.of("valueOf"));
        }
        return named;
    }

    private static Set<String> union(final Set<String> a, final Set<String> b)
    {
        final Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * One thing a real-time path must not do.
     *
     * @param category what kind, e.g. {@link #OBJECT_CONSTRUCTION}.
     * @param detail   the call, e.g. {@code new ArrayList()} or {@code Thread.sleep(long)}.
     */
    public record Hazard(String category, String detail)
    {
        /**
         * Validates the record.
         *
         * @throws NullPointerException when a component is {@code null}.
         */
        public Hazard
        {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
