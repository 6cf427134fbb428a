/**
 * JMH benchmarks of the debug allocators' overhead: {@link dev.hostalloc.bench.debug.CookieBenchmark}
 * (cookies over libc versus libc) and {@link dev.hostalloc.bench.debug.GuardBenchmark} (guard pages versus
 * the bare system calls). Not run by {@code ./mvnw verify}; build the jar and run it with the JVM flags of
 * the root pom's {@code hostalloc.jvm.flags}:
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED --add-opens java.base/jdk.internal.misc=ALL-UNNAMED \
 *      --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *      -jar bench/target/benchmarks.jar 'dev.hostalloc.bench.debug' -prof gc
 * </pre>
 *
 * The forked benchmark JVMs inherit those flags. Read the overheads as ratios (or differences) of
 * scores from the same run; {@code gc.alloc.rate.norm} must be 0 B/op for every stack.
 */
package dev.hostalloc.bench.debug;
