/**
 * JMH benchmark of the logging decorator's overhead,
 * {@link dev.hostalloc.bench.logging.LoggingOverheadBenchmark}: {@code logging/system} against
 * {@code system}, and {@code logging/null} against a delegate that does nothing. Not run by
 * {@code ./mvnw verify}; on a shared machine run it under the benchmark lock:
 *
 * <pre>
 * ./mvnw -q -B -pl bench -am package -DskipTests
 * flock /tmp/hostalloc-bench.lock java --enable-native-access=ALL-UNNAMED \
 *      --add-opens java.base/jdk.internal.misc=ALL-UNNAMED --add-exports java.base/jdk.internal.misc=ALL-UNNAMED \
 *      -jar bench/target/benchmarks.jar 'dev.hostalloc.bench.logging' -prof gc
 * </pre>
 *
 * Each trial prints how many records were written and how many dropped: with {@code work=0} the writer
 * cannot keep up and most calls take the cheap drop path. Read the overhead as the difference of
 * scores from the same run, halved (two logged calls per operation). {@code gc.alloc.rate.norm}
 * counts every thread of the JVM, the writer included; the caller's own zero-heap guarantee is
 * checked per thread by {@code LoggingAllocatorTest}.
 *
 * <p>On a machine shared with other jobs the two scores of a JMH run are seconds apart and load drifts
 * in between; {@link dev.hostalloc.bench.logging.LoggingInterleavedRun} alternates short batches of each
 * stack in one JVM and reports the median per-round difference with its 95% confidence interval.
 */
package dev.hostalloc.bench.logging;
