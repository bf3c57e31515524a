package org.leakscope.cli.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Text for a 120-column terminal: long names and paths lose their middle (where the least telling part of a
 * path or a C++ name usually is) to a {@code …}, and sentences wrap at spaces. JSON keeps the full values.
 */
public final class TextFit {
    public static final int WIDTH = 120;
    private static final String ELLIPSIS = "…";

    private TextFit() {
    }

    /**
     * {@code s} if it has at most {@code max} characters, else its start and end around a {@code …}. The
     * {@code …} is counted as the three bytes it takes in UTF-8, so that a byte-counting check ({@code awk
     * 'length > 120'} with mawk) agrees that an ASCII line fits.
     */
    public static String middle(String s, int max) {
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
     * {@code text} as lines of at most {@link #WIDTH} characters: the first starts with {@code first}, the
     * rest with {@code rest} (a hanging indent). Breaks at spaces; a word longer than a line loses its middle.
     */
    public static List<String> wrap(String text, String first, String rest) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        int lineStart = first.length();
        for (String word : text.split(" ")) {
            String prefix = lines.isEmpty() ? first : rest;
            int room = WIDTH - prefix.length();
            String w = middle(word, room);
            boolean empty = line.length() == lineStart;
            if (!empty && length(line) + 1 + length(w) > WIDTH) {
                lines.add(line.toString());
                line = new StringBuilder(rest);
                lineStart = rest.length();
                w = middle(word, WIDTH - rest.length());
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

    private static int length(CharSequence s) {
        return Character.codePointCount(s, 0, s.length());
    }
}
