package org.leakscope.umdh;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.leakscope.model.Backtrace;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Frame;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.ModuleMap;
import org.leakscope.model.ResourceKind;
import org.leakscope.model.Snapshot;
import org.leakscope.model.io.TextLines;

/**
 * Streams a UMDH snapshot log into per-BackTrace aggregates. Line shapes (see docs/formats/umdh.md):
 * <pre>
 * // UMDH: version 6.1.7650.0: Logtime 2012-04-30 12:09 - Machine=HCE-C2SFLQ1 - PID=7696
 * //              400000   11D000 D:\blah\app.exe              (loaded-modules table)
 * DBGHELP: ntdll - public symbols                                (then a 9-space-indented pdb path)
 * *- - - - - - - - - - Start of data for heap @ 2E60000 - - - - - - - - - -
 * 64 bytes + 1C at 2E9FA20 by BackTrace18D0A0D0                 (one allocation, all hex)
 * \t776CDD82                                                    (its stack, the first time the trace appears)
 * 00005320 bytes in 0x14 allocations (@ 0x00000428) by: BackTrace00B53   (older per-trace summary)
 * </pre>
 * The record lines are parsed from bytes without making Strings: a 1 GB log has tens of millions of them.
 */
public final class UmdhSnapshotReader {
    private static final byte[] BYTES = Cursor.ascii("bytes");
    private static final byte[] AT = Cursor.ascii("at");
    private static final byte[] BY = Cursor.ascii("by");
    private static final byte[] IN = Cursor.ascii("in");
    private static final byte[] ALLOCATIONS = Cursor.ascii("allocations");
    private static final byte[] BACKTRACE = Cursor.ascii("BackTrace");
    private static final byte[] DBGHELP = Cursor.ascii("DBGHELP:");
    private static final byte[] REQUESTED = Cursor.ascii("REQUESTED bytes");
    private static final byte[] STACK_LEGEND = Cursor.ascii("STACK if not already dumped");
    private static final byte[] START_HEAP = Cursor.ascii("Start of data for heap");
    private static final byte[] END_HEAP = Cursor.ascii("End of data for heap");
    private static final byte[] HOGS = Cursor.ascii("Hogs");

    private final String source;
    private final UmdhOptions options;
    private final Charset ansi;
    private final Problems problems;
    private final Cursor c = new Cursor();
    private final FrameTable frames = new FrameTable();

    // per trace, indexed by trace number
    private final LongIntMap traceByKey = new LongIntMap(1 << 14);
    private final Map<String, Integer> traceByText = new HashMap<>();
    private String[] traceIds = new String[1024];
    private long[] bytes = new long[1024];
    private long[] counts = new long[1024];
    private long[] overheads = new long[1024];
    private int[] stackStart = new int[1024];
    private short[] stackLength = new short[1024];
    private int traces;
    private int[] stackFrames = new int[1 << 16];
    private int stackFrameCount;

    private int collecting = -1; // trace whose stack lines follow, or -1
    private int current = -1;    // trace of the last record, or -1
    private long currentRecordLine;
    private boolean framesCut;

    private final UmdhHeaderParser header = new UmdhHeaderParser();
    private boolean afterDbghelp;
    private int heaps;
    private long records;
    private boolean sawUmdhShape;

    private UmdhSnapshotReader(String source, UmdhOptions options) {
        this.source = source;
        this.options = options;
        this.ansi = options.ansiCharset();
        this.problems = new Problems(source, options.strict());
    }

    /** Reads a snapshot log; throws {@link InputFormatException} when it is not one or is too damaged. */
    public static UmdhSnapshotLog read(Path path, UmdhOptions options) throws IOException {
        UmdhSnapshotReader r = new UmdhSnapshotReader(path.toString(), options);
        try (TextLines lines = TextLines.open(path, options.limits().maxLineChars(), options.progress())) {
            while (lines.next()) {
                r.line(lines);
            }
            r.endStack();
            if (!r.sawUmdhShape) {
                throw InputFormatException.atLine(r.source, Math.max(1, lines.number()),
                        "a UMDH snapshot log (a '// UMDH: version' header, a heap section or an allocation record)",
                        lines.number() == 0 ? "an empty file" : "none in " + lines.number() + " lines");
            }
            return r.finish(lines.encoding());
        }
    }

    private void line(TextLines lines) {
        byte[] b = lines.bytes();
        int s = lines.start();
        int e = lines.end();
        long n = lines.number();
        if (lines.tooLong()) {
            endStack();
            problems.line(n, "a line of at most " + options.limits().maxLineChars() + " bytes", "a longer line (skipped)");
            return;
        }
        if (s == e) {
            endStack();
            return;
        }
        byte first = b[s];
        if (first == '\t') {
            stackLine(lines, b, s + 1, e, n);
            return;
        }
        if (Cursor.isHexDigit(first) && record(b, s, e, n, lines)) {
            return;
        }
        if (first == '/' && e - s >= 2 && b[s + 1] == '/') {
            endStack();
            afterDbghelp = false;
            sawUmdhShape |= header.comment(lines.text(ansi), n, source, options.limits());
            return;
        }
        c.reset(b, s, e);
        if (first == '*') {
            endStack();
            if (c.indexOf(START_HEAP, s) >= 0) {
                heaps++;
                sawUmdhShape = true;
                return;
            }
            if (c.indexOf(HOGS, s) >= 0 || c.indexOf(END_HEAP, s) >= 0) {
                sawUmdhShape = true;
                return;
            }
        }
        if (c.literal(DBGHELP)) {
            endStack();
            afterDbghelp = true;
            return;
        }
        if (c.literal(REQUESTED)) {
            endStack();
            return;
        }
        if (first == ' ') {
            c.skipBlanks();
            if (afterDbghelp || c.literal(STACK_LEGEND)) {
                afterDbghelp = false;
                return;
            }
            if (collecting >= 0 || current >= 0) {
                stackLine(lines, b, c.p, e, n); // frames indented with blanks instead of a TAB
                return;
            }
        }
        if (isBlank(b, s, e)) {
            endStack();
            return;
        }
        if (current >= 0 && collectsFrameWithoutTab(lines, b, s, e, n)) {
            return;
        }
        unknown(lines, n);
    }

    /** XP-era docs print frames without the TAB: accept a symbolic frame right after a record. */
    private boolean collectsFrameWithoutTab(TextLines lines, byte[] b, int s, int e, long n) {
        String t = TextLines.decode(b, s, e, ansi);
        Frame f = FrameText.parseSymbolic(t);
        if (f == null || f.module() == null) {
            return false;
        }
        if (collecting >= 0) {
            addFrame(frames.text(t.strip(), f), n);
        }
        return true;
    }

    private void unknown(TextLines lines, long n) {
        byte[] b = lines.bytes();
        for (int i = lines.start(); i < lines.end(); i++) {
            if (b[i] == 0) {
                throw InputFormatException.atLine(source, n, "text (a UMDH log)", "binary data (a NUL byte)");
            }
        }
        endStack();
        problems.line(n, "a UMDH snapshot line (header, heap marker, allocation record or TAB-indented frame)",
                lines.excerpt(ansi) + (lines.endedWithNewline() ? "" : " at the end of the file (truncated?)"));
    }

    private void stackLine(TextLines lines, byte[] b, int s, int e, long n) {
        if (collecting < 0) {
            if (current < 0) {
                problems.line(n, "a stack line after an allocation record", lines.excerpt(ansi));
            }
            return; // the trace's stack was already read: a repeat, skipped
        }
        int te = e;
        while (te > s && (b[te - 1] == ' ' || b[te - 1] == '\t')) {
            te--;
        }
        if (te == s) {
            endStack();
            return;
        }
        c.reset(b, s, te);
        long addr = c.hex();
        if (addr != Cursor.NONE && c.atEnd()) {
            addFrame(frames.address(addr), n);
            return;
        }
        String t = TextLines.decode(b, s, te, ansi);
        if (t.indexOf('`') > 0 && FrameText.isAddress(t)) {
            addFrame(frames.address(FrameText.parseHex(t)), n);
            return;
        }
        Frame f = FrameText.parseSymbolic(t);
        if (f == null) {
            problems.line(n, "a stack frame (hex address or module!function+offset)", lines.excerpt(ansi)
                    + (lines.endedWithNewline() ? "" : " at the end of the file (truncated?)"));
            return;
        }
        addFrame(frames.text(t, f), n);
    }

    private void addFrame(int frame, long n) {
        int len = stackFrameCount - stackStart[collecting];
        if (len >= UmdhOptions.MAX_FRAMES) {
            if (!framesCut) {
                framesCut = true;
                problems.line(n, "at most " + UmdhOptions.MAX_FRAMES + " frames per stack",
                        "more (BackTrace" + traceIds[collecting] + "; the rest ignored)");
            }
            return;
        }
        if (stackFrameCount == stackFrames.length) {
            stackFrames = Arrays.copyOf(stackFrames, stackFrames.length * 2);
        }
        stackFrames[stackFrameCount++] = frame;
    }

    private void endStack() {
        if (collecting >= 0) {
            int len = stackFrameCount - stackStart[collecting];
            stackLength[collecting] = (short) len;
            if (len == 0) {
                stackStart[collecting] = -1;
            }
            collecting = -1;
        }
    }

    /** {@code SIZE bytes + OVERHEAD at ADDRESS by BackTraceID} or the summary form; false if neither. */
    private boolean record(byte[] b, int s, int e, long n, TextLines lines) {
        Cursor c = this.c.reset(b, s, e);
        long size = c.hex();
        if (size == Cursor.NONE || c.skipBlanks() == 0 || !c.literal(BYTES) || c.skipBlanks() == 0) {
            if (c.overflow) {
                return badNumber(n, lines);
            }
            return false;
        }
        long count;
        long overhead;
        if (c.peek() == '+') {
            c.p++;
            c.skipBlanks();
            overhead = c.hex();
            if (overhead == Cursor.NONE || c.skipBlanks() == 0 || !c.literal(AT) || c.skipBlanks() == 0
                    || c.hex() == Cursor.NONE || c.skipBlanks() == 0 || !c.literal(BY) || c.skipBlanks() == 0) {
                return c.overflow ? badNumber(n, lines) : malformedRecord(n, lines);
            }
            count = 1;
        } else if (c.literal(IN)) {
            // 00005320 bytes in 0x14 allocations (@ 0x00000428 [+ 0x10]) by: BackTrace00B53
            c.skipBlanks();
            count = c.hex();
            if (count == Cursor.NONE || c.skipBlanks() == 0 || !c.literal(ALLOCATIONS)) {
                return c.overflow ? badNumber(n, lines) : malformedRecord(n, lines);
            }
            c.skipBlanks();
            long extra = 0;
            if (c.peek() == '(') {
                int close = indexOf(b, ')', c.p, e);
                if (close < 0) {
                    return malformedRecord(n, lines);
                }
                int plus = indexOf(b, '+', c.p, close);
                if (plus > 0) {
                    Cursor x = new Cursor().reset(b, plus + 1, close);
                    x.skipBlanks();
                    extra = x.hex();
                    if (extra == Cursor.NONE) {
                        return malformedRecord(n, lines);
                    }
                }
                c.p = close + 1;
                c.skipBlanks();
            }
            if (!c.literal(BY)) {
                return malformedRecord(n, lines);
            }
            if (c.peek() == ':') {
                c.p++;
            }
            c.skipBlanks();
            try {
                overhead = Math.multiplyExact(count, extra);
            } catch (ArithmeticException x) {
                return badNumber(n, lines);
            }
        } else {
            return false;
        }
        if (!c.literalIgnoreCase(BACKTRACE)) {
            return malformedRecord(n, lines);
        }
        int idStart = c.p;
        int idEnd = e;
        while (idEnd > idStart && (b[idEnd - 1] == ' ' || b[idEnd - 1] == '\t')) {
            idEnd--;
        }
        if (idEnd == idStart || indexOf(b, ' ', idStart, idEnd) >= 0) {
            return malformedRecord(n, lines);
        }
        endStack();
        int t = trace(b, idStart, idEnd);
        try {
            bytes[t] = Math.addExact(bytes[t], size);
            counts[t] = Math.addExact(counts[t], count);
            overheads[t] = Math.addExact(overheads[t], overhead);
        } catch (ArithmeticException x) {
            throw InputFormatException.atLine(source, n, "byte totals that fit in 64 bits",
                    "BackTrace" + traceIds[t] + " summing past 2^63");
        }
        records++;
        sawUmdhShape = true;
        current = t;
        currentRecordLine = n;
        if (stackLength[t] == 0) {
            collecting = t;
            stackStart[t] = stackFrameCount;
            framesCut = false;
        }
        return true;
    }

    private boolean badNumber(long n, TextLines lines) {
        endStack();
        current = -1;
        problems.line(n, "hex numbers of at most 16 digits", lines.excerpt(ansi));
        return true;
    }

    private boolean malformedRecord(long n, TextLines lines) {
        endStack();
        current = -1;
        problems.line(n, "'SIZE bytes + OVERHEAD at ADDRESS by BackTraceID'",
                lines.excerpt(ansi) + (lines.endedWithNewline() ? "" : " at the end of the file (truncated?)"));
        return true;
    }

    private static int indexOf(byte[] b, char ch, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == ch) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] != ' ' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * The trace number for an id. Ids are opaque tokens ({@code 00053}, {@code 3965308}, {@code F9A156DA});
     * hex ids of up to 15 digits are keyed by value and length (so 00053 and 53 stay distinct) without making
     * a String per record.
     */
    private int trace(byte[] b, int s, int e) {
        int len = e - s;
        if (len <= 15 && Cursor.allHex(b, s, e)) {
            long v = 0;
            for (int i = s; i < e; i++) {
                v = (v << 4) | Cursor.hexDigit(b[i]);
            }
            long key = v | ((long) len << 60) ; // len < 16: the top bit stays clear
            int t = traceByKey.get(key);
            if (t < 0) {
                t = newTrace(new String(b, s, len, java.nio.charset.StandardCharsets.ISO_8859_1));
                traceByKey.put(key, t);
            }
            return t;
        }
        String id = TextLines.decode(b, s, e, ansi);
        Integer t = traceByText.get(id);
        if (t == null) {
            t = newTrace(id);
            traceByText.put(id, t);
        }
        return t;
    }

    private int newTrace(String id) {
        if (traces == traceIds.length) {
            int n = traces * 2;
            traceIds = Arrays.copyOf(traceIds, n);
            bytes = Arrays.copyOf(bytes, n);
            counts = Arrays.copyOf(counts, n);
            overheads = Arrays.copyOf(overheads, n);
            stackStart = Arrays.copyOf(stackStart, n);
            stackLength = Arrays.copyOf(stackLength, n);
        }
        traceIds[traces] = id;
        stackStart[traces] = -1;
        return traces++;
    }

    private UmdhSnapshotLog finish(String encoding) {
        UmdhHeader h = header.header();
        ModuleMap modules = ModuleMap.of(header.modules());
        Frame[] table = frames.build(modules);
        List<BacktraceAggregate> aggregates = new ArrayList<>(traces);
        for (int t = 0; t < traces; t++) {
            int len = stackLength[t];
            Frame[] fs = new Frame[len];
            for (int i = 0; i < len; i++) {
                fs[i] = table[stackFrames[stackStart[t] + i]];
            }
            aggregates.add(new BacktraceAggregate(new Backtrace(traceIds[t], List.of(fs)), ResourceKind.HEAP_BLOCK,
                    bytes[t], counts[t], overheads[t]));
        }
        stackFrames = null;
        String processName = header.modules().isEmpty() ? null : header.modules().get(0).name();
        Snapshot snap = new Snapshot(source, h.processId(), processName,
                h.logTime() == null ? null : h.logTime().toInstant(ZoneOffset.UTC), modules, List.of(), aggregates,
                problems.list());
        return new UmdhSnapshotLog(snap, h, heaps, records, encoding);
    }

    static LocalDateTime parseLogTime(String t) {
        try {
            return LocalDateTime.parse(t.strip().replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
