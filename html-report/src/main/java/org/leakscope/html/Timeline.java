package org.leakscope.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.leakscope.analysis.LoggedRun;
import org.leakscope.resmon.ResmonRun;

/**
 * All runs of the logs on one time axis: a lane per program or driver, a bar per run from its first to its last
 * line, coloured by verdict and linked to the run's section. Logs without times use line numbers as the axis.
 */
final class Timeline {
    private static final int W = 880;
    private static final int LANE = 22;
    private static final int LABEL = 240;

    private Timeline() {
    }

    static Markup of(List<LoggedRun> runs) {
        boolean timed = runs.stream().allMatch(r -> !Double.isNaN(r.run().start().seconds())
                && !Double.isNaN(r.run().end().seconds()));
        Map<String, List<LoggedRun>> lanes = new LinkedHashMap<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (LoggedRun r : runs) {
            String lane = r.file() + "\u0000" + r.run().module() + (r.run().kernel() ? " (kernel)" : "");
            lanes.computeIfAbsent(lane, k -> new ArrayList<>()).add(r);
            lo = Math.min(lo, start(r.run(), timed));
            hi = Math.max(hi, end(r.run(), timed));
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        int h = 34 + lanes.size() * LANE + 22;
        LineChart.Scale sx = new LineChart.Scale(lo, hi, LABEL + 6, W - 12);
        Markup m = new Markup();
        m.open("svg", "class", "chart timeline", "viewBox", "0 0 " + W + " " + h, "width", Integer.toString(W),
                "height", Integer.toString(h), "role", "img", "aria-label", "runs over time",
                "xmlns", "http://www.w3.org/2000/svg");
        m.el("title", "runs over time, coloured by verdict: red leaked, orange over-limit, green clean, grey"
                + " incomplete");
        m.el("text", timed ? "runs over time, coloured by verdict" : "runs by log line (the log has no times)",
                "class", "chart-title", "x", "4", "y", "16");
        int lane = 0;
        boolean manyFiles = runs.stream().map(LoggedRun::file).distinct().count() > 1;
        for (Map.Entry<String, List<LoggedRun>> e : lanes.entrySet()) {
            double y = 30 + lane * LANE;
            String name = e.getKey().substring(e.getKey().indexOf('\u0000') + 1);
            if (manyFiles) {
                name = java.nio.file.Path.of(e.getValue().get(0).file()).getFileName() + ": " + name;
            }
            String shown = name.length() > 38 ? "\u2026" + name.substring(name.length() - 37) : name;
            m.el("text", shown, "class", "lane", "x", Integer.toString(LABEL), "y", Markup.num(y + 14),
                    "text-anchor", "end");
            for (LoggedRun r : e.getValue()) {
                double x0 = sx.at(start(r.run(), timed));
                double x1 = sx.at(end(r.run(), timed));
                m.open("a", "href", "#run-" + r.run().index());
                m.open("rect", "class", "run " + r.health().verdict().word(), "x", Markup.num(x0), "y",
                        Markup.num(y + 3), "width", Markup.num(Math.max(2, x1 - x0)), "height",
                        Integer.toString(LANE - 6));
                m.el("title", "Run " + r.run().index() + ": " + r.run().label() + ", " + r.health().verdict().word()
                        + ", " + r.run().start().label() + " .. " + r.run().end().label()).close("rect");
                m.close("a");
            }
            lane++;
        }
        double axisY = 30 + lanes.size() * LANE + 4;
        for (double x : Ticks.nice(lo, hi, 6)) {
            if (x < lo || x > hi) {
                continue;
            }
            m.el("text", timed ? Figures.duration(x - lo) : "line " + Figures.count(x), "class", "tick x", "x",
                    Markup.num(sx.at(x)), "y", Markup.num(axisY + 12));
        }
        return m.close("svg");
    }

    private static double start(ResmonRun r, boolean timed) {
        return timed ? r.start().seconds() : r.start().line();
    }

    private static double end(ResmonRun r, boolean timed) {
        return timed ? r.end().seconds() : r.end().line();
    }
}
