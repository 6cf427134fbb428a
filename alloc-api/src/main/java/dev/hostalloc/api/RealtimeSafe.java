package dev.hostalloc.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a method may run on a real-time thread (an audio callback, a frame's hot loop, an
 * allocator's own {@code allocate}/{@code free}): once warmed up it allocates no Java heap and no
 * off-heap memory, takes no lock that parks, and does no blocking call or I/O.
 *
 * <p>The promise covers everything the method can reach: its callees, their callees, and every
 * override a virtual call may dispatch to; it also binds the method's own overrides. hostalloc's
 * lint rules check it on the bytecode ({@code HostAllocationRules.REALTIME_SAFE_METHODS} in the
 * {@code lint-rules} module) and print the chain that breaks it, e.g.
 * {@code process() -> record() -> new ArrayList()}. The annotation has no effect at run time.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface RealtimeSafe
{
}
