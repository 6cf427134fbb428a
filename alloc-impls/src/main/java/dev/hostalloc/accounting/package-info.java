/**
 * Host-memory accounting, cgroup-like: {@link dev.hostalloc.accounting.AccountingAllocator} keeps a tree
 * of {@link dev.hostalloc.accounting.Account}s with budgets, per-scope statistics and size histograms;
 * it reports leaks ({@link dev.hostalloc.accounting.LeakReport}), snapshots as versioned JSON or a table
 * ({@link dev.hostalloc.accounting.AccountingSnapshot}), live counters another process can watch
 * ({@link dev.hostalloc.accounting.AccountingCounters}, read by
 * {@link dev.hostalloc.accounting.AccountingCountersReader} and {@code hostalloc stat}) and JDK Flight
 * Recorder events ({@link dev.hostalloc.accounting.AccountingEvents}).
 */
package dev.hostalloc.accounting;
