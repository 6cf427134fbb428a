package dev.hostalloc.cli;

import java.io.PrintWriter;

/**
 * A progress bar on standard error: redrawn in place ({@code \r}) when standard error is a terminal,
 * otherwise only a start and an end line, so logs stay short.
 */
final class ProgressBar
{
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final boolean terminal;
    private int lastDrawn = -1;

    /**
     * A bar.
     *
     * @param err      where it is drawn.
     * @param label    what is counted, e.g. {@code frames}.
     * @param terminal whether to redraw in place.
     */
    ProgressBar(final PrintWriter err, final String label, final boolean terminal)
    {
        this.err = err;
        this.label = label;
        this.terminal = terminal;
    }

    /**
     * Whether standard error looks like a terminal (a console exists and {@code TERM} is not dumb).
     *
     * @return {@code true} for an interactive run.
     */
    static boolean stderrIsTerminal()
    {
        final java.io.Console console = System.console();
        return null != console && console.isTerminal() && !"dumb".equals(System.getenv("TERM"));
    }

    /**
     * Shows progress.
     *
     * @param done  units done.
     * @param total units in all.
     */
    void update(final long done, final long total)
    {
        if (!terminal)
        {
            if (lastDrawn < 0)
            {
                err.println(label + ": " + total + " ...");
                err.flush();
                lastDrawn = 0;
            }
            if (done == total)
            {
                err.println(label + ": " + done + "/" + total + " done");
                err.flush();
            }
            return;
        }
        final int filled = (int)(WIDTH * done / Math.max(1, total));
        final int percent = (int)(100 * done / Math.max(1, total));
        if (percent == lastDrawn && done != total)
        {
            return;
        }
        lastDrawn = percent;
        err.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + done + "/" + total);
        if (done == total)
        {
            err.println();
        }
        err.flush();
    }
}
