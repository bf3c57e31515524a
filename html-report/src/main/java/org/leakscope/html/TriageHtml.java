package org.leakscope.html;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.leakscope.analysis.TriageSummary;
import org.leakscope.analysis.TriageSummary.Day;
import org.leakscope.analysis.TriageSummary.FileNote;
import org.leakscope.analysis.TriageSummary.LimitGroup;
import org.leakscope.analysis.TriageSummary.SignatureGroup;
import org.leakscope.analysis.TriageSummary.SiteGroup;

/**
 * triage's HTML report: crash signatures as bars and a table whose rows open to the top frames, leaking call sites
 * ranked by runs and machines with a line per site over days where the inputs carry times, live sites of resmon
 * tables, limit violations, and the files that could not be read. Every value comes from the same
 * {@link TriageSummary} the text and JSON renderers read.
 */
public final class TriageHtml {
    /** Bars and trend lines drawn; the tables hold every group. */
    public static final int MAX_DRAWN = 30;

    private TriageHtml() {
    }

    public static void write(TriageSummary summary, Writer w) throws IOException {
        page(summary).writeTo(w);
    }

    static Page page(TriageSummary s) {
        Page page = new Page("Leakscope triage: " + s.counts().files() + " files");
        Markup m = page.body();
        m.el("h1", "Leakscope triage");
        TriageSummary.Counts n = s.counts();
        m.el("p", Figures.count(n.files()) + " files: " + kinds(n.byKind()) + "; " + n.skipped() + " skipped, "
                + n.failed() + " failed, " + n.damaged() + " damaged. " + Figures.count(n.crashes()) + " crashes in "
                + s.signatures().size() + " signatures; " + Figures.count(n.runs()) + " monitored runs ("
                + kinds(n.verdicts()) + ")", "class", "summary");
        page.datum("command", "triage").datum("files", n.files()).datum("signatures", s.signatures().size())
                .datum("leakingSites", s.leakingSites().size()).datum("liveSites", s.liveSites().size())
                .datum("limits", s.limits().size()).datum("failed", s.failed().size())
                .datum("damaged", s.damaged().size());
        signatures(m, s.signatures());
        sites(m, "Leaking call sites", "leaking", "runs leaking at exit", s.leakingSites());
        sites(m, "Live call sites in resmon tables", "live", "tables holding resources", s.liveSites());
        limits(m, s.limits());
        files(m, "Files that could not be read", "failed", s.failed());
        files(m, "Files read with damage", "damaged", s.damaged());
        return page;
    }

    private static String kinds(Map<String, Integer> byKind) {
        if (byKind.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        byKind.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(Figures.count(v)).append(' ').append(k));
        return b.toString();
    }

    private static void signatures(Markup m, List<SignatureGroup> groups) {
        m.el("h2", "Crash signatures (" + groups.size() + ")");
        if (groups.isEmpty()) {
            m.el("p", "No dump with an exception.");
            return;
        }
        BarChart bars = new BarChart("dumps per signature (the " + Math.min(MAX_DRAWN, groups.size())
                + " most frequent)", Figures::count);
        for (SignatureGroup g : groups.subList(0, Math.min(MAX_DRAWN, groups.size()))) {
            bars.bar(new BarChart.Bar(Figures.cut(g.signature(), 60), g.count(), null,
                    g.count() + " dumps: " + g.signature()));
        }
        m.add(bars.svg());
        m.open("table", "class", "data signatures");
        m.open("thead").open("tr").el("th", "dumps", "class", "num").el("th", "signature").el("th", "exception")
                .el("th", "first seen").el("th", "last seen").el("th", "versions").el("th", "OS builds")
                .el("th", "examples").close("tr").close("thead").open("tbody");
        for (SignatureGroup g : groups) {
            m.open("tr").el("td", Figures.count(g.count()), "class", "num", "data-sort", Integer.toString(g.count()));
            m.open("td", "class", "site", "data-sort", g.signature());
            m.open("details").el("summary", g.signature());
            m.open("ol", "class", "stack");
            for (String f : g.topFrames()) {
                m.el("li", f);
            }
            m.close("ol").close("details").close("td");
            m.el("td", String.join(", ", g.exceptions())).el("td", orDash(g.firstSeen()), "class", "mono")
                    .el("td", orDash(g.lastSeen()), "class", "mono").el("td", String.join(", ", g.versions()))
                    .el("td", String.join(", ", g.osBuilds())).el("td", String.join("\n", g.examples()), "class",
                            "files").close("tr");
        }
        m.close("tbody").close("table");
    }

    private static void sites(Markup m, String title, String css, String unit, List<SiteGroup> groups) {
        if (groups.isEmpty()) {
            return;
        }
        m.el("h2", title + " (" + groups.size() + ")");
        trend(m, unit, groups);
        m.open("table", "class", "data sites " + css);
        m.open("thead").open("tr").el("th", "runs", "class", "num").el("th", "machines", "class", "num")
                .el("th", "files", "class", "num").el("th", "count", "class", "num").el("th", "bytes", "class", "num")
                .el("th", "kind").el("th", "call site").el("th", "processes").el("th", "trend").close("tr")
                .close("thead").open("tbody");
        for (SiteGroup g : groups) {
            m.open("tr");
            num(m, g.runs());
            num(m, g.machines());
            num(m, g.files());
            num(m, g.count());
            m.el("td", Figures.bytes(g.bytes()), "class", "num", "data-sort", Long.toString(g.bytes()));
            m.el("td", g.kind()).el("td", g.site(), "class", "site").el("td", String.join(", ", g.processes()))
                    .el("td", g.direction() == null ? "" : g.direction() + " over " + g.trend().size() + " days",
                            "class", g.direction() == null ? "trend" : "trend " + g.direction())
                    .close("tr");
        }
        m.close("tbody").close("table");
    }

    /** Runs per day at each site that has at least two days, the most leaking first. */
    private static void trend(Markup m, String unit, List<SiteGroup> groups) {
        LineChart chart = new LineChart(unit + " per day, per call site (red: rising)",
                v -> LocalDate.ofEpochDay((long) v).toString(), Figures::count);
        int drawn = 0;
        for (SiteGroup g : groups) {
            if (g.trend().size() < 2 || drawn == MAX_DRAWN) {
                continue;
            }
            drawn++;
            double[] t = new double[g.trend().size()];
            double[] v = new double[t.length];
            String[] tips = new String[t.length];
            for (int i = 0; i < t.length; i++) {
                Day d = g.trend().get(i);
                t[i] = LocalDate.parse(d.day()).toEpochDay();
                v[i] = d.runs();
                tips[i] = g.site() + "\n" + d.day() + ": " + d.runs() + " " + unit + ", " + Figures.bytes(d.bytes());
            }
            chart.series(new LineChart.Series(g.site(), "rising".equals(g.direction()) ? "grower" : "flat", t, v,
                    false, tips));
        }
        if (drawn > 0) {
            m.add(chart.svg());
        }
    }

    private static void limits(Markup m, List<LimitGroup> groups) {
        if (groups.isEmpty()) {
            return;
        }
        m.el("h2", "Limit violations (" + groups.size() + ")");
        m.open("table", "class", "data limits");
        m.open("thead").open("tr").el("th", "violations", "class", "num").el("th", "runs", "class", "num")
                .el("th", "files", "class", "num").el("th", "process").el("th", "resource").close("tr").close("thead")
                .open("tbody");
        for (LimitGroup g : groups) {
            m.open("tr");
            num(m, g.violations());
            num(m, g.runs());
            num(m, g.files());
            m.el("td", g.process()).el("td", g.resource()).close("tr");
        }
        m.close("tbody").close("table");
    }

    private static void files(Markup m, String title, String css, List<FileNote> notes) {
        if (notes.isEmpty()) {
            return;
        }
        m.el("h2", title + " (" + notes.size() + ")");
        m.open("table", "class", "data files " + css);
        m.open("thead").open("tr").el("th", "file").el("th", "kind").el("th", "problems", "class", "num")
                .el("th", "first problem").close("tr").close("thead").open("tbody");
        for (FileNote f : notes) {
            m.open("tr").el("td", f.file(), "class", "site").el("td", f.kind() == null ? "" : f.kind());
            num(m, f.problems());
            m.el("td", f.message()).close("tr");
        }
        m.close("tbody").close("table");
    }

    private static void num(Markup m, long v) {
        m.el("td", Figures.count(v), "class", "num", "data-sort", Long.toString(v));
    }

    private static String orDash(String s) {
        return s == null ? "–" : s;
    }
}
