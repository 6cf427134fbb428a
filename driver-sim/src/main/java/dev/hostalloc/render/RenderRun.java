package dev.hostalloc.render;

import dev.hostalloc.accounting.Account;
import dev.hostalloc.accounting.AccountSnapshot;
import dev.hostalloc.accounting.AccountingAllocator;
import dev.hostalloc.accounting.AccountingSnapshot;
import dev.hostalloc.accounting.LeakReport;
import dev.hostalloc.api.AllocationCallbacks;
import dev.hostalloc.api.RecordingViolationHandler;
import dev.hostalloc.api.SystemAllocationScope;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One accounted render over the {@link RenderAccounts} tree ({@value RenderAccounts#DRIVER_ACCOUNT}: everything the
 * Vulkan driver and layers allocate through {@code pAllocator}; {@value RenderAccounts#APP_ACCOUNT}: the renderer's own
 * memory; {@code lwjgl}: LWJGL's allocator when routed); opens a {@link Renderer}, renders the frames, reads the last back, writes the PNG, closes,
 * and reports figures per scope, the driver's and the application's allocations per frame from frame
 * {@value #MEASURE_FROM} on, violations and what is still live.
 */
public final class RenderRun
{
    /** Frames when none are given. */
    public static final int DEFAULT_FRAMES = 60;
    /** The first frame of the per-frame window (earlier frames are warm-up). */
    public static final int MEASURE_FROM = 10;

    /** Told after each frame, e.g. to draw a progress bar. */
    @FunctionalInterface
    public interface FrameListener
    {
        /**
         * A frame is done.
         *
         * @param done   frames rendered so far.
         * @param frames frames in the run.
         */
        void frameRendered(int done, int frames);
    }

    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private RenderRun()
    {
    }

    /**
     * Runs the renderer.
     *
     * @param stack      the allocator stack under test (not closed).
     * @param violations the handler the stack reports to (read for the verdict), or {@code null}.
     * @param spec       the stack's spec, for the report.
     * @param frames     frames to render, at least 1.
     * @param validation whether to enable the Khronos validation layer.
     * @param png        where to write the last frame, or {@code null} for nowhere.
     * @param listener   told after each frame.
     * @return the report; {@link RenderReport#failure()} says what failed, if anything.
     * @throws IllegalArgumentException when {@code frames} is below 1.
     * @throws NullPointerException     when {@code stack}, {@code spec} or {@code listener} is {@code null}.
     */
    public static RenderReport run(
        final AllocationCallbacks stack,
        final RecordingViolationHandler violations,
        final String spec,
        final int frames,
        final boolean validation,
        final Path png,
        final FrameListener listener)
    {
        Objects.requireNonNull(stack, "stack");
        return run(RenderAccounts.over(stack), violations, spec, frames, validation, png, listener);
    }

    /**
     * Runs the renderer over accounts the caller made (and, for the CLI, routed LWJGL into first).
     *
     * @param accounts   the accounting tree over the stack under test; closed by this method.
     * @param violations the handler the stack reports to (read for the verdict), or {@code null}.
     * @param spec       the stack's spec, for the report.
     * @param frames     frames to render, at least 1.
     * @param validation whether to enable the Khronos validation layer.
     * @param png        where to write the last frame, or {@code null} for nowhere.
     * @param listener   told after each frame.
     * @return the report; {@link RenderReport#failure()} says what failed, if anything.
     * @throws IllegalArgumentException when {@code frames} is below 1.
     * @throws NullPointerException     when {@code accounts}, {@code spec} or {@code listener} is {@code null}.
     */
    public static RenderReport run(
        final RenderAccounts accounts,
        final RecordingViolationHandler violations,
        final String spec,
        final int frames,
        final boolean validation,
        final Path png,
        final FrameListener listener)
    {
        Objects.requireNonNull(accounts, "accounts");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(listener, "listener");
        if (frames < 1)
        {
            throw new IllegalArgumentException("frames must be at least 1: " + frames);
        }
        final long start = System.nanoTime();
        final AccountingAllocator accounting = accounts.accounting();
        final Account driver = accounts.driver();
        final Account app = accounts.app();
        final Account lwjgl = accounts.lwjgl();
        final int windowStart = frames > MEASURE_FROM ? MEASURE_FROM : frames / 2;
        final long[] driverWindow = new long[SystemAllocationScope.COUNT];
        final long[] appWindow = new long[SystemAllocationScope.COUNT];
        final long[] lwjglWindow = new long[SystemAllocationScope.COUNT];
        String device = "";
        String failure = "";
        List<String> messages = List.of();
        int rendered = 0;
        int[] pixels = new int[0];
        long heapBytes = 0;
        long bridgeViolations = 0;
        String bridgeReport = "";
        Path written = null;
        Renderer renderer = null;
        try
        {
            renderer = Renderer.open(driver, app, validation, new RenderTrace());
            device = renderer.deviceName();
            AccountSnapshot driverBefore = driver.snapshot();
            AccountSnapshot appBefore = app.snapshot();
            AccountSnapshot lwjglBefore = lwjgl.snapshot();
            for (int frame = 0; frame < frames; frame++)
            {
                if (frame == windowStart)
                {
                    driverBefore = driver.snapshot();
                    appBefore = app.snapshot();
                    lwjglBefore = lwjgl.snapshot();
                }
                final long heapBefore = THREADS.getCurrentThreadAllocatedBytes();
                renderer.renderFrame(frame);
                final long heapAfter = THREADS.getCurrentThreadAllocatedBytes();
                if (frame >= windowStart)
                {
                    heapBytes += heapAfter - heapBefore;
                }
                rendered++;
                listener.frameRendered(rendered, frames);
            }
            windowDelta(driverBefore, driver.snapshot(), driverWindow);
            windowDelta(appBefore, app.snapshot(), appWindow);
            windowDelta(lwjglBefore, lwjgl.snapshot(), lwjglWindow);
            pixels = renderer.readBack();
            if (null != png)
            {
                Renderer.writePng(pixels, png);
                written = png;
            }
        }
        catch (final RenderSetupException ex)
        {
            failure = (0 == rendered ? "setup: " : "frame " + rendered + ": ") + ex.getMessage();
        }
        catch (final IOException ex)
        {
            failure = "writing " + png + ": " + ex.getMessage();
        }
        finally
        {
            if (null != renderer)
            {
                renderer.close();
                messages = renderer.validationMessages();
                bridgeViolations = renderer.bridgeViolationCount();
                bridgeReport = renderer.bridgeViolationReport();
            }
        }
        final AccountingSnapshot snapshot = accounting.snapshot();
        final AccountSnapshot driverAtExit = driver.snapshot();
        final AccountSnapshot appAtExit = app.snapshot();
        final AccountSnapshot lwjglAtExit = lwjgl.snapshot();
        final LeakReport leakReport = ours(accounts.close(), lwjgl.path());
        final long stackViolations = null == violations ? 0 : violations.totalCount();
        final String violationText = (null == violations || 0 == stackViolations ? "" : violations.report()) + bridgeReport;
        final int measured = rendered > windowStart ? rendered - windowStart : 0;
        return new RenderReport(device, spec, frames, rendered, validation, messages, failure, measured,
            driverWindow, appWindow, lwjglWindow, 0 == measured ? 0 : (double)heapBytes / measured, driverAtExit, appAtExit,
            lwjglAtExit, accounts.lwjglRouting(), snapshot,
            stackViolations + bridgeViolations, violationText.strip(),
            null == leakReport || leakReport.isEmpty() ? "" : leakReport.text(), written, pixels,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** The leak report without LWJGL's account: LWJGL keeps some blocks for the JVM's lifetime (see RenderReport). */
    private static LeakReport ours(final LeakReport report, final String lwjglPath)
    {
        if (null == report)
        {
            return null;
        }
        return new LeakReport(report.allocator(),
            report.blocks().stream().filter(block -> !block.account().equals(lwjglPath)).toList(),
            report.untracked().stream().filter(summary -> !summary.account().equals(lwjglPath)).toList());
    }

    private static void windowDelta(final AccountSnapshot before, final AccountSnapshot after, final long[] into)
    {
        for (final SystemAllocationScope scope : SystemAllocationScope.values())
        {
            into[scope.ordinal()] = after.scope(scope).allocations() - before.scope(scope).allocations();
        }
    }
}
