package dev.hostalloc.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Opts a class, method or package out of the rule that all off-heap memory goes through
 * {@link AllocationCallbacks}. Only allocator implementations and bridges to third-party code may
 * carry it, and every use must say why.
 *
 * <p>It covers the annotated method or constructor with the lambdas, local and anonymous classes in
 * it; the annotated class with every class nested in it; or, on a {@code package-info}, the classes of
 * that package (not its subpackages). hostalloc's lint rules ({@code HostAllocationRules} in the
 * {@code lint-rules} module) enforce it and also report an opt-out that covers no direct allocation.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.PACKAGE })
public @interface DirectAllocation
{
    /**
     * Why this code allocates directly; an empty reason is itself a violation of the rule.
     *
     * @return the reason.
     */
    String reason();
}
