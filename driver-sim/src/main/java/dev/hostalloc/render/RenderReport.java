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
 * @param lwjglPerWindow     LWJGL's own allocations per scope over the window (0 when not routed).
 * @param heapBytesPerFrame  Java heap bytes the render thread allocated per frame over the window (not
 *                           JIT-warmed in a short run; the zero-heap test warms up first).
 * @param driver             the driver account's figures at exit.
 * @param app                the application account's figures at exit.
 * @param lwjgl              LWJGL's account at exit: what LWJGL's allocator did while routed. LWJGL keeps
 *                           two small blocks per callback type it has used for the JVM's lifetime, so
 *                           they are shown but are not the renderer's leaks.
 * @param lwjglRouting       whether and where LWJGL's allocator was routed, as one line.
 * @param snapshot           the whole accounting snapshot at exit.
 * @param violations         violations reported by the stack and the bridge.
 * @param violationReport    their text.
 * @param leakReport         the driver's and the renderer's live blocks at exit as text, empty when none.
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
    long[] lwjglPerWindow,
    double heapBytesPerFrame,
    AccountSnapshot driver,
    AccountSnapshot app,
    AccountSnapshot lwjgl,
    String lwjglRouting,
    AccountingSnapshot snapshot,
    long violations,
    String violationReport,
    String leakReport,
    Path png,
    int[] pixels,
    long elapsedMillis)
{
    /**
     * Whether the run passed: no failure, no validation message, no violation, nothing of the driver's
     * or the renderer's live at exit, and no LWJGL allocation per frame in the window.
     *
     * @return {@code true} when clean.
     */
    public boolean passed()
    {
        return failure.isEmpty() && validationMessages.isEmpty() && 0 == violations && liveBlocksAtExit() == 0 &&
            0 == java.util.Arrays.stream(lwjglPerWindow).sum();
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
     * The table per scope: allocations, frees, peak bytes and live at exit, for the driver, the
     * application and (when routed) LWJGL's allocator, only scopes with allocations.
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
        if (0 != lwjgl.allocations())
        {
            addRows(rows, "lwjgl", lwjgl, lwjglPerWindow);
        }
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
