package dev.hostalloc.render;

import dev.hostalloc.accounting.AccountSnapshot;
import dev.hostalloc.accounting.AccountingSnapshot;
import dev.hostalloc.accounting.ScopeFigures;
import dev.hostalloc.api.SystemAllocationScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link RenderRun} did: the device, the frames, the accounting figures per scope for the
 * driver and the application, the per-frame allocations in the measured window, the validation
 * messages, violations and leaks, and where the PNG went.
 *
 * @param device             the Vulkan device name, or empty when setup failed before picking one.
 * @param callbacks          the allocator spec the run used.
 * @param framesRequested    frames asked for.
 * @param framesRendered     frames rendered.
 * @param validation         whether the validation layer was on.
 * @param validationMessages its warnings and errors.
 * @param failure            the setup or frame failure, or an empty string.
 * @param measuredFrames     frames in the per-frame window ({@link RenderRun#MEASURE_FROM} to the end).
 * @param driverPerWindow    driver allocations per scope over the window (index = scope ordinal).
 * @param appPerWindow       application allocations per scope over the window.
 * @param heapBytesPerFrame  Java heap bytes the render thread allocated per frame over the window (not
 *                           JIT-warmed in a short run; the zero-heap test warms up first).
 * @param driver             the driver account's figures at exit.
 * @param app                the application account's figures at exit.
 * @param snapshot           the whole accounting snapshot at exit.
 * @param violations         violations reported by the stack and the bridge.
 * @param violationReport    their text.
 * @param leakReport         the live blocks at exit as text, empty when none.
 * @param png                where the PNG went, or {@code null}.
 * @param pixels             the last frame's pixels ({@code 0xAARRGGBB}), or an empty array.
 * @param elapsedMillis      wall time of the whole run.
 */
public record RenderReport(
    String device,
    String callbacks,
    int framesRequested,
    int framesRendered,
    boolean validation,
    List<String> validationMessages,
    String failure,
    int measuredFrames,
    long[] driverPerWindow,
    long[] appPerWindow,
    double heapBytesPerFrame,
    AccountSnapshot driver,
    AccountSnapshot app,
    AccountingSnapshot snapshot,
    long violations,
    String violationReport,
    String leakReport,
    Path png,
    int[] pixels,
    long elapsedMillis)
{
    /**
     * Whether the run passed: no failure, no validation message, no violation, nothing live at exit.
     *
     * @return {@code true} when clean.
     */
    public boolean passed()
    {
        return failure.isEmpty() && validationMessages.isEmpty() && 0 == violations && liveBlocksAtExit() == 0;
    }

    /**
     * Blocks live after teardown, driver and application together.
     *
     * @return the count.
     */
    public long liveBlocksAtExit()
    {
        return driver.liveBlocks() + app.liveBlocks();
    }

    /**
     * The table per scope: allocations, frees, peak bytes and live at exit, for the driver and the
     * application, only scopes with allocations.
     *
     * @return the lines, each ending in {@code '\n'}.
     */
    public String scopeTable()
    {
        final List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "SIDE", "SCOPE", "ALLOCS", "FREES", "PEAK BYTES", "LIVE AT EXIT",
            "PER FRAME (" + measuredFrames + ")" });
        addRows(rows, "driver", driver, driverPerWindow);
        addRows(rows, "app", app, appPerWindow);
        return AccountingSnapshot.formatTable(rows);
    }

    private void addRows(final List<String[]> rows, final String side, final AccountSnapshot account, final long[] window)
    {
        boolean any = false;
        for (final SystemAllocationScope scope : SystemAllocationScope.values())
        {
            final ScopeFigures f = account.scope(scope);
            if (0 == f.allocations())
            {
                continue;
            }
            any = true;
            rows.add(new String[] { side, scope.name(), Long.toString(f.allocations()),
                Long.toString(f.allocations() - f.liveBlocks()), Long.toString(f.peakBytes()),
                f.liveBlocks() + " (" + f.currentBytes() + " B)", perFrame(window[scope.ordinal()]) });
        }
        if (!any)
        {
            rows.add(new String[] { side, "-", "0", "0", "0", "0 (0 B)", perFrame(0) });
        }
    }

    private String perFrame(final long inWindow)
    {
        return 0 == measuredFrames ? "-" : String.format(java.util.Locale.ROOT, "%.2f", (double)inWindow / measuredFrames);
    }
}
