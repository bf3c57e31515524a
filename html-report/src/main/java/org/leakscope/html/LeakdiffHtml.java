package org.leakscope.html;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.leakscope.analysis.LeakdiffReport;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.diff.Comparison;
import org.leakscope.diff.SortOrder;
import org.leakscope.diff.StackChange;
import org.leakscope.diff.StackTrend;
import org.leakscope.diff.TrendReport;
import org.leakscope.model.Backtrace;
import org.leakscope.model.Frame;

/**
 * leakdiff's HTML report: a comparison's changed stacks as a bar chart of their deltas and a table whose rows
 * open to the whole stack; a trend's stacks as one line each over the snapshots (bytes and allocations), the
 * sustained growers highlighted, each snapshot's figures on hover.
 */
public final class LeakdiffHtml {
    /** Bars and trend lines drawn (the largest changes); the table lists every shown stack. */
    static final int MAX_DRAWN = 40;

    private LeakdiffHtml() {
    }

    /**
     * Writes the page.
     *
     * @param report the comparison, trend or re-read compare output, as analysis made it
     * @param sort   what the stacks are ranked by (bytes or allocations)
     */
    public static void write(LeakdiffReport report, SortOrder sort, Writer w) throws IOException {
        page(report, sort).writeTo(w);
    }

    static Page page(LeakdiffReport report, SortOrder sort) {
        List<String> names = report.inputs().stream().map(SnapshotInput::path).toList();
        Page page = new Page("Leakscope leakdiff: " + String.join(", ", names.stream()
                .map(n -> String.valueOf(Path.of(n).getFileName())).toList()));
        Markup m = page.body();
        m.el("h1", "Leakscope leakdiff");
        // a trend can have dozens of inputs: listed folded, first and last named
        m.open("details", "class", "inputs", "open", names.size() <= 4 ? "" : null);
        m.el("summary", names.size() + " inputs: " + names.get(0) + (names.size() > 1 ? " \u2026 "
                + names.get(names.size() - 1) : ""), "class", "mono");
        m.open("ol", "class", "sub mono");
        names.forEach(n -> m.el("li", n));
        m.close("ol").close("details");
        m.el("p", "stacks matched by " + report.key().cliName() + (report.folded() ? ", allocator frames folded" : ""),
                "class", "sub");
        page.datum("command", "leakdiff").datum("inputs", String.join("\n", names));
        if (report instanceof LeakdiffReport.Trend t) {
            page.datum("kind", "trend").datum("stacks", t.shown().size());
            trend(m, t.trend(), t.shown(), names);
        } else if (report instanceof LeakdiffReport.Compare c) {
            page.datum("kind", "compare").datum("stacks", c.shown().size());
            compare(m, c.comparison(), c.shown(), sort);
        } else if (report instanceof LeakdiffReport.Rerender r) {
            page.datum("kind", "rerender").datum("stacks", r.shown().size());
            compare(m, r.comparison(), r.shown(), sort);
        }
        Stacks.symbolSources(m, report.symbols());
        if (!report.warnings().isEmpty()) {
            m.el("h2", "Warnings (" + report.warnings().size() + ")");
            m.open("ul", "class", "warnings mono");
            report.warnings().stream().limit(200).forEach(s -> m.el("li", s));
            m.close("ul");
        }
        m.el("footer", "Written by Leakscope leakdiff.");
        return page;
    }

    /** The frame a stack is known by: the first below the folded allocator frames, else its trace id. */
    static String name(Backtrace b, int folded) {
        List<Frame> f = b.frames();
        if (f.isEmpty()) {
            return "trace " + b.traceId();
        }
        return f.get(Math.min(folded, f.size() - 1)).describe();
    }

    private static void compare(Markup m, Comparison c, List<StackChange> shown, SortOrder sort) {
        boolean byCount = sort == SortOrder.COUNT;
        m.el("p", "total " + Figures.bytes(c.oldBytes()) + " \u2192 " + Figures.bytes(c.newBytes()) + " ("
                + (c.bytesDelta() >= 0 ? "+" : "") + Figures.bytes(c.bytesDelta()) + "), allocations "
                + Figures.count(c.oldCount()) + " \u2192 " + Figures.count(c.newCount()) + "; "
                + shown.size() + " stacks shown, " + c.unchanged() + " unchanged", "class", "summary");
        List<StackChange> drawn = new ArrayList<>(shown);
        drawn.sort(Comparator.comparingLong((StackChange s) -> -Math.abs(byCount ? s.countDelta() : s.bytesDelta())));
        BarChart bars = new BarChart((byCount ? "allocation" : "byte") + " change per stack (the " + Math.min(MAX_DRAWN,
                drawn.size()) + " largest)", byCount ? v -> (v >= 0 ? "+" : "") + Figures.count(v)
                : v -> (v >= 0 ? "+" : "") + Figures.bytes(v));
        for (StackChange s : drawn.subList(0, Math.min(MAX_DRAWN, drawn.size()))) {
            long d = byCount ? s.countDelta() : s.bytesDelta();
            bars.bar(new BarChart.Bar(name(s.backtrace(), s.foldedFrames()), d, d > 0 ? "grow" : null,
                    name(s.backtrace(), s.foldedFrames()) + ": " + Figures.count(s.oldBytes()) + " \u2192 "
                            + Figures.count(s.newBytes()) + " bytes, " + Figures.count(s.oldCount()) + " \u2192 "
                            + Figures.count(s.newCount()) + " allocations"));
        }
        if (bars.size() > 0) {
            m.add(bars.svg());
        }
        m.open("table", "class", "data changes");
        m.open("thead").open("tr");
        for (String h : List.of("bytes change", "old bytes", "new bytes", "allocations change", "old", "new")) {
            m.el("th", h, "class", "num");
        }
        m.el("th", "stack").close("tr").close("thead").open("tbody");
        for (StackChange s : shown) {
            m.open("tr");
            num(m, s.bytesDelta(), true);
            num(m, s.oldBytes(), false);
            num(m, s.newBytes(), false);
            num(m, s.countDelta(), true);
            num(m, s.oldCount(), false);
            num(m, s.newCount(), false);
            stack(m, s.backtrace(), s.foldedFrames());
            m.close("tr");
        }
        m.close("tbody").close("table");
    }

    private static void num(Markup m, long v, boolean signed) {
        m.el("td", (signed && v > 0 ? "+" : "") + Figures.count(v), "class", "num", "data-sort", Long.toString(v));
    }

    private static void stack(Markup m, Backtrace b, int folded) {
        m.open("td", "class", "site", "data-sort", name(b, folded));
        m.open("details").el("summary", name(b, folded) + "  (trace " + b.traceId() + ")");
        Stacks.list(m, b.frames(), Frame::describe, folded);
        m.close("details").close("td");
    }

    private static void trend(Markup m, TrendReport t, List<StackTrend> shown, List<String> names) {
        int n = t.totalBytes().length;
        double[] x = new double[n];
        String[] labels = new String[n];
        List<Instant> times = t.times();
        for (int i = 0; i < n; i++) {
            x[i] = t.perHour() ? (times.get(i).toEpochMilli() - times.get(0).toEpochMilli()) / 1000.0 : i + 1;
            labels[i] = "snapshot " + (i + 1) + (i < names.size() ? " (" + Path.of(names.get(i)).getFileName() + ")"
                    : "") + (t.perHour() ? " at " + times.get(i) : "");
        }
        long sustained = shown.stream().filter(StackTrend::sustained).count();
        m.el("p", n + " snapshots; " + shown.size() + " stacks shown, " + sustained + " growing steadily (highlighted)",
                "class", "summary");
        java.util.function.DoubleFunction<String> xLabel = t.perHour() ? Figures::duration
                : v -> v == Math.rint(v) ? "#" + (long) v : "";
        LineChart total = new LineChart("all stacks: bytes", xLabel, Figures::bytes).binaryTicks();
        total.series(new LineChart.Series("total bytes", "s0", x, toDouble(t.totalBytes()), true,
                titles(labels, t.totalBytes(), t.totalCounts())));
        m.add(total.svg());
        List<StackTrend> drawn = new ArrayList<>(shown.subList(0, Math.min(MAX_DRAWN, shown.size())));
        drawn.sort(Comparator.comparing(StackTrend::sustained)); // growers drawn last, on top
        LineChart bytes = new LineChart("bytes per stack (red: growing steadily)", xLabel, Figures::bytes)
                .binaryTicks();
        LineChart counts = new LineChart("allocations per stack (red: growing steadily)", xLabel, Figures::count);
        for (StackTrend s : drawn) {
            String name = name(s.backtrace(), s.foldedFrames());
            String[] tips = titles(labels, s.bytes(), s.counts());
            for (int i = 0; i < tips.length; i++) {
                tips[i] = name + "\n" + tips[i];
            }
            String css = s.sustained() ? "grower" : "flat";
            bytes.series(new LineChart.Series(name, css, x, toDouble(s.bytes()), false, tips));
            counts.series(new LineChart.Series(name, css, x, toDouble(s.counts()), false, tips));
        }
        m.add(bytes.svg()).add(counts.svg());
        m.open("table", "class", "data trends");
        m.open("thead").open("tr").el("th", "steady growth");
        for (String h : List.of("bytes " + (t.perHour() ? "per hour" : "per snapshot"), "first bytes", "last bytes",
                "allocations change", "rising steps")) {
            m.el("th", h, "class", "num");
        }
        m.el("th", "stack").close("tr").close("thead").open("tbody");
        for (StackTrend s : shown) {
            m.open("tr", "class", s.sustained() ? "grower" : null);
            m.el("td", s.sustained() ? "yes" : "no");
            m.el("td", Figures.count(Math.round(s.bytesPerUnit())), "class", "num", "data-sort",
                    Double.toString(s.bytesPerUnit()));
            num(m, s.firstBytes(), false);
            num(m, s.lastBytes(), false);
            num(m, s.countDelta(), true);
            m.el("td", s.risingSteps() + " of " + (n - 1), "class", "num", "data-sort",
                    Integer.toString(s.risingSteps()));
            stack(m, s.backtrace(), s.foldedFrames());
            m.close("tr");
        }
        m.close("tbody").close("table");
    }

    private static String[] titles(String[] labels, long[] bytes, long[] counts) {
        String[] out = new String[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i] + ": " + Figures.count(bytes[i]) + " bytes (" + Figures.bytes(bytes[i]) + "), "
                    + Figures.count(counts[i]) + " allocations";
        }
        return out;
    }

    private static double[] toDouble(long[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
