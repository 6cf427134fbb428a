package dev.hostalloc.tests.conformance;

import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.conformance.ConformanceCheck;
import dev.hostalloc.conformance.ConformanceFailure;
import dev.hostalloc.conformance.ConformanceSkipped;
import dev.hostalloc.conformance.ConformanceSuite;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/**
 * The conformance kit for integrators: extend this class, return your {@link AllocationCallbacks}
 * from {@link #createCallbacks()}, and JUnit 5 runs every check of
 * {@link ConformanceSuite#standard()} as its own test, named after the check ({@code alignment},
 * {@code reallocate-grow}, {@code concurrent-use}, ...). A check that does not apply to your
 * allocator (e.g. {@code concurrent-use} when {@code traits().threadSafe()} is {@code false}) is
 * reported as an aborted (skipped) test carrying the reason; a rule broken is a failed test whose
 * message names the check, the call, what came back and what the Vulkan spec wants.
 *
 * <pre>{@code
 * import dev.hostalloc.api.AllocationCallbacks;
 * import dev.hostalloc.tests.conformance.AllocationCallbacksConformanceTest;
 *
 * class MyArenaConformanceTest extends AllocationCallbacksConformanceTest
 * {
 *     @Override
 *     protected AllocationCallbacks createCallbacks()
 *     {
 *         return new MyArenaCallbacks(64L << 20);   // a fresh instance per check
 *     }
 * }
 * }</pre>
 *
 * <p>Put {@code dev.hostalloc:tests} on your test classpath and run the JVM with
 * {@code --enable-native-access=ALL-UNNAMED} (the checks read and write the blocks through
 * {@code java.lang.foreign}). Each check calls {@link #createCallbacks()} once, wraps the result in
 * a {@code RecordingAllocator} and ends by replaying every call through the CTS validator, so a
 * check also fails when a block it freed is still live by the record.
 *
 * <p>Size 0 is the one point where the spec is silent: hostalloc's allocators answer
 * {@code allocate(0)} with a unique block that must be freed, as {@code malloc(0)} does; the kit
 * accepts that or 0, provided a pointer is aligned, distinct from other live blocks and taken back
 * by {@code free}.
 */
public abstract class AllocationCallbacksConformanceTest
{
    /**
     * Makes the allocator under test. Called once per check; return a fresh instance unless your
     * allocator is meant to be shared (every check frees what it allocates).
     *
     * @return the callbacks to check, not {@code null}.
     */
    protected abstract AllocationCallbacks createCallbacks();

    /**
     * The checks to run; override to run a subset (e.g. {@code ConformanceSuite.standard().check(...)}
     * in your own test) only when a rule truly does not apply.
     *
     * @return {@link ConformanceSuite#standard()}.
     */
    protected ConformanceSuite suite()
    {
        return ConformanceSuite.standard();
    }

    /**
     * One dynamic test per check of {@link #suite()}, named after the check, running it on a fresh
     * allocator from {@link #createCallbacks()}.
     *
     * @return the tests, in suite order.
     */
    @TestFactory
    public final Stream<DynamicTest> conformance()
    {
        return suite().checks().stream().map(this::toTest);
    }

    private DynamicTest toTest(final ConformanceCheck check)
    {
        return DynamicTest.dynamicTest(check.name(), () ->
        {
            try
            {
                check.run(this::createCallbacks);
            }
            catch (final ConformanceSkipped skipped)
            {
                Assumptions.abort(check.name() + " skipped: " + skipped.reason());
            }
            catch (final ConformanceFailure failure)
            {
                // Build tools may list dynamic tests by index ("conformance()[9]"): name the check.
                throw new ConformanceFailure(check.name() + ": " + failure.getMessage(), failure);
            }
        });
    }
}
