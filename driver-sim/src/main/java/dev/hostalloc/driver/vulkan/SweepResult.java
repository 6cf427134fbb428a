package dev.hostalloc.driver.vulkan;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link AllocationFailureSweep} saw: how many allocations a full run makes, how many failure
 * points were tried, how each try ended, and every finding with exact numbers.
 */
public final class SweepResult
{
    private final String deviceName;
    private final long count;
    private final int iterations;
    private final Map<String, Integer> outcomes;
    private final List<String> findings;
    private final long elapsedMillis;

    SweepResult(
        final String deviceName,
        final long count,
        final int iterations,
        final Map<String, Integer> outcomes,
        final List<String> findings,
        final long elapsedMillis)
    {
        this.deviceName = Objects.requireNonNull(deviceName);
        this.count = count;
        this.iterations = iterations;
        this.outcomes = Collections.unmodifiableMap(new LinkedHashMap<>(outcomes));
        this.findings = List.copyOf(findings);
        this.elapsedMillis = elapsedMillis;
    }

    /**
     * The device the runs used.
     *
     * @return its name, or empty when the counting run found none.
     */
    public String deviceName()
    {
        return deviceName;
    }

    /**
     * Allocations (allocate and reallocate calls) of one full run with nothing failing.
     *
     * @return the count.
     */
    public long count()
    {
        return count;
    }

    /**
     * Failure points tried: {@code count + extra}, index {@code i} failing the {@code i}-th allocation
     * (from 0) and every one after it.
     *
     * @return the number of runs after the counting run.
     */
    public int iterations()
    {
        return iterations;
    }

    /**
     * How the tries ended: the first call that did not return {@code VK_SUCCESS} and its result (e.g.
     * {@code "vkCreateDevice -> VK_ERROR_OUT_OF_HOST_MEMORY"}), or {@code "all calls succeeded"}.
     *
     * @return outcome to number of tries, in order of first appearance; unmodifiable.
     */
    public Map<String, Integer> outcomes()
    {
        return outcomes;
    }

    /**
     * Everything that broke the CTS's rules, one line each, prefixed with the failure index: a result
     * other than {@code VK_SUCCESS} / {@code VK_ERROR_OUT_OF_HOST_MEMORY}, a failed create that still
     * returned a handle, memory alive after teardown (blocks, bytes and scopes), a callback misuse.
     *
     * @return an unmodifiable list; empty for a driver that handles every failure.
     */
    public List<String> findings()
    {
        return findings;
    }

    /**
     * Wall-clock time of the sweep, for information only.
     *
     * @return milliseconds.
     */
    public long elapsedMillis()
    {
        return elapsedMillis;
    }

    /**
     * Whether every failure was handled by the rules.
     *
     * @return {@code true} when there are no findings.
     */
    public boolean passed()
    {
        return findings.isEmpty();
    }

    /**
     * A report a person can read.
     *
     * @return the text.
     */
    public String text()
    {
        final String nl = System.lineSeparator();
        final StringBuilder sb = new StringBuilder(4096);
        sb.append("Allocation failure sweep (create_instance_device_intentional_alloc_fail): ")
            .append(passed() ? "PASS" : "FINDINGS").append(nl);
        sb.append("device: ").append(deviceName).append(nl);
        sb.append("allocations in a full run: ").append(count).append(", failure points tried: ").append(iterations)
            .append(", ").append(elapsedMillis).append(" ms").append(nl);
        sb.append("outcomes:").append(nl);
        for (final Map.Entry<String, Integer> e : outcomes.entrySet())
        {
            sb.append(String.format("  %6d  %s%n", e.getValue(), e.getKey()));
        }
        sb.append("findings: ").append(findings.size()).append(nl);
        for (final String finding : findings)
        {
            sb.append("  ").append(finding).append(nl);
        }
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return text();
    }
}
