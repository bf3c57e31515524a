package org.leakscope.cli.text;

/** Text output fits a 120-column terminal: long names lose their middle, the JSON keeps them whole. */
public final class TextWidth {
    /** Columns a line of text output may take. */
    public static final int COLUMNS = 120;

    private TextWidth() {
    }

    /**
     * The text, or its start and end around {@code …} when it is longer than {@code width}. The ellipsis is
     * budgeted as 3 columns, the bytes it takes in UTF-8, so byte-counting tools (mawk's length) agree.
     */
    public static String middle(String text, int width) {
        if (text.length() <= width) {
            return text;
        }
        int keep = Math.max(2, width - 3);
        int head = (keep + 1) / 2;
        return text.substring(0, head) + "…" + text.substring(text.length() - (keep - head));
    }
}
