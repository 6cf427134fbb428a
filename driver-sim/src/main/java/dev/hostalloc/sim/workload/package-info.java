/**
 * Workloads on driver-sim: the environment objects live in ({@link dev.hostalloc.sim.workload.SimEnvironment}),
 * one recipe per object type for the CTS object-management checks and the per-object allocation table
 * ({@link dev.hostalloc.sim.workload.ObjectRecipe}, {@link dev.hostalloc.sim.workload.ObjectAllocationTable}),
 * and the frame workload ({@link dev.hostalloc.sim.workload.FrameWorkload},
 * {@link dev.hostalloc.sim.workload.Simulation}).
 */
package dev.hostalloc.sim.workload;
