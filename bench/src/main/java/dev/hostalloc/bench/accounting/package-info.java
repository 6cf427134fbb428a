/**
 * JMH benchmarks of the accounting decorator's overhead over its delegate:
 * {@link dev.hostalloc.bench.accounting.AccountingBenchmark} (bare libc, {@code accounting:limit=256m,system},
 * the lean {@code blocks=off} mode, and a leaf three accounts deep). Not run by {@code ./mvnw verify}; on the
 * shared machine run it under the benchmark lock, once with one thread and once with two:
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am package -DskipTests
 * flock /tmp/hostalloc-bench.lock java --enable-native-access=ALL-UNNAMED \
 *      --add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *      -jar bench/target/benchmarks.jar 'dev.hostalloc.bench.accounting' -t 1 -prof gc
 * (the same with -t 2)
 * </pre>
 *
 * Read the overhead as the difference to {@code bareDelegate} in the same run; {@code gc.alloc.rate.norm}
 * must read 0 B/op (JMH's own bookkeeping shows as about 0.001 B/op on every benchmark, the bare one too).
 */
package dev.hostalloc.bench.accounting;
