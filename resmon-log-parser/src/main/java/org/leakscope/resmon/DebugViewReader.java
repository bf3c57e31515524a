package org.leakscope.resmon;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.model.io.LineProblems;
import org.leakscope.model.io.TextLines;

/**
 * Streams a DebugView log record by record. Shapes (../shared/corpus/FORMATS.md):
 * <pre>
 * [\\FELIX-GATEWAY]                                        optional first line: the computer name
 * 00000223&lt;TAB&gt;80.28534698&lt;TAB&gt;[9528] QUIK|GetApp1|...      SEQ, elapsed seconds, user-mode message
 * 00000059&lt;TAB&gt;17:48:44&lt;TAB&gt;KDNS: Cache initialized&lt;TAB&gt;     clock time, kernel message, trailing TAB
 * notepad.exe|resmon| threads used 3, ...                 a plain capture: no SEQ/TIME columns
 * </pre>
 * A file may switch between elapsed and clock time. Only {@code [digits] } at the very start of the message
 * is a pid: kernel text often starts with brackets ({@code [Driver] ...}). Multi-line messages arrive as
 * several records sharing one time; they are returned as they are.
 */
public final class DebugViewReader implements Closeable {
    private final String source;
    private final DebugViewOptions options;
    private final TextLines lines;
    private final LineProblems problems;
    private String computer;
    private boolean framed;
    private boolean sawRecord;

    private DebugViewReader(String source, DebugViewOptions options, TextLines lines) {
        this.source = source;
        this.options = options;
        this.lines = lines;
        this.problems = new LineProblems(source, options.strict(), 1000, "a DebugView log");
    }

    public static DebugViewReader open(Path path, DebugViewOptions options) throws IOException {
        return new DebugViewReader(path.toString(), options,
                TextLines.open(path, options.limits().maxLineChars(), null));
    }

    /** The next record, or null at the end of the file. */
    public DebugViewRecord next() throws IOException {
        while (lines.next()) {
            long n = lines.number();
            if (lines.tooLong()) {
                problem(n, "a line of at most " + options.limits().maxLineChars() + " bytes", "a longer line (skipped)");
                continue;
            }
            byte[] b = lines.bytes();
            for (int i = lines.start(); i < lines.end(); i++) {
                if (b[i] == 0) {
                    throw InputFormatException.atLine(source, n, "text (a DebugView log)", "binary data (a NUL byte)");
                }
            }
            String t = lines.text(options.ansiCharset());
            if (n == 1 && t.startsWith("[\\\\") && t.endsWith("]")) {
                computer = t.substring(3, t.length() - 1);
                continue;
            }
            DebugViewRecord r = framed(t, n);
            if (r == null) {
                if (framed && !t.isBlank()) {
                    // A log with SEQ/TIME columns: a line without them is damage (or a paste from elsewhere).
                    problem(n, "SEQUENCE<TAB>TIME<TAB>MESSAGE", excerpt(t));
                    continue;
                }
                if (t.isEmpty()) {
                    continue;
                }
                r = withPid(n, null, null, null, t);
            } else {
                framed = true;
            }
            sawRecord = true;
            return r;
        }
        return null;
    }

    /** {@code SEQ<TAB>TIME<TAB>MESSAGE[<TAB>]}, or null when the line has not that shape. */
    private DebugViewRecord framed(String t, long n) {
        int tab1 = t.indexOf('\t');
        if (tab1 <= 0 || tab1 > 12 || !digits(t, 0, tab1)) {
            return null;
        }
        int tab2 = t.indexOf('\t', tab1 + 1);
        if (tab2 < 0) {
            return null;
        }
        String time = t.substring(tab1 + 1, tab2).strip();
        Double elapsed = null;
        LocalTime clock = null;
        if (isElapsed(time)) {
            elapsed = Double.parseDouble(time);
        } else {
            clock = clockTime(time);
            if (clock == null) {
                return null;
            }
        }
        String message = t.substring(tab2 + 1);
        if (message.endsWith("\t")) {
            message = message.substring(0, message.length() - 1); // copied (not saved) logs end every line with a TAB
        }
        return withPid(n, Long.parseLong(t.substring(0, tab1)), elapsed, clock, message);
    }

    private static DebugViewRecord withPid(long n, Long seq, Double elapsed, LocalTime clock, String message) {
        if (message.length() > 3 && message.charAt(0) == '[') {
            int close = message.indexOf("] ");
            if (close > 1 && close <= 11 && digits(message, 1, close)) {
                return new DebugViewRecord(n, seq, elapsed, clock, Long.parseLong(message.substring(1, close)),
                        message.substring(close + 2));
            }
        }
        return new DebugViewRecord(n, seq, elapsed, clock, null, message);
    }

    private static boolean digits(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isElapsed(String t) {
        int dot = t.indexOf('.');
        return dot > 0 && dot < t.length() - 1 && t.length() <= 24 && digits(t, 0, dot) && digits(t, dot + 1, t.length());
    }

    /** {@code HH:MM:SS}, {@code HH:MM:SS.mmm}, optionally followed by {@code AM}/{@code PM}. */
    static LocalTime clockTime(String t) {
        String s = t;
        int add = 0;
        boolean twelve = false;
        if (s.endsWith(" AM") || s.endsWith(" PM")) {
            twelve = true;
            add = s.endsWith(" PM") ? 12 : 0;
            s = s.substring(0, s.length() - 3);
        }
        String[] p = s.split(":");
        if (p.length != 3 || !digits(p[0], 0, p[0].length()) || !digits(p[1], 0, p[1].length())) {
            return null;
        }
        String[] sec = p[2].split("\\.", -1);
        if (sec.length > 2 || !digits(sec[0], 0, sec[0].length()) || sec.length == 2 && !digits(sec[1], 0, sec[1].length())) {
            return null;
        }
        int h = Integer.parseInt(p[0]);
        int m = Integer.parseInt(p[1]);
        int sc = Integer.parseInt(sec[0]);
        if (twelve) {
            if (h < 1 || h > 12) {
                return null;
            }
            h = h % 12 + add;
        }
        if (h > 23 || m > 59 || sc > 59) {
            return null;
        }
        int nanos = 0;
        if (sec.length == 2) {
            String f = (sec[1] + "000000000").substring(0, 9);
            nanos = Integer.parseInt(f);
        }
        return LocalTime.of(h, m, sc, nanos);
    }

    private void problem(long n, String expected, String found) {
        problems.line(n, expected, found);
    }

    private static String excerpt(String t) {
        String s = t.length() > 60 ? t.substring(0, 60) + "..." : t;
        return "'" + s.replace("\t", "\\t") + "'";
    }

    /** The computer name from a {@code [\\NAME]} first line, or null. */
    public String computer() {
        return computer;
    }

    /** True once a SEQ/TIME-framed line was seen (false for plain captures). */
    public boolean framed() {
        return framed;
    }

    /** True once any record was returned. */
    public boolean sawRecord() {
        return sawRecord;
    }

    public String encoding() {
        return lines.encoding();
    }

    /** Lines that could not be read, as warnings with their line numbers. */
    public List<Problem> problems() {
        return problems.list();
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
