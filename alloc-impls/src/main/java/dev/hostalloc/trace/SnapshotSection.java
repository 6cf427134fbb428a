package dev.hostalloc.trace;

import dev.hostalloc.accounting.AccountSnapshot;
import dev.hostalloc.accounting.AccountingSnapshot;
import dev.hostalloc.api.SystemAllocationScope;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The part of a {@link TraceReport} that shows accounting snapshots (the versioned JSON of
 * {@link AccountingSnapshot}, {@code docs/schema/accounting-snapshot-v1.json}): per snapshot, one
 * table of every account (current, peak, limit, limit and pool failures, live blocks, then current and
 * peak bytes per scope) and one of what was still live when it was taken, per account and scope, counting
 * each account's own blocks only (its figures less its children's), so a leak is named where it was
 * charged. Taken at shutdown (e.g. from an accounting allocator's close), the second table is the leaks.
 */
final class SnapshotSection
{
    private static final SystemAllocationScope[] SCOPES = SystemAllocationScope.values();
    private static final DateTimeFormatter WHEN =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String INDENT = "&nbsp;&nbsp;&nbsp;&nbsp;";

    private SnapshotSection()
    {
    }

    /**
     * Appends one section per snapshot.
     *
     * @param h         the page being built.
     * @param snapshots the snapshots, in the order given.
     */
    static void append(final StringBuilder h, final List<AccountingSnapshot> snapshots)
    {
        for (final AccountingSnapshot snapshot : snapshots)
        {
            accounts(h, snapshot);
            live(h, snapshot);
        }
    }

    private static void accounts(final StringBuilder h, final AccountingSnapshot s)
    {
        long failures = 0;
        for (final AccountSnapshot account : s.accounts())
        {
            failures += account.failures() + account.poolFailures();
        }
        h.append("<section class=\"panel accounts\"><h2>Accounts of <span class=\"file\">").append(TraceReport.esc(s.allocator()))
            .append("</span> <span class=\"sub\">snapshot taken ").append(WHEN.format(s.takenAt())).append("</span>");
        if (failures > 0)
        {
            h.append(" <span class=\"badge warn\">").append(String.format("%,d", failures)).append(" refused</span>");
        }
        h.append("</h2><table><thead><tr><th>account</th><th class=\"num\">current</th><th class=\"num\">peak</th>")
            .append("<th class=\"num\">limit</th><th class=\"num\">failures</th><th class=\"num\">live blocks</th>")
            .append("<th class=\"num\">allocations</th>");
        for (final SystemAllocationScope scope : SCOPES)
        {
            h.append("<th class=\"num\"><i class=\"dot\" style=\"background:").append(TraceReport.scopeColor(scope))
                .append("\"></i>").append(scope.name()).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        for (final AccountSnapshot a : s.accounts())
        {
            h.append("<tr><td>").append(INDENT.repeat(a.depth())).append(TraceReport.esc(a.depth() == 0 ? a.path() : a.name()))
                .append("</td><td class=\"num\">").append(TraceReport.bytes(a.currentBytes()))
                .append("</td><td class=\"num\">").append(TraceReport.bytes(a.peakBytes()))
                .append("</td><td class=\"num\">").append(a.limited() ? TraceReport.bytes(a.limitBytes()) : "&ndash;")
                .append("</td><td class=\"num").append(a.failures() + a.poolFailures() > 0 ? " warn" : "").append("\">")
                .append(String.format("%,d", a.failures()));
            if (a.poolFailures() > 0)
            {
                h.append(" <small>+").append(String.format("%,d", a.poolFailures())).append(" pool</small>");
            }
            h.append("</td><td class=\"num\">").append(String.format("%,d", a.liveBlocks()))
                .append("</td><td class=\"num\">").append(String.format("%,d", a.allocations())).append("</td>");
            for (final SystemAllocationScope scope : SCOPES)
            {
                final var figures = a.scope(scope);
                h.append("<td class=\"num\">").append(TraceReport.bytes(figures.currentBytes()))
                    .append("<br><small>peak ").append(TraceReport.bytes(figures.peakBytes())).append("</small></td>");
            }
            h.append("</tr>");
        }
        h.append("</tbody></table><p class=\"hint\">An account's figures include its children's. Failures: requests ")
            .append("refused by the account's limit (+ by its pool).</p></section>\n");
    }

    private static void live(final StringBuilder h, final AccountingSnapshot s)
    {
        h.append("<section class=\"panel\"><h2>Live when the snapshot was taken <span class=\"sub\">")
            .append(TraceReport.esc(s.allocator())).append("</span></h2>");
        final StringBuilder rows = new StringBuilder();
        long blocks = 0;
        long bytes = 0;
        final List<AccountSnapshot> accounts = s.accounts();
        for (int i = 0; i < accounts.size(); i++)
        {
            final AccountSnapshot account = accounts.get(i);
            for (final SystemAllocationScope scope : SCOPES)
            {
                long ownBlocks = account.scope(scope).liveBlocks();
                long ownBytes = account.scope(scope).currentBytes();
                for (final AccountSnapshot child : accounts)
                {
                    if (child.depth() == account.depth() + 1 && child.path().startsWith(account.path() + "/"))
                    {
                        ownBlocks -= child.scope(scope).liveBlocks();
                        ownBytes -= child.scope(scope).currentBytes();
                    }
                }
                if (ownBlocks != 0 || ownBytes != 0)
                {
                    blocks += ownBlocks;
                    bytes += ownBytes;
                    rows.append("<tr><td>").append(TraceReport.esc(account.path())).append("</td><td><i class=\"dot\" style=\"background:")
                        .append(TraceReport.scopeColor(scope)).append("\"></i>").append(scope.name())
                        .append("</td><td class=\"num\">").append(String.format("%,d", ownBlocks))
                        .append("</td><td class=\"num\">").append(TraceReport.bytes(ownBytes)).append("</td></tr>");
                }
            }
        }
        if (rows.isEmpty())
        {
            h.append("<p class=\"empty good\">Nothing was live: every block charged to these accounts had been freed.</p></section>\n");
            return;
        }
        h.append("<p class=\"hint\">").append(String.format("%,d", blocks)).append(" blocks, ").append(TraceReport.bytes(bytes))
            .append(", by the account they were charged to. A snapshot taken at shutdown shows the leaks.</p>")
            .append("<table><thead><tr><th>account</th><th>scope</th><th class=\"num\">blocks</th><th class=\"num\">bytes</th>")
            .append("</tr></thead><tbody>").append(rows).append("</tbody></table></section>\n");
    }
}
