package dev.hostalloc.lint;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the ASM pass found in one class file, per method: the allocations and monitors ArchUnit does
 * not record, and NULL {@code pAllocator} arguments. A lambda's body is a synthetic method of its
 * own; its findings are added to the method that creates the lambda, as ArchUnit attributes a
 * lambda's calls to that method.
 */
final class BytecodeFacts
{
    private static final String LAMBDA_METAFACTORY = "java/lang/invoke/LambdaMetafactory";
    private static final String STRING_CONCAT_FACTORY = "java/lang/invoke/StringConcatFactory";
    private static final String VULKAN_PACKAGE = "org/lwjgl/vulkan/";
    private static final String ALLOCATION_CALLBACKS_DESCRIPTOR = "Lorg/lwjgl/vulkan/VkAllocationCallbacks;";
    private static final String LAMBDA_BODY_PREFIX = "lambda$";
    private static final int IMPLEMENTATION_HANDLE_INDEX = 1;
    private static final int MAX_NULL_TRACE_DEPTH = 8;
    private static final int NO_LINE = 0;

    private final Map<String, List<BytecodeFinding>> findingsByMethod;

    private BytecodeFacts(final Map<String, List<BytecodeFinding>> findingsByMethod)
    {
        this.findingsByMethod = findingsByMethod;
    }

    /**
     * Reads and scans one class file.
     *
     * @param classFile the class file's bytes.
     * @return the findings per method.
     * @throws IllegalArgumentException when the bytes are not a class file ASM can read.
     */
    static BytecodeFacts scan(final byte[] classFile)
    {
        final ClassNode classNode = new ClassNode();
        new ClassReader(classFile).accept(classNode, ClassReader.SKIP_FRAMES);

        final Map<String, MethodNode> methods = new HashMap<>();
        final Map<String, List<BytecodeFinding>> own = new HashMap<>();
        final Map<String, List<String>> lambdaBodies = new HashMap<>();
        for (final MethodNode method : classNode.methods)
        {
            final String key = method.name + method.desc;
            methods.put(key, method);
            final List<BytecodeFinding> findings = new ArrayList<>();
            final List<String> bodies = new ArrayList<>();
            scanMethod(classNode, method, findings, bodies);
            own.put(key, findings);
            lambdaBodies.put(key, bodies);
        }

        final Map<String, List<BytecodeFinding>> merged = new HashMap<>();
        for (final MethodNode method : classNode.methods)
        {
            final String key = method.name + method.desc;
            final List<BytecodeFinding> all = new ArrayList<>();
            collect(key, own, lambdaBodies, new HashSet<>(), all);
            merged.put(keyOf(method.name, Type.getArgumentTypes(method.desc), Type.getReturnType(method.desc)), List.copyOf(all));
        }
        return new BytecodeFacts(merged);
    }

    /**
     * The findings of one method or constructor, lambdas it creates included.
     *
     * @param codeUnit an ArchUnit code unit of the class this was read from.
     * @return the findings, or empty when the class file has no such method.
     */
    Optional<List<BytecodeFinding>> findings(final JavaCodeUnit codeUnit)
    {
        final List<JavaClass> parameters = codeUnit.getRawParameterTypes();
        final StringBuilder key = new StringBuilder(64).append(codeUnit.getName()).append('(');
        for (int i = 0; i < parameters.size(); i++)
        {
            if (i > 0)
            {
                key.append(',');
            }
            key.append(typeName(parameters.get(i)));
        }
        key.append(')').append(typeName(codeUnit.getRawReturnType()));
        return Optional.ofNullable(findingsByMethod.get(key.toString()));
    }

    private static void collect(
        final String key,
        final Map<String, List<BytecodeFinding>> own,
        final Map<String, List<String>> lambdaBodies,
        final Set<String> seen,
        final List<BytecodeFinding> into)
    {
        if (!seen.add(key) || !own.containsKey(key))
        {
            return;
        }
        into.addAll(own.get(key));
        for (final String body : lambdaBodies.get(key))
        {
            collect(body, own, lambdaBodies, seen, into);
        }
    }

    private static void scanMethod(
        final ClassNode owner, final MethodNode method, final List<BytecodeFinding> findings, final List<String> lambdaBodies)
    {
        int line = NO_LINE;
        boolean hasVulkanAllocatorCall = false;
        for (final AbstractInsnNode insn : method.instructions)
        {
            if (insn instanceof final LineNumberNode lineNumber)
            {
                line = lineNumber.line;
            }
            else if (insn instanceof final IntInsnNode intInsn && intInsn.getOpcode() == Opcodes.NEWARRAY)
            {
                findings.add(new BytecodeFinding(
                    BytecodeFinding.Kind.ARRAY_CREATION, line, "new " + primitiveArrayName(intInsn.operand) + "[]"));
            }
            else if (insn instanceof final TypeInsnNode typeInsn && typeInsn.getOpcode() == Opcodes.ANEWARRAY)
            {
                findings.add(new BytecodeFinding(
                    BytecodeFinding.Kind.ARRAY_CREATION, line,
                    "new " + Names.shortName(Type.getObjectType(typeInsn.desc).getClassName()) + "[]"));
            }
            else if (insn instanceof final MultiANewArrayInsnNode multi)
            {
                findings.add(new BytecodeFinding(
                    BytecodeFinding.Kind.ARRAY_CREATION, line, "new " + Names.shortName(Type.getType(multi.desc).getClassName())));
            }
            else if (insn.getOpcode() == Opcodes.MONITORENTER)
            {
                findings.add(new BytecodeFinding(BytecodeFinding.Kind.MONITOR_ENTER, line, "synchronized block"));
            }
            else if (insn instanceof final InvokeDynamicInsnNode indy)
            {
                scanInvokeDynamic(owner, indy, line, findings, lambdaBodies);
            }
            else if (insn instanceof final MethodInsnNode call && isVulkanCallWithAllocator(call))
            {
                hasVulkanAllocatorCall = true;
            }
        }
        if (hasVulkanAllocatorCall)
        {
            findNullAllocators(owner, method, findings);
        }
    }

    private static void scanInvokeDynamic(
        final ClassNode owner,
        final InvokeDynamicInsnNode indy,
        final int line,
        final List<BytecodeFinding> findings,
        final List<String> lambdaBodies)
    {
        final String bootstrapOwner = indy.bsm.getOwner();
        if (STRING_CONCAT_FACTORY.equals(bootstrapOwner))
        {
            findings.add(new BytecodeFinding(BytecodeFinding.Kind.STRING_CONCATENATION, line, "string concatenation"));
        }
        else if (LAMBDA_METAFACTORY.equals(bootstrapOwner))
        {
            Handle implementation = null;
            if (indy.bsmArgs.length > IMPLEMENTATION_HANDLE_INDEX && indy.bsmArgs[IMPLEMENTATION_HANDLE_INDEX] instanceof final Handle handle)
            {
                implementation = handle;
            }
            final boolean isLambda = null != implementation && owner.name.equals(implementation.getOwner()) &&
                implementation.getName().startsWith(LAMBDA_BODY_PREFIX);
            if (isLambda)
            {
                lambdaBodies.add(implementation.getName() + implementation.getDesc());
            }
            if (Type.getArgumentTypes(indy.desc).length > 0)
            {
                final String functionalInterface = Names.shortName(Type.getReturnType(indy.desc).getClassName());
                findings.add(new BytecodeFinding(
                    BytecodeFinding.Kind.CAPTURING_LAMBDA, line,
                    (isLambda ? "capturing lambda " : "bound method reference ") + functionalInterface));
            }
        }
    }

    private static boolean isVulkanCallWithAllocator(final MethodInsnNode call)
    {
        return call.getOpcode() == Opcodes.INVOKESTATIC && call.owner.startsWith(VULKAN_PACKAGE) &&
            call.desc.contains(ALLOCATION_CALLBACKS_DESCRIPTOR);
    }

    private static void findNullAllocators(final ClassNode owner, final MethodNode method, final List<BytecodeFinding> findings)
    {
        final Frame<SourceValue>[] frames;
        try
        {
            frames = new Analyzer<>(new SourceInterpreter()).analyze(owner.name, method);
        }
        catch (final AnalyzerException e)
        {
            throw new IllegalArgumentException("cannot analyse " + owner.name + "." + method.name + method.desc, e);
        }
        int line = NO_LINE;
        for (final AbstractInsnNode insn : method.instructions)
        {
            if (insn instanceof final LineNumberNode lineNumber)
            {
                line = lineNumber.line;
                continue;
            }
            if (!(insn instanceof final MethodInsnNode call) || !isVulkanCallWithAllocator(call))
            {
                continue;
            }
            final Frame<SourceValue> frame = frames[method.instructions.indexOf(call)];
            if (null == frame)
            {
                continue; // unreachable code
            }
            final Type[] arguments = Type.getArgumentTypes(call.desc);
            for (int i = 0; i < arguments.length; i++)
            {
                if (ALLOCATION_CALLBACKS_DESCRIPTOR.equals(arguments[i].getDescriptor()))
                {
                    final SourceValue value = frame.getStack(frame.getStackSize() - arguments.length + i);
                    if (isNullLiteral(value, method, frames, 0))
                    {
                        findings.add(new BytecodeFinding(
                            BytecodeFinding.Kind.NULL_ALLOCATOR, line,
                            Names.shortName(Type.getObjectType(call.owner).getClassName()) + "." + call.name));
                    }
                }
            }
        }
    }

    /** Whether every instruction that can produce {@code value} is {@code ACONST_NULL}, through locals and casts. */
    private static boolean isNullLiteral(
        final SourceValue value, final MethodNode method, final Frame<SourceValue>[] frames, final int depth)
    {
        if (depth > MAX_NULL_TRACE_DEPTH || value.insns.isEmpty())
        {
            return false;
        }
        for (final AbstractInsnNode source : value.insns)
        {
            final int opcode = source.getOpcode();
            if (opcode == Opcodes.ACONST_NULL)
            {
                continue;
            }
            final Frame<SourceValue> frame = frames[method.instructions.indexOf(source)];
            if (null == frame)
            {
                return false;
            }
            final SourceValue next;
            if (opcode == Opcodes.CHECKCAST || opcode == Opcodes.ASTORE)
            {
                next = frame.getStack(frame.getStackSize() - 1);
            }
            else if (opcode == Opcodes.ALOAD)
            {
                next = frame.getLocal(((VarInsnNode)source).var);
            }
            else
            {
                return false;
            }
            if (!isNullLiteral(next, method, frames, depth + 1))
            {
                return false;
            }
        }
        return true;
    }

    private static String keyOf(final String name, final Type[] arguments, final Type returnType)
    {
        final StringBuilder key = new StringBuilder(64).append(name).append('(');
        for (int i = 0; i < arguments.length; i++)
        {
            if (i > 0)
            {
                key.append(',');
            }
            key.append(arguments[i].getClassName());
        }
        return key.append(')').append(returnType.getClassName()).toString();
    }

    /** ArchUnit's name of a class as ASM's {@link Type#getClassName()} spells it ({@code long[]}, {@code a.B$C}). */
    private static String typeName(final JavaClass javaClass)
    {
        return javaClass.isArray() ? typeName(javaClass.getComponentType()) + "[]" : javaClass.getName();
    }

    private static String primitiveArrayName(final int operand)
    {
        return switch (operand)
        {
            case Opcodes.T_BOOLEAN -> "boolean";
            case Opcodes.T_CHAR -> "char";
            case Opcodes.T_FLOAT -> "float";
            case Opcodes.T_DOUBLE -> "double";
            case Opcodes.T_BYTE -> "byte";
            case Opcodes.T_SHORT -> "short";
            case Opcodes.T_INT -> "int";
            case Opcodes.T_LONG -> "long";
            default -> "primitive";
        };
    }
}
