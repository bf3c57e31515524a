package org.leakscope.cli.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.leakscope.analysis.LogReport;
import org.leakscope.analysis.LoggedRun;
import org.leakscope.analysis.RunCounts;
import org.leakscope.diff.Attribution;
import org.leakscope.diff.AttributedSite;
import org.leakscope.diff.RunHealth;
import org.leakscope.model.Frame;
import org.leakscope.model.UsageSeries;
import org.leakscope.resmon.CallSite;
import org.leakscope.resmon.HistogramBucket;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonReport;
import org.leakscope.resmon.ResmonRun;

/** logscan's human report: per run its span, usage, limits, what it left behind, findings and verdict. */
public final class LogscanRenderer {
    private final StringBuilder out = new StringBuilder();
    private final int topCallSites;

    public LogscanRenderer(int topCallSites) {
        this.topCallSites = topCallSites;
    }

    public String render(LogReport report) {
        List<ResmonLog> logs = report.logs();
        List<LoggedRun> runs = report.runs();
        out.append("Leakscope logscan\n");
        for (ResmonLog log : logs) {
            StringBuilder about = new StringBuilder(log.framed() ? "DebugView log" : "plain capture");
            if (log.computer() != null) {
                about.append(" from \\\\").append(Fit.middleInBytes(log.computer(), 30));
            }
            about.append(", ").append(Sizes.exact(log.records())).append(" records, ")
                    .append(Sizes.exact(log.resmonLines())).append(" resmon lines, ")
                    .append(LoggedRun.plural(log.runs().size(), "run"));
            if (!"bytes".equals(log.encoding())) {
                about.append(", ").append(log.encoding());
            }
            // one line when both fit, else the description under the path (cut only when it is wider alone)
            String source = log.source();
            if (4 + source.length() + about.length() <= Fit.WIDTH) {
                out.append("  ").append(source).append(": ").append(about).append('\n');
            } else {
                out.append("  ").append(Fit.middleInBytes(source, Fit.WIDTH - 3)).append(":\n    ").append(about)
                        .append('\n');
            }
        }
        if (runs.isEmpty()) {
            out.append("\nNo resmon output found (lines like '[2540] notepad.exe|resmon| threads used 2, ...').\n");
        }
        for (LoggedRun r : runs) {
            run(r, logs.size() > 1);
        }
        summary(report.counts());
        SymbolSourcesText.render(out, "", report.symbols());
        return out.toString();
    }

    private void run(LoggedRun lr, boolean manyFiles) {
        ResmonRun run = lr.run();
        RunHealth h = lr.health();
        out.append("\nRun ").append(run.index()).append(": ").append(Fit.middleInBytes(run.label(), 50));
        if (manyFiles) {
            out.append(" in ").append(Fit.middleInBytes(lr.file(), 40));
        }
        out.append("  ").append(verdictWord(h)).append('\n');
        out.append("  lines ").append(run.start().line()).append("..").append(run.end().line()).append(", ")
                .append(run.start().label()).append(" .. ").append(run.end().label());
        double span = run.end().seconds() - run.start().seconds();
        if (!Double.isNaN(span)) {
            out.append(" (").append(duration(span)).append(')');
        }
        if (run.estimatedTimes()) {
            out.append(", no times in the log: samples placed one interval apart");
        }
        out.append('\n');
        usage(run);
        ResmonReport rep = run.report();
        if (rep != null) {
            report(lr, rep);
        }
        out.append("  findings:\n");
        for (String f : lr.findings()) {
            for (String line : Fit.wrap(f, "    - ", "      ")) {
                out.append(line).append('\n');
            }
        }
        out.append("  verdict: ").append(verdictWord(h)).append('\n');
    }

    private static String verdictWord(RunHealth h) {
        String v = h.verdict().word().toUpperCase(Locale.ROOT);
        return h.leaked() && h.overLimit() ? v + ", OVER-LIMIT" : v;
    }

    private void usage(ResmonRun run) {
        if (run.memory().count() == 0) {
            out.append("  usage: no periodic lines\n");
            return;
        }
        Table t = new Table("usage", "samples>", "first>", "peak>", "peak after>", "final>", "per hour>");
        double start = run.memory().firstTime();
        series(t, "memory used", run.memory(), true, start);
        series(t, "threads used", run.threads(), false, start);
        series(t, "sync objects used", run.syncObjects(), false, start);
        series(t, "cpu %", run.cpuPercent(), false, start);
        UsageSeries disk = run.diskBytes();
        if (disk.peakValue() > 0) {
            t.row("disk written", disk.count(), "", "", "", LoggedRun.amount(disk.lastValue(), true), "");
        }
        t.render(out, "  ");
    }

    private static void series(Table t, String name, UsageSeries s, boolean bytes, double start) {
        Double perHour = LoggedRun.perHour(name, s);
        t.row(name, s.count(), LoggedRun.amount(s.firstValue(), bytes), LoggedRun.amount(s.peakValue(), bytes),
                at(s.peakTime() - start), LoggedRun.amount(s.lastValue(), bytes),
                perHour == null || name.startsWith("cpu") ? "" : LoggedRun.rate(perHour, bytes));
    }

    private static String at(double seconds) {
        return Double.isNaN(seconds) ? "" : duration(seconds);
    }

    private void report(LoggedRun lr, ResmonReport rep) {
        out.append("  ").append(rep.exit() ? "exit report" : "last on-demand report").append(" (lines ")
                .append(rep.start().line()).append("..").append(rep.endLine())
                .append(rep.complete() ? "" : ", cut off").append("): ")
                .append(LoggedRun.plural(rep.resourcesListed(), "resource")).append(" listed");
        if (rep.memoryTotal() != null) {
            out.append(", memory usage ").append(Sizes.exact(rep.memoryTotal())).append(" bytes");
        }
        out.append('\n');
        List<AttributedSite<CallSite>> sites = lr.sites();
        if (!sites.isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            List<Attribution> via = new ArrayList<>();
            int shown = 0;
            for (AttributedSite<CallSite> s : sites) {
                if (topCallSites > 0 && shown++ == topCallSites) {
                    break;
                }
                // the site's inlined calls first, a row each, innermost first; the counts on the first (InlineText)
                Frame site = s.site();
                String named = lr.describe(site)
                        + (site == null ? "" : InlineText.shortSource(site.sourceFile(), site.sourceLine()));
                List<String> group = site == null ? List.of(named) : InlineText.group(named, site.inlined(), false);
                for (int i = 0; i < group.size(); i++) {
                    boolean first = i == 0;
                    rows.add(new String[] {first ? Sizes.exact(s.count()) : "",
                            !first || s.bytes() == 0 ? "" : Sizes.exact(s.bytes()), first ? s.kind().label() : "",
                            group.get(i), first ? String.join(",", lr.typeNames(s)) : ""});
                    via.add(i == group.size() - 1 ? s.attribution() : null);
                }
            }
            callSites(rows, via, lr.run().module()).render(out, "    ");
            if (topCallSites > 0 && sites.size() > topCallSites) {
                out.append("    ... ").append(sites.size() - topCallSites)
                        .append(" more call sites (--top 0 shows all)\n");
            }
        }
        if (!rep.histogram().isEmpty()) {
            out.append("  allocation sizes since start (resmon's allocations detail):\n");
            Table t = new Table("size>", "", "up to>", "allocations>");
            for (HistogramBucket b : rep.histogram()) {
                t.row(Sizes.exact(b.lower()), "-", Sizes.exact(b.upper()), Sizes.exact(b.count()));
            }
            t.render(out, "    ");
        }
    }

    /**
     * The call-site table in 120 columns: count, bytes and kind keep their width; the call site (a
     * module!function can be long, and the frames folded above it follow as "via ...") and the types share the
     * rest, each losing its middle when it must.
     */
    private static Table callSites(List<String[]> rows, List<Attribution> via, String module) {
        String[] headers = {"count>", "bytes>", "kind", "call site (in " + module + ")", "types"};
        int fixed = 4;
        for (int c = 0; c < 3; c++) {
            int w = headers[c].length() - (headers[c].endsWith(">") ? 1 : 0);
            for (String[] r : rows) {
                w = Math.max(w, r[c].length());
            }
            fixed += w + 2;
        }
        int room = Fit.WIDTH - fixed - 2;
        int site = "call site".length();
        int types = "types".length();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            site = Math.max(site, Via.withSite(r[3], via.get(i), Fit.WIDTH).length());
            types = Math.max(types, r[4].length());
        }
        int typesMax = Math.max(room - site, Math.min(types, room / 3));
        int siteMax = room - Math.min(types, typesMax);
        headers[3] = "call site (in " + Fit.middleInBytes(module, Math.max(8, siteMax - 15)) + ")";
        if (headers[3].length() > siteMax) {
            headers[3] = "call site";
        }
        Table t = new Table(headers);
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            // a frame with a source gives up its arguments and its module (the header names it) before its middle
            // (Fit.frame, in columns: 2 kept for the ellipsis's other bytes); one without loses its middle
            String cell;
            if (r[3].endsWith(InlineText.MARK)) {
                cell = InlineText.fit(r[3], siteMax - 2);
            } else if (r[3].endsWith("]")) {
                cell = Via.shorten(Via.withSite(r[3], via.get(i), siteMax), siteMax - 2);
            } else {
                cell = Via.withSite(r[3], via.get(i), siteMax);
            }
            cell = Fit.middleInBytes(cell, siteMax);
            t.row(r[0], r[1], r[2], cell,
                    Fit.middleInBytes(r[4], typesMax));
        }
        return t;
    }

    private void summary(RunCounts n) {
        out.append("\nSummary: ").append(LoggedRun.plural(n.runs(), "run")).append(", ").append(n.leaked())
                .append(" leaked, ").append(n.overLimit()).append(" over-limit");
        if (n.overLimitAlsoLeaked() > 0) {
            out.append(" (").append(n.overLimitAlsoLeaked()).append(" also leaked)");
        }
        out.append(", ").append(n.clean()).append(" clean, ").append(n.incomplete()).append(" incomplete\n");
    }

    /** {@code 42 s}, {@code 12.5 min}, {@code 71.0 h}. */
    static String duration(double seconds) {
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
