package dev.hostalloc.tests.audit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Fails a JUnit 5 test whose body allocates: the test method runs {@link #warmUpPasses()} times
 * unaudited, then once under an {@link AllocationAudit}; any Java heap byte or any call on a
 * watched hostalloc allocator ({@link AllocationAudit#watch}) from the test thread in that last pass
 * fails the test, naming what was allocated.
 *
 * <p>The method body runs several times on the same test instance, with {@code @BeforeEach} run
 * once: write it to be repeatable, and keep set-up that allocates in {@code @BeforeEach} or
 * {@code @BeforeAll}. On a class, it applies to every test method of the class.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@ExtendWith(NoAllocationExtension.class)
public @interface NoAllocation
{
    /**
     * Unaudited passes before the audited one (so the JIT compiles, classes load and lazy state is
     * made). They must exercise every branch the audited pass takes.
     *
     * @return passes, 0 or more; {@value AllocationAudit#DEFAULT_WARM_UP_PASSES} by default.
     */
    int warmUpPasses() default AllocationAudit.DEFAULT_WARM_UP_PASSES;
}
