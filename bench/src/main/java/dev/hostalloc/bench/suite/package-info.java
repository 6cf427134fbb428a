/**
 * The benchmark suite of issue 10: every hostalloc stack per call (allocate+free pairs and the 64-block
 * {@link dev.hostalloc.bench.suite.BatchPattern batch}, alignments 8 and 64), on two threads, through guard
 * pages and through a real Vulkan driver, against baselines measured in the same run (glibc, jemalloc,
 * mimalloc, LWJGL's {@code MemoryStack}, bare mmap+mprotect+munmap, {@code pAllocator = NULL}), printed as
 * one table with ratios, B/op and the goals by {@link dev.hostalloc.bench.suite.SuiteRunner}:
 *
 * <pre>
 * ./hostalloc bench            # about 18 minutes: 2 interleaved rounds x 1 fork x (2 + 5 iterations of 1 s) per row
 * ./hostalloc bench --quick    # about 2 minutes on 2 cores: 1 fork x (2 x 0.3 s + 3 x 0.2 s)
 * ./hostalloc bench --filter 'pair a=8' --out table.json
 * </pre>
 *
 * Without the launcher: {@code ./mvnw -q -B -DskipTests -pl bench -am package}, then
 * {@code java <hostalloc.jvm.flags> -cp 'bench/target/bench.jar:bench/target/lib/*'
 * dev.hostalloc.bench.suite.SuiteRunner [--quick]}. On a shared machine run it under
 * {@code flock /tmp/hostalloc-bench.lock}. The individual classes are ordinary JMH benchmarks
 * ({@code bench/target/benchmarks.jar}) too.
 */
package dev.hostalloc.bench.suite;
