package org.leakscope.cli.text;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.InlinedCall;

/**
 * Frames with inlined calls in text, the way Breakpad, lldb and {@code addr2line -i} list them: each inlined call
 * gets a line of its own, innermost first, marked {@code (inlined)}, and the real function's frame follows. A frame
 * is printed as a group of lines; whatever else a row carries (counts, thread ids) goes on the group's first line,
 * the innermost one, where the code at the address is.
 */
public final class InlineText {
    /** What marks an inlined call's line. */
    public static final String MARK = "(inlined)";

    private InlineText() {
    }

    /** {@code  [dir/file.c : 42]}, or "" without a file. */
    public static String source(String file, Integer line) {
        return file == null ? "" : " [" + file + " : " + line + "]";
    }

    /** {@code  [file.c : 42]}: the file without its directory, for a table cell (the JSON has the whole path). */
    public static String shortSource(String file, Integer line) {
        if (file == null) {
            return "";
        }
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        return source(file.substring(slash + 1), line);
    }

    /** {@code wrap_alloc [x.c : 5] (inlined)}, with the file's directory or without. */
    public static String line(InlinedCall c, boolean wholePath) {
        String name = c.function() == null ? "(unnamed inlined code)" : c.function();
        String src = wholePath ? source(c.sourceFile(), c.sourceLine()) : shortSource(c.sourceFile(), c.sourceLine());
        return name + src + " " + MARK;
    }

    /**
     * A line of a frame group within {@code max} columns: {@link Fit#frame} for the frame, the same for an inlined
     * call's name and source with the mark kept whole.
     */
    public static String fit(String line, int max) {
        String mark = " " + MARK;
        if (line.endsWith(mark)) {
            return Fit.frame(line.substring(0, line.length() - mark.length()), Math.max(max - mark.length(), 1)) + mark;
        }
        return Fit.frame(line, max);
    }

    /**
     * A frame in {@code max} columns where its source matters less than its name (a caller column): as
     * {@link Fit#frame} shortens it, or, when that would cut into the name, without its {@code [file : line]}.
     */
    public static String fitOrDropSource(String frame, int max) {
        String fitted = Fit.frame(frame, max);
        int open = frame.lastIndexOf(" [");
        if (fitted.equals(frame) || open <= 0 || !frame.endsWith("]")
                || Fit.columns(Fit.frame(frame.substring(0, open), max)) + Fit.columns(shortSource(frame)) <= max) {
            return fitted;
        }
        return Fit.frame(frame.substring(0, open), max);
    }

    private static String shortSource(String frame) {
        String source = frame.substring(frame.lastIndexOf(" [") + 2, frame.length() - 1);
        int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
        return " [" + source.substring(slash + 1) + "]";
    }

    /** The lines of a frame: its inlined calls' (innermost first), then {@code frame} itself. */
    public static List<String> group(String frame, List<InlinedCall> inlined, boolean wholePath) {
        if (inlined.isEmpty()) {
            return List.of(frame);
        }
        List<String> out = new ArrayList<>(inlined.size() + 1);
        for (InlinedCall c : inlined) {
            out.add(line(c, wholePath));
        }
        out.add(frame);
        return out;
    }
}
