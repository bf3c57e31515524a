package org.leakscope.html;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import org.leakscope.analysis.LogReport;
import org.leakscope.analysis.LoggedRun;
import org.leakscope.analysis.RunCounts;
import org.leakscope.diff.AttributedSite;
import org.leakscope.diff.RunHealth;
import org.leakscope.model.UsageSeries;
import org.leakscope.resmon.CallSite;
import org.leakscope.resmon.HistogramBucket;
import org.leakscope.resmon.LimitEvent;
import org.leakscope.resmon.ResmonLog;
import org.leakscope.resmon.ResmonReport;
import org.leakscope.resmon.ResmonRun;

/**
 * logscan's HTML report: all runs on one time axis coloured by verdict, then per run its findings, its usage
 * charts (limits as lines, every limit update marked where it happened), its leaked call sites as a table whose
 * rows open to their stacks, and resmon's allocation sizes as bars.
 */
public final class LogscanHtml {
    /** Runs drawn with charts and tables; the rest are listed in the overview only, so the page stays small. */
    public static final int MAX_RUNS_DRAWN = 60;
    /** Call sites listed per run when the command was not told how many: the table pages them. */
    public static final int MAX_SITES = 1000;

    private LogscanHtml() {
    }

    /**
     * Writes the page.
     *
     * @param report the runs as analysis assessed them (their usage curves kept: {@code LogReading.keepCurves})
     * @param top    call sites per run (0: all; the table pages them)
     */
    public static void write(LogReport report, int top, Writer w) throws IOException {
        page(report, top).writeTo(w);
    }

    static Page page(LogReport report, int top) {
        Page page = new Page("Leakscope logscan: " + names(report));
        Markup m = page.body();
        m.el("h1", "Leakscope logscan");
        for (ResmonLog log : report.logs()) {
            m.el("p", log.source() + ": " + (log.framed() ? "DebugView log" : "plain capture")
                    + (log.computer() == null ? "" : " from \\\\" + log.computer()) + ", "
                    + Figures.count(log.records()) + " records, " + Figures.count(log.resmonLines())
                    + " resmon lines, " + LoggedRun.plural(log.runs().size(), "run"), "class", "sub mono");
        }
        RunCounts n = report.counts();
        m.el("p", "Summary: " + LoggedRun.plural(n.runs(), "run") + ", " + n.leaked() + " leaked, " + n.overLimit()
                + " over-limit, " + n.clean() + " clean, " + n.incomplete() + " incomplete", "class", "summary");
        page.datum("command", "logscan").datum("runs", n.runs()).datum("leaked", n.leaked())
                .datum("overLimit", n.overLimit()).datum("clean", n.clean()).datum("incomplete", n.incomplete())
                .datum("logs", String.join("\n", report.logs().stream().map(ResmonLog::source).toList()))
                .datum("labels", String.join("\n", report.runs().stream().map(r -> r.run().label()).toList()));
        if (report.runs().isEmpty()) {
            m.el("p", "No resmon output found (lines like '[2540] notepad.exe|resmon| threads used 2, ...').");
        } else {
            m.el("h2", "Runs");
            m.add(Timeline.of(report.runs()));
            m.open("p", "class", "legend");
            for (RunHealth.Verdict v : RunHealth.Verdict.values()) {
                m.open("span").el("i", "", "class", v.word()).text(v.word()).close("span");
            }
            m.close("p");
        }
        int drawn = 0;
        for (LoggedRun r : report.runs()) {
            if (drawn++ == MAX_RUNS_DRAWN) {
                m.el("p", (report.runs().size() - MAX_RUNS_DRAWN) + " more runs are in the overview only (a page"
                        + " of " + MAX_RUNS_DRAWN + " runs stays readable; --process or --pid picks others).",
                        "class", "warn");
                break;
            }
            run(m, r, top, report.logs().size() > 1);
        }
        Stacks.symbolSources(m, report.symbols());
        warnings(m, report.warnings());
        m.el("footer", "Written by Leakscope logscan. Charts are drawn from each run's usage samples (at most "
                + LineChart.POINTS + " points per series, peaks kept); limits are dashed lines; red dots are limit"
                + " updates.");
        return page;
    }

    private static String names(LogReport report) {
        List<String> names = report.logs().stream().map(l -> java.nio.file.Path.of(l.source()).getFileName())
                .map(String::valueOf).toList();
        return String.join(", ", names);
    }

    static String verdict(RunHealth h) {
        return h.verdict().word();
    }

    private static void run(Markup m, LoggedRun lr, int top, boolean manyFiles) {
        ResmonRun run = lr.run();
        RunHealth h = lr.health();
        m.open("section", "class", "run", "id", "run-" + run.index(), "data-verdict", verdict(h));
        m.open("h2").text("Run " + run.index() + ": " + run.label() + (manyFiles ? " in " + lr.file() : "") + " ")
                .el("span", verdict(h) + (h.leaked() && h.overLimit() ? ", over-limit" : ""),
                        "class", "verdict " + verdict(h))
                .close("h2");
        double span = run.end().seconds() - run.start().seconds();
        m.el("p", "lines " + run.start().line() + ".." + run.end().line() + ", " + run.start().label() + " .. "
                + run.end().label() + (Double.isNaN(span) ? "" : " (" + Figures.duration(span) + ")")
                + (run.estimatedTimes() ? ", no times in the log: samples placed one interval apart" : ""),
                "class", "sub");
        m.el("h3", "Findings");
        m.open("ul", "class", "findings");
        for (String f : lr.findings()) {
            m.el("li", f);
        }
        m.close("ul");
        charts(m, run);
        ResmonReport rep = run.report();
        if (rep != null) {
            sites(m, lr, rep, top);
            histogram(m, rep);
        }
        m.close("section");
    }

    private static void charts(Markup m, ResmonRun run) {
        double t0 = run.memory().count() > 0 ? run.memory().firstTime() : run.start().seconds();
        Map<String, List<LimitEvent>> events = new LinkedHashMap<>();
        for (LimitEvent e : run.limitEvents()) {
            events.computeIfAbsent(e.resource(), k -> new ArrayList<>()).add(e);
        }
        boolean curves = run.memory().pointTimes().length > 0 || run.memory().count() == 0;
        if (!curves) {
            m.el("p", "(usage curves were not kept for this run)", "class", "warn");
            return;
        }
        chart(m, run, "memory used", "memory", run.memory(), events.get("memory"), Figures::bytes, t0, true);
        chart(m, run, "threads used", "threads", run.threads(), events.get("threads"), Figures::count, t0, false);
        chart(m, run, "sync objects used", "sync objects", run.syncObjects(), events.get("sync objects"),
                Figures::count, t0, false);
        if (run.cpuPercent().peakValue() > 0 || events.containsKey("cpu")) { // 0 throughout: resmon printed no cpu line
            chart(m, run, "cpu %", "cpu", run.cpuPercent(), events.get("cpu"), v -> Figures.count(v) + " %", t0, false);
        }
        if (run.diskBytes().peakValue() > 0) {
            chart(m, run, "disk written", "disk", run.diskBytes(), events.get("disk"), Figures::bytes, t0, true);
        }
    }

    private static void chart(Markup m, ResmonRun run, String name, String resource, UsageSeries s,
            List<LimitEvent> events, DoubleFunction<String> y, double t0, boolean area) {
        if (s.count() == 0) {
            return;
        }
        double[] t = s.pointTimes();
        double[] v = s.pointValues();
        double[][] curve = withPeak(t, v, s.peakTime(), s.peakValue());
        double[] tt = curve[0];
        double[] vv = curve[1];
        for (int i = 0; i < tt.length; i++) {
            tt[i] -= t0;
        }
        LineChart c = new LineChart(name + " (" + run.label() + ")", Figures::duration, y)
                .series(new LineChart.Series(name, "s0", tt, vv, area, null))
                .xRange(0, Math.max(s.lastTime(), run.end().seconds()) - t0);
        if (area) {
            c.binaryTicks(); // bytes
        }
        c.mark(new LineChart.Mark(s.peakTime() - t0, s.peakValue(), "peak " + y.apply(s.peakValue()) + " at "
                + Figures.duration(s.peakTime() - t0), "peak"));
        if (events != null && !events.isEmpty()) {
            List<LimitEvent> timed = events.stream().filter(e -> !Double.isNaN(e.time().seconds())).toList();
            if (!timed.isEmpty()) {
                double[] lt = new double[timed.size() + 1];
                double[] lv = new double[timed.size() + 1];
                lt[0] = 0;
                lv[0] = timed.get(0).from();
                for (int i = 0; i < timed.size(); i++) {
                    LimitEvent e = timed.get(i);
                    lt[i + 1] = e.time().seconds() - t0;
                    lv[i + 1] = e.to();
                    c.mark(new LineChart.Mark(e.time().seconds() - t0, e.to(), resource + " limit " + y.apply(e.from())
                            + " broken: " + y.apply(e.to()) + " at " + e.time().label() + " (line " + e.time().line()
                            + ")", "violation"));
                }
                c.limit(new LineChart.Limit(resource + " limit", lt, lv));
            }
        }
        m.add(c.svg());
    }

    /**
     * The curve with its exact peak: a long run's curve holds means of consecutive samples, which flatten the
     * peak, so the peak sample goes back in where it happened (or replaces the point at its time).
     */
    static double[][] withPeak(double[] t, double[] v, double peakTime, double peakValue) {
        int at = java.util.Arrays.binarySearch(t, peakTime);
        if (at >= 0) {
            double[] vv = v.clone();
            vv[at] = Math.max(vv[at], peakValue);
            return new double[][] {t.clone(), vv};
        }
        int ins = -at - 1;
        double[] tt = new double[t.length + 1];
        double[] vv = new double[v.length + 1];
        System.arraycopy(t, 0, tt, 0, ins);
        System.arraycopy(v, 0, vv, 0, ins);
        tt[ins] = peakTime;
        vv[ins] = peakValue;
        System.arraycopy(t, ins, tt, ins + 1, t.length - ins);
        System.arraycopy(v, ins, vv, ins + 1, v.length - ins);
        return new double[][] {tt, vv};
    }

    private static void sites(Markup m, LoggedRun lr, ResmonReport rep, int top) {
        m.el("h3", (rep.exit() ? "Exit report" : "Last on-demand report") + " (lines " + rep.start().line() + ".."
                + rep.endLine() + (rep.complete() ? "" : ", cut off") + "): "
                + LoggedRun.plural(rep.resourcesListed(), "resource") + " listed"
                + (rep.memoryTotal() == null ? "" : ", memory usage " + Figures.count(rep.memoryTotal()) + " bytes"));
        List<AttributedSite<CallSite>> sites = lr.sites();
        if (sites.isEmpty()) {
            return;
        }
        m.open("table", "class", "data sites", "data-run", Integer.toString(lr.run().index()));
        m.open("thead").open("tr").el("th", "count", "class", "num").el("th", "bytes", "class", "num")
                .el("th", "kind").el("th", "call site (in " + Figures.cut(lr.run().module(), 40) + ")")
                .el("th", "types")
                .close("tr").close("thead");
        m.open("tbody");
        int shown = 0;
        for (AttributedSite<CallSite> s : sites) {
            if (top > 0 && shown++ == top) {
                break;
            }
            m.open("tr");
            m.el("td", Figures.count(s.count()), "class", "num", "data-sort", Long.toString(s.count()));
            m.el("td", s.bytes() == 0 ? "" : Figures.count(s.bytes()), "class", "num", "data-sort",
                    Long.toString(s.bytes()));
            m.el("td", s.kind().label());
            m.open("td", "class", "site", "data-sort", lr.describe(s.site()));
            m.open("details").el("summary", lr.describe(s.site()));
            int folded = s.attribution() == null ? 0 : s.attribution().folded().size();
            for (int i = 0; i < s.stacks().size() && i < 10; i++) {
                if (s.stacks().size() > 1) {
                    CallSite member = s.members().get(i);
                    m.el("div", "stack " + (i + 1) + " of " + s.stacks().size() + ": "
                            + Figures.count(member.count()) + " records, " + Figures.bytes(member.bytes()),
                            "class", "sub");
                }
                Stacks.list(m, s.stacks().get(i), lr::describe, folded);
            }
            m.close("details").close("td");
            m.el("td", String.join(", ", lr.typeNames(s)));
            m.close("tr");
        }
        m.close("tbody").close("table");
    }

    private static void histogram(Markup m, ResmonReport rep) {
        if (rep.histogram().isEmpty()) {
            return;
        }
        BarChart c = new BarChart("allocation sizes since start (resmon's allocations detail)", Figures::count);
        for (HistogramBucket b : rep.histogram()) {
            String label = Figures.bytes(b.lower()) + " \u2013 " + Figures.bytes(b.upper());
            c.bar(new BarChart.Bar(label, b.count(), "hist", String.format(Locale.ROOT, "%,d allocations of %,d to %,d"
                    + " bytes", b.count(), b.lower(), b.upper())));
        }
        m.add(c.svg());
    }

    private static void warnings(Markup m, List<String> warnings) {
        if (warnings.isEmpty()) {
            return;
        }
        m.el("h2", "Warnings (" + warnings.size() + ")");
        m.open("ul", "class", "warnings mono");
        for (int i = 0; i < warnings.size() && i < 200; i++) {
            m.el("li", warnings.get(i));
        }
        m.close("ul");
        if (warnings.size() > 200) {
            m.el("p", (warnings.size() - 200) + " more (all of them in --json)", "class", "sub");
        }
    }
}
