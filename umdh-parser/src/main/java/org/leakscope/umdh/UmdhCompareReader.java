package org.leakscope.umdh;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.leakscope.model.Backtrace;
import org.leakscope.model.Frame;
import org.leakscope.model.InputFormatException;
import org.leakscope.textio.LineProblems;
import org.leakscope.textio.TextLines;

/**
 * Reads a UMDH compare output. Record pairs, TAB-separated, numbers right-aligned:
 * <pre>
 * +  131072 ( 262144 - 131072)      4 allocs	BackTraceF9A156DA
 * +       2 (      4 -      2)	BackTraceF9A156DA	allocations
 *
 * 	ntdll!RtlAllocateHeap+00000274
 * 	MyApp!LeakyFunc+0000001E (c:\src\app.cpp, 42)
 *
 * Total increase == 131072 requested +    112 overhead = 131184
 * </pre>
 * A stack line {@code Alias} starts an alias stack of the same trace, as in snapshot logs (leakdiff writes
 * aliases that way).
 * The file does not say whether it was written with {@code -d}: numbers are kept as text until the end and
 * read in the radix under which every {@code delta = new - old} holds (a hex digit settles it at once).
 */
public final class UmdhCompareReader {
    private record Pending(String traceId, boolean plus, String delta, String newer, String older, String count,
            String oldCount, String newCount, List<Frame> frames, List<List<Frame>> aliases, long line) {
    }

    private final String source;
    private final UmdhOptions options;
    private final Charset ansi;
    private final LineProblems problems;
    private final List<Pending> pending = new ArrayList<>();
    private Pending last;
    private List<Frame> stack;
    private boolean afterDbghelp;
    private String totalRequested;
    private String totalOverhead;
    private boolean totalIncrease;
    private boolean sawShape;
    private boolean framesCut;

    private UmdhCompareReader(String source, UmdhOptions options) {
        this.source = source;
        this.options = options;
        this.ansi = options.ansiCharset();
        this.problems = new LineProblems(source, options.strict(), UmdhOptions.MAX_PROBLEMS, "a UMDH log");
    }

    public static UmdhCompareLog read(Path path, UmdhOptions options) throws IOException {
        UmdhCompareReader r = new UmdhCompareReader(path.toString(), options);
        try (TextLines lines = TextLines.open(path, options.limits().maxLineChars(), options.progress())) {
            while (lines.next()) {
                r.line(lines);
            }
            if (!r.sawShape) {
                throw InputFormatException.atLine(r.source, Math.max(1, lines.number()),
                        "a UMDH compare output ('+ BYTES (NEW - OLD) ... BackTraceID' records or a 'Total"
                                + " increase ==' line)",
                        lines.number() == 0 ? "an empty file" : "none in " + lines.number() + " lines");
            }
            return r.finish(lines.encoding());
        }
    }

    private void line(TextLines lines) {
        long n = lines.number();
        if (lines.tooLong()) {
            stack = null;
            problems.line(n, "a line of at most " + options.limits().maxLineChars() + " bytes", "a longer line (skipped)");
            return;
        }
        String raw = lines.text(ansi);
        if (raw.indexOf('\0') >= 0) {
            throw InputFormatException.atLine(source, n, "text (a UMDH compare output)", "binary data (a NUL byte)");
        }
        String t = raw.strip();
        if (t.isEmpty()) {
            // A blank line opens a record's stack and closes it.
            stack = stack == null && last != null && last.frames.isEmpty() ? last.frames : null;
            return;
        }
        if (raw.startsWith("\t") && stack != null) {
            if (t.equals("Alias")) {
                stack = new ArrayList<>();
                last.aliases.add(stack);
                framesCut = false;
                return;
            }
            if (stack.size() >= UmdhOptions.MAX_FRAMES) {
                if (!framesCut) {
                    framesCut = true;
                    problems.line(n, "at most " + UmdhOptions.MAX_FRAMES + " frames per stack", "more (ignored)");
                }
                return;
            }
            Frame f = FrameText.isAddress(t) ? Frame.unresolved(FrameText.parseHex(t)) : FrameText.parseSymbolic(t);
            if (f == null) {
                problems.line(n, "a stack frame (module!function+offset)", lines.excerpt(ansi));
            } else {
                stack.add(f);
            }
            return;
        }
        stack = null;
        if (t.startsWith("//")) {
            afterDbghelp = false;
            return;
        }
        if (t.startsWith("DBGHELP:")) {
            afterDbghelp = true;
            return;
        }
        if (afterDbghelp && raw.startsWith(" ")) {
            afterDbghelp = false;
            return;
        }
        afterDbghelp = false;
        if ((t.charAt(0) == '+' || t.charAt(0) == '-') && record(t, n)) {
            sawShape = true;
            return;
        }
        if (t.startsWith("Total increase") || t.startsWith("Total decrease")) {
            if (total(t)) {
                sawShape = true;
                return;
            }
        }
        problems.line(n, "a UMDH compare line ('+/- BYTES (NEW - OLD) COUNT allocs BackTraceID', a TAB-indented"
                + " frame or a 'Total' line)", lines.excerpt(ansi)
                + (lines.endedWithNewline() ? "" : " at the end of the file (truncated?)"));
    }

    /**
     * {@code + DELTA ( NEW - OLD) COUNT allocs BackTraceID} or {@code + DELTA ( NEW - OLD) BackTraceID allocations}.
     */
    private boolean record(String t, long n) {
        boolean plus = t.charAt(0) == '+';
        int open = t.indexOf('(');
        int minus = open < 0 ? -1 : t.indexOf(" - ", open);
        int close = minus < 0 ? -1 : t.indexOf(')', minus);
        if (close < 0) {
            return false;
        }
        String delta = t.substring(1, open).strip();
        String newer = t.substring(open + 1, minus).strip();
        String older = t.substring(minus + 3, close).strip();
        String[] rest = t.substring(close + 1).strip().split("\\s+");
        if (!isNumber(delta) || !isNumber(newer) || !isNumber(older)) {
            return false;
        }
        if (rest.length == 3 && rest[1].equals("allocs") && isTrace(rest[2]) && isNumber(rest[0])) {
            Pending p = new Pending(rest[2].substring(9), plus, delta, newer, older, rest[0], null, null,
                    new ArrayList<>(), new ArrayList<>(), n);
            pending.add(p);
            last = p;
            framesCut = false;
            return true;
        }
        if (rest.length == 2 && rest[1].equals("allocations") && isTrace(rest[0])) {
            String id = rest[0].substring(9);
            if (last != null && last.traceId.equals(id) && last.oldCount == null) {
                Pending p = new Pending(id, last.plus, last.delta, last.newer, last.older, last.count, older, newer,
                        last.frames, last.aliases, last.line);
                pending.set(pending.size() - 1, p);
                last = p;
            } else {
                // a count line without its bytes line: bytes unknown, read as 0
                Pending p = new Pending(id, plus, "0", "0", "0", newer, older, newer, new ArrayList<>(),
                        new ArrayList<>(), n);
                pending.add(p);
                last = p;
            }
            return true;
        }
        return false;
    }

    private static boolean isTrace(String s) {
        return s.length() > 9 && s.regionMatches(true, 0, "BackTrace", 0, 9);
    }

    /** 1..16 hex digits without 0x (decimal numbers are a subset). */
    private static boolean isNumber(String s) {
        return !s.startsWith("0x") && !s.startsWith("0X") && !s.contains("`") && FrameText.isAddress(s);
    }

    /** {@code Total increase == 5320} or {@code Total decrease == 487210 requested +   1654 overhead = 488864}. */
    private boolean total(String t) {
        int eq = t.indexOf("==");
        if (eq < 0) {
            return false;
        }
        totalIncrease = t.startsWith("Total increase");
        String[] f = t.substring(eq + 2).strip().split("\\s+");
        if (f.length >= 1 && isNumber(f[0])) {
            totalRequested = f[0];
            if (f.length >= 4 && f[1].equals("requested") && f[2].equals("+") && isNumber(f[3])) {
                totalOverhead = f[3];
            }
            return true;
        }
        return false;
    }

    private UmdhCompareLog finish(String encoding) {
        int radix = options.compareRadix();
        boolean detected = true;
        if (radix == 0) {
            radix = detectRadix();
            detected = radix != 0;
            if (radix == 0) {
                radix = 16;
            }
        }
        List<CompareEntry> entries = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            long newer = number(p.newer, radix, p.line);
            long older = number(p.older, radix, p.line);
            Long oldCount = p.oldCount == null ? null : number(p.oldCount, radix, p.line);
            Long newCount = p.newCount != null ? (Long) number(p.newCount, radix, p.line)
                    : p.count == null ? null : (Long) number(p.count, radix, p.line);
            List<List<Frame>> aliases = p.aliases.stream().filter(a -> !a.isEmpty()).toList();
            entries.add(new CompareEntry(new Backtrace(p.traceId, p.frames, aliases), older, newer, oldCount,
                    newCount, p.line));
        }
        Long req = totalRequested == null ? null : signed(number(totalRequested, radix, 0), totalIncrease);
        Long ovh = totalOverhead == null ? null : signed(number(totalOverhead, radix, 0), totalIncrease);
        return new UmdhCompareLog(source, entries, req, ovh, radix, detected, problems.list(), encoding);
    }

    private static long signed(long v, boolean increase) {
        return increase ? v : -v;
    }

    private long number(String s, int radix, long line) {
        try {
            return Long.parseUnsignedLong(s, radix);
        } catch (NumberFormatException e) {
            throw InputFormatException.atLine(source, Math.max(1, line),
                    radix == 10 ? "decimal numbers (the file was read as 'umdh -d' output)" : "hex numbers", s);
        }
    }

    /** 16 or 10 when the numbers say so, 0 when both readings fit everything. */
    private int detectRadix() {
        boolean hexFits = true;
        boolean decFits = true;
        for (Pending p : pending) {
            String[] nums = p.oldCount == null ? new String[] {p.delta, p.newer, p.older}
                    : new String[] {p.delta, p.newer, p.older, p.oldCount, p.newCount};
            for (String s : nums) {
                for (int i = 0; i < s.length(); i++) {
                    if (!Character.isDigit(s.charAt(i))) {
                        return 16;
                    }
                }
            }
            hexFits &= consistent(p, 16);
            decFits &= consistent(p, 10);
        }
        if (totalRequested != null && totalOverhead != null) {
            for (String s : new String[] {totalRequested, totalOverhead}) {
                for (int i = 0; i < s.length(); i++) {
                    if (!Character.isDigit(s.charAt(i))) {
                        return 16;
                    }
                }
            }
        }
        if (hexFits != decFits) {
            return hexFits ? 16 : 10;
        }
        return 0;
    }

    private static boolean consistent(Pending p, int radix) {
        try {
            long d = Long.parseLong(p.delta, radix);
            long nw = Long.parseLong(p.newer, radix);
            long od = Long.parseLong(p.older, radix);
            return Math.abs(nw - od) == d;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
