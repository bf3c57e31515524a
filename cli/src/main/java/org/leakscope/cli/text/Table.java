package org.leakscope.cli.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * An aligned text table: columns sized to their widest cell, numbers right-aligned, two spaces apart,
 * trailing blanks trimmed. Rows are indented by two spaces under a section title. Columns marked
 * {@link #shrinkable} give up their middle (an ellipsis) when the table would be wider than {@link Fit#WIDTH}.
 */
public final class Table {
    private final String[] headers;
    private final boolean[] rightAligned;
    private final List<String[]> rows = new ArrayList<>();
    /** Shrinkable columns in the order they give up width, how narrow each may get, and how it is shortened. */
    private record Shrink(int column, int min, BiFunction<String, Integer, String> shorten) {
    }

    private final List<Shrink> shrinkOrder = new ArrayList<>();

    /** A header ending in ">" is right-aligned (the marker is not printed). */
    public Table(String... headers) {
        this.headers = new String[headers.length];
        this.rightAligned = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            rightAligned[i] = headers[i].endsWith(">");
            this.headers[i] = rightAligned[i] ? headers[i].substring(0, headers[i].length() - 1) : headers[i];
        }
    }

    public Table row(Object... cells) {
        String[] r = new String[headers.length];
        for (int i = 0; i < r.length; i++) {
            Object c = i < cells.length ? cells[i] : null;
            r[i] = c == null ? "" : c.toString();
        }
        rows.add(r);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /**
     * Lets a column (0-based) give up width, down to {@code min} columns, when the table is too wide: its cells
     * lose their middle to an ellipsis. Columns shrink in the order they were marked, each to its minimum before
     * the next one starts.
     */
    public Table shrinkable(int column, int min) {
        return shrinkable(column, min, Fit::middle);
    }

    /** The same, with a column-specific way to shorten a cell to a width (e.g. a stack frame's source path first). */
    public Table shrinkable(int column, int min, BiFunction<String, Integer, String> shorten) {
        shrinkOrder.add(new Shrink(column, min, shorten));
        return this;
    }

    public void render(StringBuilder out, String indent) {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        List<String[]> shown = fit(indent, width);
        line(out, indent, headers, width);
        for (String[] r : shown) {
            line(out, indent, r, width);
        }
    }

    /** Narrows the widest shrinkable column, one column at a time, until the widest line fits. */
    private List<String[]> fit(String indent, int[] width) {
        List<String[]> shown = rows;
        while (widest(indent, shown, width) > Fit.WIDTH) {
            int pick = -1;
            for (Shrink s : shrinkOrder) {
                if (width[s.column()] > Math.max(headers[s.column()].length(), s.min())) {
                    pick = s.column();
                    break;
                }
            }
            if (pick < 0) {
                break; // nothing left to narrow: print it wide rather than lose more
            }
            width[pick]--;
            shown = rows.stream().map(r -> {
                String[] copy = r.clone();
                for (Shrink s : shrinkOrder) {
                    copy[s.column()] = s.shorten().apply(r[s.column()], width[s.column()]);
                }
                return copy;
            }).toList();
        }
        return shown;
    }

    /** The widest rendered line, in {@link Fit#width} units (a truncated cell's ellipsis counts as 3). */
    private int widest(String indent, List<String[]> shown, int[] width) {
        int fixed = Fit.width(indent) + 2 * (width.length - 1);
        for (int w : width) {
            fixed += w;
        }
        int max = fixed;
        for (String[] r : shown) {
            int extra = 0;
            for (String c : r) {
                extra += Fit.width(c) - c.length();
            }
            max = Math.max(max, fixed + extra);
        }
        return max;
    }

    /**
     * One row, written straight into {@code out}, its trailing blanks cut: a row built apart and then appended as a
     * CharSequence was copied a char at a time (a tenth of the text report of a 1 GB DebugView log).
     */
    private void line(StringBuilder out, String indent, String[] cells, int[] width) {
        int start = out.length();
        out.append(indent);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.append("  ");
            }
            int pad = width[i] - cells[i].length();
            if (rightAligned[i]) {
                blanks(out, pad);
                out.append(cells[i]);
            } else {
                out.append(cells[i]);
                blanks(out, pad);
            }
        }
        int end = out.length();
        while (end > start && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        out.append('\n');
    }

    private static void blanks(StringBuilder out, int n) {
        for (int left = n; left > 0; left -= BLANKS.length()) { // a slice at a time, not a char
            out.append(BLANKS, 0, Math.min(left, BLANKS.length()));
        }
    }

    private static final String BLANKS = " ".repeat(128);
}
