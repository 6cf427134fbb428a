package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.SourceCodeLocation;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Rule 3's second half, on the bytecode (ASM): no call to an {@code org.lwjgl.vulkan} function passes
 * a literal {@code null} as its {@code VkAllocationCallbacks pAllocator}, which would let the driver
 * allocate host memory behind the callbacks. The {@code null} is traced through local variables and
 * casts; a {@code null} reaching the call through a field, a parameter or a method's return value is
 * not seen, nor is a {@code 0L} passed to an unchecked {@code nvk*} function.
 */
public final class NullAllocatorCondition extends ArchCondition<JavaClass>
{
    private final ThreadLocal<BytecodeCache> cache = new ThreadLocal<>();

    /** Creates the condition. */
    public NullAllocatorCondition()
    {
        super("pass a hostalloc bridge, never a literal NULL, as a Vulkan pAllocator");
    }

    /**
     * Starts a fresh class-file cache for this evaluation.
     *
     * @param allClasses the classes about to be checked.
     */
    @Override
    public void init(final Collection<JavaClass> allClasses)
    {
        cache.set(new BytecodeCache());
    }

    /**
     * Reports each literal NULL {@code pAllocator} in the class's methods, constructors, initializers
     * and the lambdas inside them.
     *
     * @param javaClass the class.
     * @param events    where violations go.
     */
    @Override
    public void check(final JavaClass javaClass, final ConditionEvents events)
    {
        final DistinctEvents distinct = new DistinctEvents(events);
        final Optional<BytecodeFacts> facts = cache().factsOf(javaClass);
        if (facts.isEmpty())
        {
            distinct.violated(javaClass, javaClass.getDescription() +
                " has no class file to read in " + javaClass.getSourceCodeLocation() +
                ": its Vulkan pAllocator arguments cannot be checked");
            return;
        }
        final List<JavaCodeUnit> codeUnits = javaClass.getCodeUnits().stream()
            .sorted(Comparator.comparing(JavaCodeUnit::getFullName)).toList();
        for (final JavaCodeUnit codeUnit : codeUnits)
        {
            for (final BytecodeFinding finding : facts.get().findings(codeUnit).orElse(List.of()))
            {
                if (finding.kind() == BytecodeFinding.Kind.NULL_ALLOCATOR)
                {
                    distinct.violated(codeUnit, codeUnit.getDescription() +
                        " passes NULL as pAllocator to " + finding.detail() + " in " +
                        SourceCodeLocation.of(javaClass, finding.line()) +
                        ": the driver's host memory would bypass the callbacks; pass a hostalloc bridge " +
                        "(VulkanAllocationCallbacks.struct())");
                }
            }
        }
    }

    /**
     * Drops the class-file cache.
     *
     * @param events the evaluation's events (unused).
     */
    @Override
    public void finish(final ConditionEvents events)
    {
        cache.remove();
    }

    private BytecodeCache cache()
    {
        BytecodeCache current = cache.get();
        if (null == current)
        {
            current = new BytecodeCache();
            cache.set(current);
        }
        return current;
    }
}
