package org.leakscope.resmon;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.function.LongConsumer;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.textio.LineProblems;
import org.leakscope.textio.Swar;
import org.leakscope.textio.TextLines;

/**
 * Streams a DebugView log record by record. Shapes (../shared/corpus/FORMATS.md):
 * <pre>
 * [\\FELIX-GATEWAY]                                        optional first line: the computer name
 * 00000223&lt;TAB&gt;80.28534698&lt;TAB&gt;[9528] QUIK|GetApp1|...      SEQ, elapsed seconds, user-mode message
 * 00000059&lt;TAB&gt;17:48:44&lt;TAB&gt;KDNS: Cache initialized&lt;TAB&gt;     clock time, kernel message, trailing TAB
 * notepad.exe|resmon| threads used 3, ...                 a plain capture: no SEQ/TIME columns
 * 12.345678&lt;TAB&gt;2026/11/30 04:05:16.123&lt;TAB&gt;2540&lt;TAB&gt;notepad.exe&lt;TAB&gt;message    a DebugView++ export
 * </pre>
 * A file may switch between elapsed and clock time. Only {@code [digits] } at the very start of the message
 * is a pid: kernel text often starts with brackets ({@code [Driver] ...}). Multi-line messages arrive as
 * several records sharing one time; they are returned as they are.
 *
 * <p>Two ways to read: {@link #next()} returns a record object; {@link #advance()} moves a cursor whose fields
 * are read in place, and decodes the message only when asked ({@link #message()}), which is what a 1 GB log
 * needs: most lines are looked at as bytes and dropped.
 */
public final class DebugViewReader implements Closeable, LinePosition {
    private static final byte[] DVPP_HEADER = "File Identification Header, DebugView++".getBytes(StandardCharsets.US_ASCII);

    private final String source;
    private final DebugViewOptions options;
    private final TextLines lines;
    private final LineProblems fileProblems;
    private final ReportBuilder.ProblemSink problems;
    /** Lines before the first line given to {@link #accept}, or -1 when not known (a chunk read ahead). */
    private final long lineBase;
    private String computer;
    private boolean framed;
    private boolean sawRecord;
    private String lastNameText;
    private byte[] lastNameBytes = new byte[0];

    // the current record, in place
    private byte[] b;
    private int lineStart;
    private int lineEnd;
    private long line;
    /** The SEQ column's digits, read when asked for ({@link #sequence()}); empty when there is none. */
    private int seqStart;
    private int seqEnd;
    private double elapsed;
    private int clockMillis;
    private LocalDate date;
    private long pid;
    private int nameStart;
    private int nameEnd;
    private int msgStart;
    private int msgEnd;
    private String message;
    // SEQ/TIME lines are split at their tabs only; time and pid are parsed when first asked for, because a
    // reader looking for one program's lines drops most lines unread
    private boolean lazy;
    private int timeStart;
    private int timeEnd;

    private DebugViewReader(String source, DebugViewOptions options, TextLines lines) {
        this.source = source;
        this.options = options;
        this.lines = lines;
        this.fileProblems = new LineProblems(source, options.strict(), 1000, "a DebugView log");
        this.problems = fileProblems::line;
        this.lineBase = 0;
    }

    /**
     * A reader of one chunk of a log, fed line by line through {@link #accept}: line numbers count from the
     * chunk's start, damaged lines go to {@code problems}.
     *
     * @param lineBase lines of the file before the chunk, or -1 when not known yet (then the chunk is read as if
     *                 it were past line 1,000)
     * @param framed   whether a SEQ/TIME-framed line came before the chunk
     */
    DebugViewReader(String source, DebugViewOptions options, ReportBuilder.ProblemSink problems, long lineBase,
            boolean framed) {
        this.source = source;
        this.options = options;
        this.lines = null;
        this.fileProblems = null;
        this.problems = problems;
        this.lineBase = lineBase;
        this.framed = framed;
    }

    public static DebugViewReader open(Path path, DebugViewOptions options) throws IOException {
        return open(path, options, null);
    }

    /** @param progress told the raw bytes consumed so far, now and then; may be null */
    public static DebugViewReader open(Path path, DebugViewOptions options, LongConsumer progress) throws IOException {
        return new DebugViewReader(path.toString(), options,
                TextLines.open(path, options.limits().maxLineChars(), progress));
    }

    /** The next record, or null at the end of the file. */
    public DebugViewRecord next() throws IOException {
        if (!advance()) {
            return null;
        }
        parse();
        long sequence = sequence();
        return new DebugViewRecord(line, sequence < 0 ? null : sequence, Double.isNaN(elapsed) ? null : elapsed,
                clockMillis < 0 ? null : LocalTime.ofNanoOfDay(clockMillis * 1_000_000L), date, pid < 0 ? null : pid,
                processName(), message());
    }

    /** Moves to the next record; false at the end of the file. */
    public boolean advance() throws IOException {
        while (lines.next()) {
            if (accept(lines.bytes(), lines.start(), lines.end(), lines.number(), lines.tooLong())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads line {@code n} (its bytes {@code b[s, e)} without CR LF; {@code tooLong}: cut at the line limit) as the
     * current record; false when it is none (blank, damaged, the computer name, DebugView++'s own first line).
     */
    boolean accept(byte[] b, int s, int e, long n, boolean tooLong) {
        this.b = b;
        lineStart = s;
        lineEnd = e;
        if (tooLong) {
            problems.problem(n, "a line of at most " + options.limits().maxLineChars() + " bytes",
                    "a longer line (skipped)");
            return false;
        }
        long inFile = lineBase < 0 ? Long.MAX_VALUE : lineBase + n;
        if (inFile <= 1000) {
            noNul(b, s, e, n); // a binary file shows in its first lines; later lines are checked when read
        }
        if (inFile == 1 && e - s > 4 && b[s] == '[' && b[s + 1] == '\\' && b[s + 2] == '\\' && b[e - 1] == ']') {
            computer = TextLines.decode(b, s + 3, e - 1, options.ansiCharset());
            return false;
        }
        clear(n);
        if (framed(b, s, e) || debugViewPlusPlus(b, s, e)) {
            if (pid == 0 && Swar.startsWith(b, msgStart, msgEnd, DVPP_HEADER)) {
                return false; // DebugView++'s own first line
            }
            framed = true;
        } else {
            noNul(b, s, e, n);
            if (framed && !blank(b, s, e)) {
                // A log with SEQ/TIME columns: a line without them is damage (or a paste from elsewhere).
                problems.problem(n, "SEQUENCE<TAB>TIME<TAB>MESSAGE",
                        TextLines.excerpt(b, s, e, false, options.limits().maxLineChars(), options.ansiCharset()));
                return false;
            }
            if (s == e) {
                return false;
            }
            clear(n);
            pidPrefix(b, s, e);
        }
        sawRecord = true;
        return true;
    }

    private void noNul(byte[] b, int s, int e, long n) {
        if (hasNul(b, s, e)) {
            throw InputFormatException.atLine(source, n, "text (a DebugView log)", "binary data (a NUL byte)");
        }
    }

    /**
     * Whether b[s, e) holds a NUL byte: eight bytes a step (has-zero-byte), the last step overlapping the one
     * before rather than a byte loop for the rest, as every resmon line is checked.
     */
    static boolean hasNul(byte[] b, int s, int e) {
        if (e - s < 8) {
            for (int i = s; i < e; i++) {
                if (b[i] == 0) {
                    return true;
                }
            }
            return false;
        }
        for (int i = s; i + 8 < e; i += 8) {
            if (Swar.hasZeroByte(Swar.word(b, i))) {
                return true;
            }
        }
        return Swar.hasZeroByte(Swar.word(b, e - 8));
    }

    /** Refuses the current line if it holds a NUL byte (for callers that read a line's text). */
    public void requireText() {
        noNul(b, lineStart, lineEnd, line);
    }

    /** Refuses the current line if its bytes before {@code end} hold a NUL byte (the rest is known to be text). */
    void requireTextBefore(int end) {
        noNul(b, lineStart, end, line);
    }

    private void clear(long n) {
        line = n;
        seqStart = seqEnd = 0;
        elapsed = Double.NaN;
        clockMillis = -1;
        date = null;
        pid = -1;
        nameStart = nameEnd = 0;
        message = null;
        lazy = false;
    }

    /** Parses the current line's time and pid prefix if {@link #advance()} left them for later. */
    private void parse() {
        if (!lazy) {
            return;
        }
        lazy = false;
        if (!time(b, timeStart, timeEnd)) {
            problems.problem(line, "a time (elapsed seconds, HH:MM:SS or HH:MM:SS.mmm [AM|PM])",
                    "'" + text(timeStart, timeEnd) + "'");
        }
        pidPrefix(b, msgStart, msgEnd);
    }

    /** {@code SEQ<TAB>TIME<TAB>MESSAGE[<TAB>]} (Sysinternals DebugView). */
    private boolean framed(byte[] b, int s, int e) {
        // this runs for every line of a multi-GB log: DebugView's eight-digit SEQ is checked as one word
        int tab1 = s;
        if (e - s > 8 && b[s + 8] == '\t' && Swar.allDigits8(Swar.word(b, s))) {
            tab1 = s + 8;
        } else {
            int stop = Math.min(e, s + 13);
            while (tab1 < stop && b[tab1] >= '0' && b[tab1] <= '9') {
                tab1++;
            }
            if (tab1 == s || tab1 >= stop || b[tab1] != '\t') {
                return false;
            }
        }
        int tab2 = Swar.indexOf(b, tab1 + 1, Math.min(e, tab1 + 40), (byte) '\t');
        int t = tab1 + 1;
        while (t < tab2 && b[t] == ' ') {
            t++;
        }
        if (tab2 < 0 || t == tab2 || b[t] < '0' || b[t] > '9') {
            return false;
        }
        seqStart = s;
        seqEnd = tab1;
        int end = e;
        if (end > tab2 + 1 && b[end - 1] == '\t') {
            end--; // copied (not saved) logs end every line with a TAB
        }
        timeStart = tab1 + 1;
        timeEnd = tab2;
        msgStart = tab2 + 1;
        msgEnd = end;
        lazy = true;
        return true;
    }

    /**
     * {@code ELAPSED<TAB>YYYY/MM/DD HH:MM:SS.mmm<TAB>PID<TAB>PROCESS<TAB>MESSAGE}: DebugView++'s saved log (its
     * oldest version wrote the time as a FILETIME number, which is kept as elapsed time only).
     */
    private boolean debugViewPlusPlus(byte[] b, int s, int e) {
        int t1 = indexOf(b, s, Math.min(e, s + 24), (byte) '\t');
        if (t1 <= s || !decimal(b, s, t1)) {
            return false;
        }
        int t2 = indexOf(b, t1 + 1, Math.min(e, t1 + 40), (byte) '\t');
        int t3 = t2 < 0 ? -1 : indexOf(b, t2 + 1, Math.min(e, t2 + 12), (byte) '\t');
        int t4 = t3 < 0 ? -1 : indexOf(b, t3 + 1, e, (byte) '\t');
        if (t4 < 0 || !digits(b, t2 + 1, t3)) {
            return false;
        }
        if (!digits(b, t1 + 1, t2) && !dateTime(b, t1 + 1, t2)) {
            return false;
        }
        elapsed = parseDecimal(b, s, t1);
        pid = parseLong(b, t2 + 1, t3);
        nameStart = t3 + 1;
        nameEnd = t4;
        msgStart = t4 + 1;
        msgEnd = e;
        return true;
    }

    private boolean time(byte[] b, int s, int e) {
        while (e > s && b[e - 1] == ' ') {
            e--;
        }
        while (s < e && b[s] == ' ') {
            s++;
        }
        // elapsed seconds, DIGITS.DIGITS, in one pass
        int i = s;
        long whole = 0;
        while (i < e && i - s < 16 && b[i] >= '0' && b[i] <= '9') {
            whole = whole * 10 + (b[i++] - '0');
        }
        if (i > s && i < e - 1 && b[i] == '.') {
            long frac = 0;
            double scale = 1;
            int j = i + 1;
            long w;
            if (e - j == 8 && Swar.allDigits8(w = Swar.word(b, j))) { // DebugView writes eight decimals
                frac = Swar.digits8(w);
                scale = 1e8;
                j = e;
            }
            while (j < e && b[j] >= '0' && b[j] <= '9') {
                if (scale < 1e15) {
                    frac = frac * 10 + (b[j] - '0');
                    scale *= 10;
                }
                j++;
            }
            if (j == e) {
                elapsed = whole + frac / scale;
                return true;
            }
            return false;
        }
        int ms = clock(b, s, e);
        if (ms < 0) {
            return false;
        }
        clockMillis = ms;
        return true;
    }

    /** {@code H:MM:SS}, {@code H:MM:SS.mmm}, optionally followed by {@code AM}/{@code PM}; ms of day or -1. */
    static int clock(byte[] b, int s, int e) {
        int add = -1;
        if (e - s > 3 && b[e - 3] == ' ' && b[e - 1] == 'M' && (b[e - 2] == 'A' || b[e - 2] == 'P')) {
            add = b[e - 2] == 'P' ? 12 : 0;
            e -= 3;
        }
        int c1 = indexOf(b, s, e, (byte) ':');
        int c2 = c1 < 0 ? -1 : indexOf(b, c1 + 1, e, (byte) ':');
        if (c2 < 0 || c1 - s < 1 || c1 - s > 2 || c2 - c1 != 3) {
            return -1;
        }
        int dot = indexOf(b, c2 + 1, e, (byte) '.');
        int secEnd = dot < 0 ? e : dot;
        if (secEnd - c2 != 3 || !digits(b, s, c1) || !digits(b, c1 + 1, c2) || !digits(b, c2 + 1, secEnd)
                || dot >= 0 && (!digits(b, dot + 1, e) || e - dot - 1 > 9)) {
            return -1;
        }
        int h = (int) parseLong(b, s, c1);
        int m = (int) parseLong(b, c1 + 1, c2);
        int sec = (int) parseLong(b, c2 + 1, secEnd);
        if (add >= 0) {
            if (h < 1 || h > 12) {
                return -1;
            }
            h = h % 12 + add;
        }
        if (h > 23 || m > 59 || sec > 59) {
            return -1;
        }
        int millis = 0;
        if (dot >= 0) {
            int digitsRead = 0;
            for (int i = dot + 1; i < e && digitsRead < 3; i++, digitsRead++) {
                millis = millis * 10 + (b[i] - '0');
            }
            for (; digitsRead < 3; digitsRead++) {
                millis *= 10;
            }
        }
        return ((h * 60 + m) * 60 + sec) * 1000 + millis;
    }

    /** {@code YYYY/MM/DD HH:MM:SS.mmm}: sets {@link #date} and {@link #clockMillis}. */
    private boolean dateTime(byte[] b, int s, int e) {
        if (e - s < 19 || b[s + 4] != '/' || b[s + 7] != '/' || b[s + 10] != ' ' || !digits(b, s, s + 4)
                || !digits(b, s + 5, s + 7) || !digits(b, s + 8, s + 10)) {
            return false;
        }
        int ms = clock(b, s + 11, e);
        if (ms < 0) {
            return false;
        }
        try {
            date = LocalDate.of((int) parseLong(b, s, s + 4), (int) parseLong(b, s + 5, s + 7),
                    (int) parseLong(b, s + 8, s + 10));
        } catch (java.time.DateTimeException x) {
            return false;
        }
        clockMillis = ms;
        return true;
    }

    private void pidPrefix(byte[] b, int s, int e) {
        msgStart = s;
        msgEnd = e;
        if (e - s > 3 && b[s] == '[') {
            int i = s + 1;
            long v = 0;
            int stop = Math.min(e - 1, s + 12);
            while (i < stop && b[i] >= '0' && b[i] <= '9') {
                v = v * 10 + (b[i++] - '0');
            }
            if (i > s + 1 && i < stop && b[i] == ']' && b[i + 1] == ' ') {
                pid = v;
                msgStart = i + 2;
            }
        }
    }

    private static boolean blank(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, int s, int e, byte c) {
        for (int i = s; i < e; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean digits(byte[] b, int s, int e) {
        if (s >= e) {
            return false;
        }
        for (int i = s; i < e; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /** digits '.' digits */
    private static boolean decimal(byte[] b, int s, int e) {
        int dot = indexOf(b, s, e, (byte) '.');
        return dot > s && dot < e - 1 && e - s <= 24 && digits(b, s, dot) && digits(b, dot + 1, e);
    }

    static long parseLong(byte[] b, int s, int e) {
        long v = 0;
        for (int i = s; i < e && v < Long.MAX_VALUE / 10 - 10; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    private static double parseDecimal(byte[] b, int s, int e) {
        int dot = indexOf(b, s, e, (byte) '.');
        double frac = 0;
        double scale = 1;
        for (int i = dot + 1; i < e && scale < 1e15; i++) {
            frac = frac * 10 + (b[i] - '0');
            scale *= 10;
        }
        return parseLong(b, s, dot) + frac / scale;
    }

    // ---- the current record ----

    @Override
    public long line() {
        return line;
    }

    /** DebugView's sequence number, or -1 (plain capture, DebugView++). */
    public long sequence() {
        return seqEnd > seqStart ? parseLong(b, seqStart, seqEnd) : -1;
    }

    /** Seconds since the capture started, or NaN when the line shows clock time. */
    public double elapsedSeconds() {
        parse();
        return elapsed;
    }

    /** Time of day in milliseconds, or -1 when the line shows elapsed time or none. */
    @Override
    public int clockMillis() {
        parse();
        return clockMillis;
    }

    /** The date (DebugView++ exports only), or null. */
    @Override
    public LocalDate date() {
        parse();
        return date;
    }

    /** The {@code [pid]} of a user-mode line (or DebugView++'s PID column), or -1 for kernel lines. */
    public long processId() {
        parse();
        return pid;
    }

    /** DebugView++'s process-name column, or null. */
    public String processName() {
        if (nameEnd <= nameStart) {
            return null;
        }
        int len = nameEnd - nameStart;
        if (len != lastNameBytes.length || !Swar.startsWith(b, nameStart, nameEnd, lastNameBytes)) {
            lastNameBytes = java.util.Arrays.copyOfRange(b, nameStart, nameEnd);
            lastNameText = TextLines.decode(b, nameStart, nameEnd, options.ansiCharset());
        }
        return lastNameText;
    }

    /** The line's bytes (UTF-8 or the ANSI code page); the message is {@code [messageStart, messageEnd)}. */
    public byte[] bytes() {
        return b;
    }

    public int messageStart() {
        parse();
        return msgStart;
    }

    /** Where the message starts with its {@code [pid] } prefix, if any, still on it (no parsing needed). */
    public int rawMessageStart() {
        return msgStart;
    }

    public int messageEnd() {
        return msgEnd;
    }

    /** The message as text, trailing blanks kept (resmon pads some lines). */
    public String message() {
        parse();
        if (message == null) {
            message = TextLines.decode(b, msgStart, msgEnd, options.ansiCharset());
        }
        return message;
    }

    /** Text of a part of the current line. */
    public String text(int s, int e) {
        return TextLines.decode(b, s, e, options.ansiCharset());
    }


    // ---- the whole file ----

    public String source() {
        return source;
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

    /** Lines that could not be read, as warnings with their line numbers (of a reader of a whole file). */
    public List<Problem> problems() {
        return fileProblems.list();
    }

    @Override
    public void close() throws IOException {
        if (lines != null) {
            lines.close();
        }
    }
}
