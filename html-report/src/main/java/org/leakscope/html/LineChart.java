package org.leakscope.html;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * A line (or area) chart as inline SVG: series over one x axis, with axes and ticks, limits drawn as step lines
 * and events marked where they happened. Each series is downsampled to at most {@link #POINTS} points (two
 * per pixel, never more than {@link Lttb#MAX_POINTS}), its extremes kept, and flat stretches drawn by their
 * ends. The browser test counts what this draws: {@code g.series} per series, {@code polyline} points,
 * {@code .limit} lines and {@code .violation} marks.
 */
final class LineChart {
    private static final int W = 880;
    private static final int H = 230;
    private static final int LEFT = 78;
    private static final int RIGHT = 16;
    private static final int TOP = 26;
    private static final int BOTTOM = 30;

    /** A series; {@code dots} draws each point as a circle whose tooltip is {@code dotTitles[i]}. */
    record Series(String name, String css, double[] t, double[] v, boolean area, String[] dotTitles) {
    }

    /** A limit in force from each {@code t[i]} on: drawn as steps. */
    record Limit(String name, double[] t, double[] v) {
    }

    /** An event at one point (a limit broken), with its tooltip. */
    record Mark(double t, double v, String title, String css) {
    }

    private final String title;
    private final DoubleFunction<String> xLabel;
    private final DoubleFunction<String> yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Limit> limits = new ArrayList<>();
    private final List<Mark> marks = new ArrayList<>();
    private double x0 = Double.NaN;
    private double x1 = Double.NaN;
    private boolean binary;

    /**
     * @param title  the chart's caption
     * @param xLabel an x value for people (a duration since start, a snapshot's name)
     * @param yLabel a y value for people (bytes, a count)
     */
    LineChart(String title, DoubleFunction<String> xLabel, DoubleFunction<String> yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    LineChart series(Series s) {
        Lttb.Points p = s.dotTitles() != null ? new Lttb.Points(s.t(), s.v())
                : withoutRepeats(Lttb.downsample(s.t(), s.v(), POINTS));
        series.add(new Series(s.name(), s.css(), p.t(), p.v(), s.area(), s.dotTitles()));
        return this;
    }

    /** Points per series: two per pixel of the plot (more draw nothing new), at most {@link Lttb#MAX_POINTS}. */
    static final int POINTS = Math.min(Lttb.MAX_POINTS, 2 * (W - LEFT - RIGHT));

    /**
     * The points without those whose value equals both neighbours' (the middle of a flat stretch): the line
     * drawn is the same, and a thread count that stays at 4 for a day costs two points instead of a thousand.
     */
    static Lttb.Points withoutRepeats(Lttb.Points p) {
        int n = p.size();
        double[] t = new double[n];
        double[] v = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || i == n - 1 || p.v()[i] != p.v()[i - 1] || p.v()[i] != p.v()[i + 1]) {
                t[k] = p.t()[i];
                v[k] = p.v()[i];
                k++;
            }
        }
        return new Lttb.Points(java.util.Arrays.copyOf(t, k), java.util.Arrays.copyOf(v, k));
    }

    LineChart limit(Limit l) {
        limits.add(l);
        return this;
    }

    LineChart mark(Mark m) {
        marks.add(m);
        return this;
    }

    /** The x range drawn (else the data's). */
    LineChart xRange(double from, double to) {
        x0 = from;
        x1 = to;
        return this;
    }

    /** The y axis in round binary sizes (bytes). */
    LineChart binaryTicks() {
        binary = true;
        return this;
    }

    boolean isEmpty() {
        return series.stream().allMatch(s -> s.t().length == 0);
    }

    Markup svg() {
        double xa = x0;
        double xb = x1;
        double ya = 0;
        double yb = 0;
        boolean anyX = !Double.isNaN(xa);
        for (Series s : series) {
            for (int i = 0; i < s.t().length; i++) {
                if (!anyX) {
                    xa = xb = s.t()[i];
                    anyX = true;
                }
                xa = Math.min(xa, s.t()[i]);
                xb = Math.max(xb, s.t()[i]);
                ya = Math.min(ya, s.v()[i]);
                yb = Math.max(yb, s.v()[i]);
            }
        }
        for (Limit l : limits) {
            for (double v : l.v()) {
                yb = Math.max(yb, v);
            }
        }
        for (Mark m : marks) {
            yb = Math.max(yb, m.v());
        }
        if (!(xb > xa)) {
            xb = xa + 1;
        }
        double[] yt = binary ? Ticks.binary(ya, yb == ya ? ya + 1 : yb, 5) : Ticks.nice(ya, yb == ya ? ya + 1 : yb, 5);
        ya = yt[0];
        yb = yt[yt.length - 1];
        Scale sx = new Scale(xa, xb, LEFT, W - RIGHT);
        Scale sy = new Scale(ya, yb, H - BOTTOM, TOP);

        Markup m = new Markup();
        m.open("svg", "class", "chart line-chart", "viewBox", "0 0 " + W + " " + H, "width", Integer.toString(W),
                "height", Integer.toString(H), "role", "img", "aria-label", title,
                "xmlns", "http://www.w3.org/2000/svg");
        m.el("title", title);
        m.el("text", Figures.cut(title, 110), "class", "chart-title", "x", Integer.toString(LEFT), "y", "16");
        m.open("g", "class", "axis");
        for (double y : yt) {
            String py = Markup.num(sy.at(y));
            m.empty("line", "class", "grid", "x1", Integer.toString(LEFT), "x2", Integer.toString(W - RIGHT),
                    "y1", py, "y2", py);
            m.el("text", yLabel.apply(y), "class", "tick y", "x", Integer.toString(LEFT - 6), "y", py);
        }
        for (double x : Ticks.nice(xa, xb, 7)) {
            if (x < xa || x > xb) {
                continue;
            }
            String px = Markup.num(sx.at(x));
            m.empty("line", "class", "tickmark", "x1", px, "x2", px, "y1", Integer.toString(H - BOTTOM),
                    "y2", Integer.toString(H - BOTTOM + 4));
            m.el("text", xLabel.apply(x), "class", "tick x", "x", px, "y", Integer.toString(H - BOTTOM + 16));
        }
        m.empty("line", "class", "frame", "x1", Integer.toString(LEFT), "x2", Integer.toString(LEFT),
                "y1", Integer.toString(TOP), "y2", Integer.toString(H - BOTTOM));
        m.empty("line", "class", "frame", "x1", Integer.toString(LEFT), "x2", Integer.toString(W - RIGHT),
                "y1", Integer.toString(H - BOTTOM), "y2", Integer.toString(H - BOTTOM));
        m.close("g");
        for (Series s : series) {
            m.open("g", "class", "series " + s.css(), "data-name", s.name());
            m.el("title", s.name());
            StringBuilder pts = new StringBuilder(s.t().length * 12);
            for (int i = 0; i < s.t().length; i++) {
                pts.append(i == 0 ? "" : " ").append(Markup.num(sx.at(s.t()[i]))).append(',')
                        .append(Markup.num(sy.at(s.v()[i])));
            }
            if (s.area() && s.t().length > 1) {
                String base = Markup.num(sy.at(Math.max(ya, 0)));
                m.empty("polygon", "class", "area", "points", Markup.num(sx.at(s.t()[0])) + "," + base + " " + pts
                        + " " + Markup.num(sx.at(s.t()[s.t().length - 1])) + "," + base);
            }
            m.empty("polyline", "class", "line", "points", pts.toString());
            if (s.dotTitles() != null) {
                for (int i = 0; i < s.t().length; i++) {
                    m.open("circle", "class", "dot", "cx", Markup.num(sx.at(s.t()[i])), "cy",
                            Markup.num(sy.at(s.v()[i])), "r", "3.5");
                    m.el("title", s.dotTitles()[i]).close("circle");
                }
            }
            m.close("g");
        }
        for (Limit l : limits) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < l.t().length; i++) {
                double px = sx.at(Math.max(xa, l.t()[i]));
                if (i > 0) {
                    pts.append(' ').append(Markup.num(px)).append(',').append(Markup.num(sy.at(l.v()[i - 1])));
                }
                pts.append(i == 0 ? "" : " ").append(Markup.num(px)).append(',').append(Markup.num(sy.at(l.v()[i])));
            }
            pts.append(' ').append(Markup.num(sx.at(xb))).append(',')
                    .append(Markup.num(sy.at(l.v()[l.v().length - 1])));
            m.open("g", "class", "limit", "data-name", l.name());
            m.el("title", l.name());
            m.empty("polyline", "class", "limit-line", "points", pts.toString());
            m.close("g");
        }
        for (Mark k : marks) {
            m.open("g", "class", k.css());
            m.open("circle", "cx", Markup.num(sx.at(k.t())), "cy", Markup.num(sy.at(k.v())), "r", "5");
            m.el("title", k.title()).close("circle");
            m.close("g");
        }
        return m.close("svg");
    }

    /** A linear map from data to pixels. */
    record Scale(double d0, double d1, double p0, double p1) {
        double at(double d) {
            return p0 + (d - d0) * (p1 - p0) / (d1 - d0);
        }
    }
}
