package dev.hostalloc.lint;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guards against ArchUnit's silent pitfall: a rule naming a type or method that does not exist never
 * matches and passes. Every type and method name the rules look for must exist on the classpath
 * (JDK 25, LWJGL 3.4.2, Agrona 2.6.0), and the {@code MemoryUtil} patterns must cover every allocating
 * method LWJGL has.
 */
class ApiListsTest
{
    @Test
    void everyDirectAllocationApiNamedExists() throws ClassNotFoundException
    {
        assertAllExist(DirectAllocationApis.namedMethods());
    }

    @Test
    void everyRealtimeHazardNamedExists() throws ClassNotFoundException
    {
        assertAllExist(RealtimeHazards.namedMethods());
    }

    @Test
    void memoryUtilPatternsCoverEveryAllocatingMethodAndMatchOnlyRealOnes() throws ClassNotFoundException
    {
        final Class<?> memoryUtil = Class.forName("org.lwjgl.system.MemoryUtil", false, ApiListsTest.class.getClassLoader());
        final List<Pattern> patterns = DirectAllocationApis.memoryUtilPatterns();
        final Pattern allocating = Pattern.compile("n?mem\\w*(Alloc|alloc|Free|free)\\w*|mem(UTF8|ASCII|UTF16)\\w*");
        int matched = 0;
        for (final Method method : memoryUtil.getMethods())
        {
            final String name = method.getName();
            final boolean byRule = patterns.stream().anyMatch(p -> p.matcher(name).matches());
            matched += byRule ? 1 : 0;
            if (allocating.matcher(name).matches() && !name.startsWith("memLength") && !"memAllocator".equals(name))
            {
                assertTrue(byRule, "MemoryUtil." + name + " is not covered");
            }
        }
        assertTrue(matched >= 40, "only " + matched + " MemoryUtil methods matched");
        for (final String family : List.of("Alloc", "Calloc", "Realloc", "AlignedAlloc", "AlignedFree", "Free"))
        {
            assertTrue(hasMethod(memoryUtil, "mem" + family) && hasMethod(memoryUtil, "nmem" + family), family);
        }
    }

    @Test
    void vulkanLifecycleCommandsExistInEveryFamily() throws ClassNotFoundException
    {
        final Class<?> vk10 = Class.forName("org.lwjgl.vulkan.VK10", false, ApiListsTest.class.getClassLoader());
        for (final String verb : List.of("Create", "Allocate", "Destroy", "Free"))
        {
            final boolean found = java.util.Arrays.stream(vk10.getMethods())
                .anyMatch(m -> m.getName().startsWith("vk" + verb) && !m.getName().equals("vk" + verb));
            final boolean foundUnchecked = java.util.Arrays.stream(vk10.getMethods())
                .anyMatch(m -> m.getName().startsWith("nvk" + verb));
            assertTrue(found && foundUnchecked, verb);
        }
    }

    private static void assertAllExist(final Map<String, Set<String>> named) throws ClassNotFoundException
    {
        assertFalse(named.isEmpty());
        for (final Map.Entry<String, Set<String>> entry : named.entrySet())
        {
            final Class<?> type = Class.forName(entry.getKey(), false, ApiListsTest.class.getClassLoader());
            final Set<String> names = methodNames(type);
            for (final String name : entry.getValue())
            {
                assertTrue(names.contains(name), entry.getKey() + "." + name + " does not exist");
            }
        }
    }

    private static boolean hasMethod(final Class<?> type, final String name)
    {
        return methodNames(type).contains(name);
    }

    private static Set<String> methodNames(final Class<?> type)
    {
        final Set<String> names = new HashSet<>();
        for (Class<?> current = type; null != current; current = current.getSuperclass())
        {
            for (final Method method : current.getDeclaredMethods())
            {
                names.add(method.getName());
            }
        }
        for (final Method method : type.getMethods())
        {
            names.add(method.getName());
        }
        assertEquals(names.isEmpty(), false, type.getName());
        return names;
    }
}
