package org.leakscope.cli.text;

import java.util.List;
import org.leakscope.diff.Comparison;
import org.leakscope.diff.StackChange;
import org.leakscope.model.Frame;

/**
 * The line shapes of {@code umdh old new} (hex) and {@code umdh -d old new} (decimal), so scripts written for
 * UMDH's compare output read ours unchanged:
 * <pre>
 * +  131072 ( 262144 - 131072)      4 allocs	BackTraceF9A156DA
 * +       2 (      4 -      2)	BackTraceF9A156DA	allocations
 *
 * 	ntdll!RtlAllocateHeap+274
 *
 * Total increase == 131072 requested +    112 overhead = 131184
 * </pre>
 * Field widths follow umdh 10.0 ({@code %7} for byte figures, {@code %6} for counts and totals); hex is
 * lowercase without 0x, as umdh prints it. Header lines start with {@code //}, which UMDH parsers skip.
 * Inlined calls ({@link Frame#inlined()}) get no line here: every TAB-indented line of a stack is a frame to the
 * scripts (and to leakdiff) reading this format, so a frame stays one line, the real function with the line that
 * called the inlined code; {@code --json} and {@code --trend} show them.
 */
public final class UmdhCompareRenderer {
    private final boolean decimal;
    private final java.io.Writer out;
    private final StringBuilder sb = new StringBuilder(1 << 16);

    public UmdhCompareRenderer(boolean decimal, java.io.Writer out) {
        this.decimal = decimal;
        this.out = out;
    }

    /**
     * @param header  comment lines (without the {@code //}) describing the inputs and options
     * @param shown   the selected changes, in order
     */
    public void render(List<String> header, Comparison c, List<StackChange> shown) throws java.io.IOException {
        for (String h : header) {
            sb.append("// ").append(h).append('\n');
        }
        legend();
        for (StackChange s : shown) {
            record(s);
            if (sb.length() > (1 << 15)) {
                out.append(sb);
                sb.setLength(0);
            }
        }
        long requested = c.bytesDelta();
        long overhead = c.overheadDelta();
        long total = requested + overhead;
        // umdh prints magnitudes after "increase"/"decrease" (an empty compare is a decrease); a part whose sign
        // differs from the total's keeps a minus so the line still adds up.
        boolean increase = total > 0;
        sb.append("Total ").append(increase ? "increase" : "decrease").append(" == ")
                .append(pad(part(requested, increase), 6)).append(" requested + ")
                .append(pad(part(overhead, increase), 6)).append(" overhead = ").append(pad(num(Math.abs(total)), 6))
                .append('\n');
        out.append(sb);
        sb.setLength(0);
    }

    private void legend() {
        String radix = decimal ? "decimal" : "hexadecimal";
        line("");
        line("Each log entry has the following syntax:");
        line("");
        line("+ BYTES_DELTA (NEW_BYTES - OLD_BYTES) NEW_COUNT allocs BackTrace TRACEID");
        line("+ COUNT_DELTA (NEW_COUNT - OLD_COUNT) BackTrace TRACEID allocations");
        line("    ... stack trace ...");
        line("");
        line("where BYTES_DELTA and COUNT_DELTA are the change in requested bytes and in live");
        line("allocations for one stack from the old snapshot to the new one; NEW_/OLD_ are");
        line("the figures in each snapshot; TRACEID is the trace id in the newest snapshot");
        line("holding the stack. All numbers are " + radix + ".");
        line("");
        sb.append('\n');
    }

    private void line(String s) {
        sb.append("// ").append(s);
        for (int i = s.length(); i < 73; i++) {
            sb.append(' ');
        }
        sb.append('\n');
    }

    private void record(StackChange s) {
        String id = s.traceId() == null ? "-" : s.traceId();
        long bd = s.bytesDelta();
        sb.append(bd < 0 ? '-' : '+').append(' ').append(pad(num(Math.abs(bd)), 7)).append(" (")
                .append(pad(num(s.newBytes()), 7)).append(" - ").append(pad(num(s.oldBytes()), 7)).append(") ")
                .append(pad(num(s.newCount()), 6)).append(" allocs\tBackTrace").append(id).append('\n');
        long cd = s.countDelta();
        sb.append(cd < 0 ? '-' : '+').append(' ').append(pad(num(Math.abs(cd)), 7)).append(" (")
                .append(pad(num(s.newCount()), 7)).append(" - ").append(pad(num(s.oldCount()), 7)).append(")\tBackTrace")
                .append(id).append("\tallocations\n");
        sb.append('\n');
        for (Frame f : s.backtrace().frames()) {
            sb.append('\t').append(shown(f)).append('\n');
        }
        for (List<Frame> alias : s.backtrace().aliases()) {
            sb.append("\tAlias\n"); // as in the snapshot log: another stack of the same trace follows
            for (Frame f : alias) {
                sb.append('\t').append(shown(f)).append('\n');
            }
        }
        sb.append('\n');
    }

    /**
     * {@link #frame(Frame)}, made once per Frame object: readers share one Frame per address, and a compare of
     * big logs prints millions of frame lines over some hundred thousand addresses.
     */
    private String shown(Frame f) {
        String t = shownFrames.get(f);
        if (t == null) {
            t = frame(f);
            if (shownFrames.size() < 1 << 20) {
                shownFrames.put(f, t);
            }
        }
        return t;
    }

    private final java.util.IdentityHashMap<Frame, String> shownFrames = new java.util.IdentityHashMap<>();

    /** UMDH's frame text: {@code module!function+OFFSET (file, line)}, {@code module+OFFSET}, or the address. */
    public static String frame(Frame f) {
        return frame(f, true);
    }

    /** The same, with or without the {@code (file, line)} suffix. */
    public static String frame(Frame f, boolean source) {
        if (f.module() == null) {
            return Long.toHexString(f.address()).toUpperCase(java.util.Locale.ROOT);
        }
        String m = moduleName(f.module());
        String s;
        if (f.function() != null) {
            long off = f.functionOffset() == null ? 0 : f.functionOffset();
            s = m + "!" + f.function() + "+" + Long.toHexString(off).toUpperCase(java.util.Locale.ROOT);
        } else {
            s = m + "+" + Long.toHexString(f.moduleOffset() == null ? 0 : f.moduleOffset())
                    .toUpperCase(java.util.Locale.ROOT);
        }
        return f.sourceFile() == null || !source ? s : s + " (" + f.sourceFile() + ", " + f.sourceLine() + ")";
    }

    /** UMDH names modules without the image extension: {@code ntdll}, not {@code ntdll.dll}. */
    static String moduleName(String module) {
        String l = module.toLowerCase(java.util.Locale.ROOT);
        for (String ext : new String[] {".dll", ".exe", ".sys", ".drv", ".ocx"}) {
            if (l.endsWith(ext)) {
                return module.substring(0, module.length() - ext.length());
            }
        }
        return module;
    }

    private String part(long v, boolean increase) {
        boolean opposite = increase ? v < 0 : v > 0;
        return (opposite ? "-" : "") + num(Math.abs(v));
    }

    private String num(long v) {
        return decimal ? Long.toString(v) : Long.toHexString(v);
    }

    private static String pad(String s, int width) {
        if (s.length() >= width) {
            return s;
        }
        return " ".repeat(width - s.length()) + s;
    }
}
