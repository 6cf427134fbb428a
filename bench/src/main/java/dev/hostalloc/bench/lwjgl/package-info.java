/**
 * JMH benchmarks of LWJGL's allocator SPI on hostalloc: {@link dev.hostalloc.bench.lwjgl.LwjglDefaultAllocatorBenchmark}
 * (a JVM on LWJGL's default allocator: {@code nmemAlloc}+{@code nmemFree}, its allocator object, and a native caller
 * on its function pointers) against {@link dev.hostalloc.bench.lwjgl.LwjglHostallocAllocatorBenchmark} (a JVM started
 * with {@code -Dorg.lwjgl.system.allocator=dev.hostalloc.lwjgl.HostallocMemoryAllocator -Dhostalloc.callbacks=system}:
 * the same calls, plus the {@code accounting,system} stack). Not run by {@code ./mvnw verify}; on the shared machine
 * run both in one JMH invocation under the benchmark lock and compare within it:
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am package -DskipTests
 * flock /tmp/hostalloc-bench.lock java --enable-native-access=ALL-UNNAMED \
 *      --add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *      -jar bench/target/benchmarks.jar 'dev.hostalloc.bench.lwjgl' -t 1 -prof gc
 * </pre>
 */
package dev.hostalloc.bench.lwjgl;
