package org.leakscope.html;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * A horizontal bar chart as inline SVG: one labelled bar per row (a histogram bucket, a stack's growth), from
 * a zero line so that decreases point left. The browser test counts its {@code rect.bar}s.
 */
final class BarChart {
    private static final int W = 880;
    private static final int ROW = 18;
    private static final int LABEL = 330;
    private static final int VALUE = 90;

    /** A bar; {@code tooltip} is shown on hover. */
    record Bar(String label, double value, String css, String tooltip) {
    }

    private final String title;
    private final DoubleFunction<String> format;
    private final List<Bar> bars = new ArrayList<>();

    BarChart(String title, DoubleFunction<String> format) {
        this.title = title;
        this.format = format;
    }

    BarChart bar(Bar b) {
        bars.add(b);
        return this;
    }

    int size() {
        return bars.size();
    }

    Markup svg() {
        double lo = 0;
        double hi = 0;
        for (Bar b : bars) {
            lo = Math.min(lo, b.value());
            hi = Math.max(hi, b.value());
        }
        if (hi == lo) {
            hi = lo + 1;
        }
        int h = 28 + bars.size() * ROW + 8;
        LineChart.Scale sx = new LineChart.Scale(lo, hi, LABEL + 8, W - VALUE);
        Markup m = new Markup();
        m.open("svg", "class", "chart bar-chart", "viewBox", "0 0 " + W + " " + h, "width", Integer.toString(W),
                "height", Integer.toString(h), "role", "img", "aria-label", title,
                "xmlns", "http://www.w3.org/2000/svg");
        m.el("title", title);
        m.el("text", Figures.cut(title, 120), "class", "chart-title", "x", "4", "y", "16");
        double zero = sx.at(0);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double y = 28 + i * ROW;
            double x = sx.at(b.value());
            String label = Figures.cut(b.label(), 54);
            m.el("text", label, "class", "bar-label", "x", Integer.toString(LABEL), "y", Markup.num(y + 12),
                    "text-anchor", "end");
            m.open("rect", "class", "bar " + (b.css() == null ? "" : b.css()) + (b.value() < 0 ? " neg" : ""),
                    "x", Markup.num(Math.min(x, zero)), "y", Markup.num(y + 2),
                    "width", Markup.num(Math.max(1, Math.abs(x - zero))), "height", Integer.toString(ROW - 4));
            m.el("title", b.tooltip()).close("rect");
            m.el("text", format.apply(b.value()), "class", "bar-value", "x", Markup.num(Math.max(x, zero) + 4),
                    "y", Markup.num(y + 12));
        }
        m.empty("line", "class", "frame", "x1", Markup.num(zero), "x2", Markup.num(zero), "y1", "26",
                "y2", Integer.toString(h - 6));
        return m.close("svg");
    }
}
