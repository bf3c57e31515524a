package org.leakscope.cli.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps text within a 120-column terminal: long names lose their middle to an ellipsis (the ends say the most:
 * the drive or root and the file name), long free text wraps. A line's {@link #width} is counted in UTF-8 bytes,
 * which for ASCII is the column count and for anything else (the ellipsis included) errs on the short side, so
 * byte-counting tools (mawk, {@code cut -b}) agree that a line fits; alignment uses {@link #columns}.
 */
public final class Fit {
    /** The widest line the text renderers print. */
    public static final int WIDTH = 120;

    private static final String ELLIPSIS = "…";

    private Fit() {
    }

    /** Bytes the text takes in UTF-8. */
    public static int width(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /** Terminal columns: code points (a truncated cell keeps its alignment). */
    public static int columns(String s) {
        return s.codePointCount(0, s.length());
    }

    /** {@code C:\Program Files\…\bin\app.dll}: at most {@code max} columns, keeping both ends. */
    public static String middle(String s, int max) {
        int[] cps = s.codePoints().toArray();
        if (cps.length <= max) {
            return s;
        }
        if (max <= 1) {
            return ELLIPSIS;
        }
        // The end (the file name) gets the odd column.
        int tail = max / 2;
        int head = max - 1 - tail;
        return new String(cps, 0, head) + ELLIPSIS + new String(cps, cps.length - tail, tail);
    }

    /**
     * {@code s}, or its start and end around a {@code …}, within {@code max} bytes of UTF-8 when {@code s} is
     * ASCII (the {@code …} counts as its 3 bytes): for lines that byte-counting tools check ({@code awk 'length >
     * 120'} with mawk). Tables use {@link #middle}, which counts columns and lets the table measure bytes.
     */
    public static String middleInBytes(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) {
            return s;
        }
        if (max <= 3) {
            return ELLIPSIS;
        }
        int[] cps = s.codePoints().toArray();
        int keep = max - 3;
        int head = (keep + 1) / 2;
        int tail = keep - head;
        return new String(cps, 0, head) + ELLIPSIS + new String(cps, cps.length - tail, tail);
    }

    /**
     * {@code text} as lines of at most {@link #WIDTH} characters: the first starts with {@code first}, the rest
     * with {@code rest} (a hanging indent). Breaks at spaces; a word longer than a line loses its middle.
     */
    public static List<String> wrap(String text, String first, String rest) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        int lineStart = first.length();
        for (String word : text.split(" ")) {
            String prefix = lines.isEmpty() ? first : rest;
            String w = middleInBytes(word, WIDTH - prefix.length());
            boolean empty = line.length() == lineStart;
            if (!empty && line.codePointCount(0, line.length()) + 1 + columns(w) > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(rest);
                lineStart = rest.length();
                w = middleInBytes(word, WIDTH - rest.length());
                empty = true;
            }
            if (!empty) {
                line.append(' ');
            }
            line.append(w);
        }
        lines.add(line.toString());
        return lines;
    }

    /**
     * Breaks text into lines of at most {@code width}, at spaces where it can; a word longer than a line is cut
     * across lines, so nothing is lost.
     */
    public static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ", -1)) {
            String w = word;
            int need = line.length() == 0 ? width(w) : width(line.toString()) + 1 + width(w);
            if (need <= width) {
                if (line.length() > 0) {
                    line.append(' ');
                }
                line.append(w);
                continue;
            }
            if (line.length() > 0) {
                lines.add(line.toString());
                line.setLength(0);
            }
            while (width(w) > width) {
                int cut = prefixFitting(w, width);
                lines.add(w.substring(0, cut));
                w = w.substring(cut);
            }
            line.append(w);
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * Appends {@code label} (padded to the indent) and the text, wrapped so every line fits {@link #WIDTH};
     * continuation lines are indented under the text. Newlines in the text start new lines.
     */
    public static void field(StringBuilder out, String label, int indent, String text) {
        String pad = " ".repeat(indent);
        boolean first = true;
        for (String paragraph : text.split("\n", -1)) {
            for (String line : wrap(paragraph, WIDTH - indent)) {
                out.append(first ? (label + pad).substring(0, indent) : pad).append(line).append('\n');
                first = false;
            }
        }
    }

    /**
     * Where to cut a word too long for a line: after the last separator ({@code | , ; / \}) in the second half of
     * what fits, so flag lists and paths break between their parts; else where the line is full.
     */
    private static int prefixFitting(String s, int width) {
        int used = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int w = width(new String(Character.toChars(cp)));
            if (used + w > width) {
                break;
            }
            used += w;
            i += Character.charCount(cp);
        }
        for (int j = i; j > i / 2; j--) {
            if ("|,;/\\".indexOf(s.charAt(j - 1)) >= 0) {
                return j;
            }
        }
        return Math.max(i, 1);
    }

    /**
     * A frame ({@code module!function(args)+0x1f [c:\src\file.cpp : 88]}) within {@code max} columns, giving up
     * the least telling parts first: the source file's directory, the argument lists, the module (the address
     * says it), then its middle.
     */
    public static String frame(String frame, int max) {
        String s = frame;
        int open = s.lastIndexOf(" [");
        if (columns(s) > max && open > 0 && s.endsWith("]")) {
            String source = s.substring(open + 2, s.length() - 1);
            int slash = Math.max(source.lastIndexOf('\\'), source.lastIndexOf('/'));
            s = s.substring(0, open) + " [" + source.substring(slash + 1) + "]";
        }
        if (columns(s) > max) {
            s = withoutArguments(s);
        }
        int bang = s.indexOf('!');
        if (columns(s) > max && bang > 0) {
            s = s.substring(bang + 1);
        }
        return middle(s, max);
    }

    /** {@code LeakyCache::Insert(Key const&, Value&&)+0xba} → {@code LeakyCache::Insert(…)+0xba}. */
    private static String withoutArguments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                if (depth++ == 0) {
                    // An empty list says the function takes nothing: keep it "()".
                    out.append(i + 1 < s.length() && s.charAt(i + 1) == ')' ? "(" : "(…");
                }
            } else if (c == ')' && depth > 0) {
                if (--depth == 0) {
                    out.append(')');
                }
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return depth == 0 ? out.toString() : s;
    }
}
