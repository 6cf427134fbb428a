package dev.hostalloc.tests.audit;

import org.opentest4j.AssertionFailedError;

import java.util.List;

/**
 * What one audited pass allocated on its thread.
 *
 * @param threadName     the audited thread.
 * @param heapBytes      Java heap bytes the thread allocated
 *                       ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}).
 * @param hostOperations calls the thread made on watched hostalloc allocators.
 * @param hostBytes      bytes those calls asked for (allocations and reallocations).
 * @param details        the first of those calls, in order (at most the audit's detail capacity).
 */
public record AuditResult(
    String threadName, long heapBytes, long hostOperations, long hostBytes, List<HostOperation> details)
{
    /**
     * Copies the detail list.
     */
    public AuditResult
    {
        details = List.copyOf(details);
    }

    /**
     * Whether the pass allocated nothing at all.
     *
     * @return {@code true} when no heap byte and no host operation was seen.
     */
    public boolean clean()
    {
        return heapBytes == 0 && hostOperations == 0;
    }

    /**
     * Fails unless {@link #clean()}.
     *
     * @throws AssertionFailedError saying what was allocated (heap bytes; host sizes and scopes).
     */
    public void assertClean()
    {
        if (!clean())
        {
            throw new AssertionFailedError(describe());
        }
    }

    /**
     * A report a person can read.
     *
     * @return e.g. {@code "audited region on thread 'main' allocated 24 Java heap bytes and made 1 host
     *         memory call (64 bytes) through a watched hostalloc stack: ..."}.
     */
    public String describe()
    {
        if (clean())
        {
            return "audited region on thread '" + threadName + "' allocated nothing";
        }
        final StringBuilder sb = new StringBuilder(256);
        sb.append("audited region on thread '").append(threadName).append("' allocated ");
        if (heapBytes != 0)
        {
            sb.append(heapBytes).append(" Java heap bytes");
        }
        if (hostOperations != 0)
        {
            sb.append(heapBytes != 0 ? " and " : "").append("made ").append(hostOperations).append(" host memory call")
                .append(hostOperations == 1 ? "" : "s").append(" (").append(hostBytes).append(" bytes asked for)")
                .append(" through a watched hostalloc stack:");
            for (final HostOperation operation : details)
            {
                sb.append(System.lineSeparator()).append("  ").append(operation);
            }
            if (hostOperations > details.size())
            {
                sb.append(System.lineSeparator()).append("  (").append(hostOperations - details.size())
                    .append(" more not kept)");
            }
        }
        return sb.toString();
    }

    @Override
    public String toString()
    {
        return describe();
    }
}
