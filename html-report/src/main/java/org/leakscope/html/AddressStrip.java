package org.leakscope.html;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.leakscope.minidump.MemoryRegion;

/**
 * The address space as a strip read like text, left to right and row by row: runs of neighbouring regions of one
 * kind (free, reserved, and committed memory by type: image, mapped, private), in address order, each as wide as
 * the logarithm of its size (a 64-bit space drawn to scale would be one free block with specks), so every run is
 * visible and a larger one is always wider. The largest free regions are outlined and labelled with their sizes,
 * so "the largest free block is 256 MiB" is visible at a glance; every run's addresses are in its tooltip.
 */
final class AddressStrip {
    private static final int W = 880;
    private static final int LEFT = 150;
    private static final int ROW = 26;
    private static final int MAX_ROWS = 10;
    /** Free regions labelled. */
    static final int LABELLED = 5;

    private AddressStrip() {
    }

    /** A run of neighbouring regions of one kind. */
    private record Run(String kind, long base, long end, int regions, int index) {
        double width() {
            return 6 + 4 * Math.log(Math.max(4096.0, (double) end - base) / 4096) / Math.log(2);
        }
    }

    /** The drawing class of a region: free, reserved, image, mapped, private, or other. */
    static String kind(MemoryRegion r) {
        String s = r.state() == null ? "" : r.state().toLowerCase(Locale.ROOT);
        if (s.contains("free")) {
            return "free";
        }
        if (s.contains("reserve")) {
            return "reserved";
        }
        String t = r.type() == null ? "" : r.type().toLowerCase(Locale.ROOT);
        return t.contains("image") ? "image" : t.contains("mapped") ? "mapped" : t.contains("private") ? "private"
                : "other";
    }

    static Markup of(List<MemoryRegion> regions, int pointerSize) {
        List<MemoryRegion> sorted = new ArrayList<>(regions);
        sorted.sort(Comparator.comparingLong(MemoryRegion::base)); // user space is below 2^63: signed order holds
        List<Run> runs = new ArrayList<>();
        int i = 0;
        while (i < sorted.size()) {
            MemoryRegion first = sorted.get(i);
            String kind = kind(first);
            long end = first.base() + first.size();
            int j = i + 1;
            while (j < sorted.size() && kind(sorted.get(j)).equals(kind) && sorted.get(j).base() == end) {
                end = sorted.get(j).base() + sorted.get(j).size();
                j++;
            }
            runs.add(new Run(kind, first.base(), end, j - i, runs.size()));
            i = j;
        }
        double total = runs.stream().mapToDouble(Run::width).sum();
        double rowWidth = W - LEFT - 8;
        int rows = (int) Math.max(1, Math.min(MAX_ROWS, Math.ceil(total / rowWidth)));
        double scale = rows * rowWidth / Math.max(1, total);
        int h = 24 + rows * ROW + 10;
        Markup m = new Markup();
        m.open("svg", "class", "chart address-map", "viewBox", "0 0 " + W + " " + h, "width", Integer.toString(W),
                "height", Integer.toString(h), "role", "img", "aria-label", "address space",
                "xmlns", "http://www.w3.org/2000/svg");
        m.el("title", "address space from MemoryInfoList: " + runs.size() + " runs of " + sorted.size()
                + " regions, widths by the logarithm of their sizes");
        m.el("text", "address space, in address order (widths grow with the logarithm of the size; hover for"
                + " addresses)", "class", "chart-title", "x", "4", "y", "16");
        List<Run> labelled = runs.stream().filter(r -> r.kind().equals("free"))
                .sorted(Comparator.comparingLong((Run r) -> r.end() - r.base()).reversed()).limit(LABELLED).toList();
        Markup labels = new Markup(); // drawn last, over the neighbouring runs
        double at = 0;
        int labelRow = -1;
        for (Run r : runs) {
            double w = r.width() * scale;
            int row = (int) Math.min(rows - 1, Math.floor(at / rowWidth));
            if (row != labelRow) {
                m.el("text", Figures.hex(r.base(), pointerSize * 2), "class", "tick y mono", "x",
                        Integer.toString(LEFT - 6), "y", Markup.num(24 + row * ROW + ROW / 2.0));
                labelRow = row;
            }
            String tip = r.kind() + " " + Figures.hex(r.base(), pointerSize * 2) + " .. "
                    + Figures.hex(r.end() - 1, pointerSize * 2) + ", " + Figures.bytes(r.end() - r.base())
                    + (r.regions() > 1 ? " (" + r.regions() + " regions)" : "");
            int rank = labelled.indexOf(r);
            if (rank >= 0) {
                m.open("g", "class", "free-region");
            }
            double x0 = at;
            double left = w;
            while (left > 0.01) { // cut where it wraps into the next row
                int rr = (int) Math.min(rows - 1, Math.floor(x0 / rowWidth + 1e-9));
                double inRow = rr == rows - 1 ? left : Math.min(left, (rr + 1) * rowWidth - x0);
                m.open("rect", "class", "region " + r.kind() + (rank >= 0 ? " free-outline" : ""), "x",
                        Markup.num(LEFT + x0 - rr * rowWidth), "y", Integer.toString(24 + rr * ROW + 2), "width",
                        Markup.num(Math.max(0.6, inRow)), "height", Integer.toString(ROW - 4));
                m.el("title", tip).close("rect");
                x0 += inRow;
                left -= inRow;
            }
            if (rank >= 0) {
                String label = (rank == 0 ? "largest free " : "free ") + Figures.bytes(r.end() - r.base());
                m.close("g");
                labels.el("text", label, "class", "free-label", "x", Markup.num(Math.min(LEFT + at - row * rowWidth
                        + 3, W - 130)), "y", Markup.num(24 + row * ROW + ROW / 2.0 + 4));
            }
            at += w;
        }
        return m.add(labels).close("svg");
    }
}
