package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;

import java.util.List;

/** Short, readable names for violation messages: no package, nested classes joined with a dot. */
final class Names
{
    private static final String CONSTRUCTOR_NAME = "<init>";
    private static final String STATIC_INITIALIZER_NAME = "<clinit>";

    private Names()
    {
    }

    /**
     * The class name without its package, {@code Outer$Inner} as {@code Outer.Inner}, arrays as {@code long[]}.
     *
     * @param javaClass a class.
     * @return the short name.
     */
    static String shortName(final JavaClass javaClass)
    {
        if (javaClass.isArray())
        {
            return shortName(javaClass.getComponentType()) + "[]";
        }
        return shortName(javaClass.getName());
    }

    /**
     * The class name without its package, {@code Outer$Inner} as {@code Outer.Inner}.
     *
     * @param className a binary class name such as {@code a.b.Outer$Inner}.
     * @return the short name.
     */
    static String shortName(final String className)
    {
        final int lastDot = className.lastIndexOf('.');
        return className.substring(lastDot + 1).replace('$', '.');
    }

    /**
     * {@code Owner.method(ParamType, ...)}, {@code new Owner(ParamType, ...)} or {@code Owner.<clinit>}.
     *
     * @param codeUnit a method, constructor or static initializer.
     * @return the short signature.
     */
    static String shortSignature(final JavaCodeUnit codeUnit)
    {
        return shortSignature(codeUnit.getOwner(), codeUnit.getName(), codeUnit.getRawParameterTypes());
    }

    /**
     * The short signature of what an access targets.
     *
     * @param target a method or constructor target.
     * @return e.g. {@code ByteBuffer.allocateDirect(int)} or {@code new ArrayList()}.
     */
    static String shortSignature(final AccessTarget.CodeUnitAccessTarget target)
    {
        return shortSignature(target.getOwner(), target.getName(), target.getRawParameterTypes());
    }

    private static String shortSignature(final JavaClass owner, final String name, final List<JavaClass> parameters)
    {
        if (STATIC_INITIALIZER_NAME.equals(name))
        {
            return shortName(owner) + ".<clinit>";
        }
        final StringBuilder sb = new StringBuilder(64);
        if (CONSTRUCTOR_NAME.equals(name))
        {
            sb.append("new ").append(shortName(owner));
        }
        else
        {
            sb.append(shortName(owner)).append('.').append(name);
        }
        sb.append('(');
        for (int i = 0; i < parameters.size(); i++)
        {
            if (i > 0)
            {
                sb.append(", ");
            }
            sb.append(shortName(parameters.get(i)));
        }
        return sb.append(')').toString();
    }
}
