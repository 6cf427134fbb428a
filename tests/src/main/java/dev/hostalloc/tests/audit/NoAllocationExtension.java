package dev.hostalloc.tests.audit;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * The JUnit 5 extension behind {@link NoAllocation}: intercepts the test method, runs it through a
 * pre-bound method handle (JUnit's own reflective invocation allocates, a bound
 * {@code invokeExact} does not), first for the warm-up passes, then once between
 * {@link AllocationAudit#begin()} and {@link AllocationAudit#end()}, and fails the test with
 * {@link AuditResult#assertClean()}.
 */
public final class NoAllocationExtension implements InvocationInterceptor
{
    /** Created by JUnit through {@link NoAllocation}'s {@code @ExtendWith}. */
    public NoAllocationExtension()
    {
    }

    /**
     * Runs the warm-up passes and the audited pass instead of JUnit's single invocation.
     *
     * @throws Throwable what the test method throws, or the audit's
     *                   {@link org.opentest4j.AssertionFailedError}.
     */
    @Override
    public void interceptTestMethod(
        final Invocation<Void> invocation,
        final ReflectiveInvocationContext<Method> invocationContext,
        final ExtensionContext extensionContext) throws Throwable
    {
        final Method method = invocationContext.getExecutable();
        final NoAllocation config = find(method, extensionContext)
            .orElseThrow(() -> new ExtensionConfigurationException(
                "NoAllocationExtension needs @NoAllocation on " + method + " or its class"));
        if (config.warmUpPasses() < 0)
        {
            throw new ExtensionConfigurationException("@NoAllocation(warmUpPasses) must not be negative on " + method);
        }
        final MethodHandle body = boundBody(method, invocationContext.getTarget().orElse(null),
            invocationContext.getArguments());
        // Every pass runs the very same code, audit calls included, so each call site (the
        // method-handle invocation above all, linked on first use) is resolved before the last,
        // audited pass; only that pass's result counts.
        final AllocationAudit audit = new AllocationAudit();
        for (int pass = 0; pass <= config.warmUpPasses(); pass++)
        {
            audit.begin();
            try
            {
                invoke(body);
            }
            finally
            {
                audit.end();
            }
        }
        invocation.skip();
        audit.result().assertClean();
    }

    private static void invoke(final MethodHandle body) throws Throwable
    {
        body.invokeExact();
    }

    private static Optional<NoAllocation> find(final Method method, final ExtensionContext context)
    {
        final Optional<NoAllocation> onMethod = AnnotationSupport.findAnnotation(method, NoAllocation.class);
        if (onMethod.isPresent())
        {
            return onMethod;
        }
        return context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, NoAllocation.class));
    }

    private static MethodHandle boundBody(final Method method, final Object target, final List<Object> arguments)
        throws IllegalAccessException
    {
        method.setAccessible(true);
        MethodHandle handle = MethodHandles.lookup().unreflect(method);
        if (null != target)
        {
            handle = handle.bindTo(target);
        }
        if (!arguments.isEmpty())
        {
            handle = MethodHandles.insertArguments(handle, 0, arguments.toArray());
        }
        return handle.asType(MethodType.methodType(void.class));
    }
}
