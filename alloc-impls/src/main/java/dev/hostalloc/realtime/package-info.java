/**
 * Tools for threads with deadlines: {@link dev.hostalloc.realtime.RetireQueue} (frees handed from a
 * real-time thread to a reclaimer, leaked and counted rather than blocking when full),
 * {@link dev.hostalloc.realtime.BoundedSpinLock} (a lock that never parks) and
 * {@link dev.hostalloc.realtime.RealtimeThreads} (which threads must fail rather than wait).
 */
package dev.hostalloc.realtime;
