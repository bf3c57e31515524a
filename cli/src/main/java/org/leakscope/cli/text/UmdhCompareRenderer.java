package org.leakscope.cli.text;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.leakscope.diff.Comparison;
import org.leakscope.diff.StackChange;
import org.leakscope.model.AddressStack;
import org.leakscope.model.Frame;
import org.leakscope.model.ModuleMap;

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
 * <p>
 * Written as UTF-8 bytes straight into a buffer: a compare of two 1 GB logs prints millions of frame lines (70 MB),
 * and going through a StringBuilder, a Writer and its encoder copied every character four times.
 */
public final class UmdhCompareRenderer {
    private static final byte[] DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UPPER_DIGITS = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final int FLUSH_AT = 1 << 15;

    private final boolean decimal;
    private final OutputStream out;
    private byte[] buf = new byte[1 << 16];
    private int n;
    private final FrameTexts texts;
    private final ModuleMap[] textModules = new ModuleMap[2];
    private final byte[][][] moduleTexts = new byte[2][][];

    /** @param out receives the report as UTF-8 (the caller escapes and buffers it as for any report) */
    public UmdhCompareRenderer(boolean decimal, OutputStream out) {
        this(decimal, out, new FrameTexts());
    }

    UmdhCompareRenderer(boolean decimal, OutputStream out, FrameTexts texts) {
        this.decimal = decimal;
        this.out = out;
        this.texts = texts;
    }

    /**
     * @param header  comment lines (without the {@code //}) describing the inputs and options
     * @param shown   the selected changes, in order
     */
    public void render(List<String> header, Comparison c, List<StackChange> shown) throws IOException {
        for (String h : header) {
            text("// ").text(h).put('\n');
        }
        legend();
        for (StackChange s : shown) {
            record(s);
            if (n > FLUSH_AT) {
                drain();
            }
        }
        long requested = c.bytesDelta();
        long overhead = c.overheadDelta();
        long total = requested + overhead;
        // umdh prints magnitudes after "increase"/"decrease" (an empty compare is a decrease); a part whose sign
        // differs from the total's keeps a minus so the line still adds up.
        boolean increase = total > 0;
        text("Total ").text(increase ? "increase" : "decrease").text(" == ")
                .text(pad(part(requested, increase), 6)).text(" requested + ")
                .text(pad(part(overhead, increase), 6)).text(" overhead = ").text(pad(num(Math.abs(total)), 6))
                .put('\n');
        drain();
        out.flush();
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
        put('\n');
    }

    private void line(String s) {
        text("// ").text(s);
        for (int i = s.length(); i < 73; i++) {
            put(' ');
        }
        put('\n');
    }

    private void record(StackChange s) {
        String id = s.traceId() == null ? "-" : s.traceId();
        long bd = s.bytesDelta();
        put(bd < 0 ? '-' : '+').put(' ').num(bd < 0 ? -bd : bd, 7).text(" (").num(s.newBytes(), 7).text(" - ")
                .num(s.oldBytes(), 7).text(") ").num(s.newCount(), 6).text(" allocs\tBackTrace").text(id).put('\n');
        long cd = s.countDelta();
        put(cd < 0 ? '-' : '+').put(' ').num(cd < 0 ? -cd : cd, 7).text(" (").num(s.newCount(), 7).text(" - ")
                .num(s.oldCount(), 7).text(")\tBackTrace").text(id).text("\tallocations\n");
        put('\n');
        frames(s.backtrace().frames());
        for (List<Frame> alias : s.backtrace().aliases()) {
            text("\tAlias\n"); // as in the snapshot log: another stack of the same trace follows
            frames(alias);
        }
        put('\n');
    }

    /** One TAB-indented line per frame, each frame's text made once ({@link FrameTexts}). */
    private void frames(List<Frame> frames) {
        if (frames instanceof AddressStack raw) {
            addresses(raw);
            return;
        }
        int count = frames.size();
        long[] places = texts.find(frames);
        for (int i = 0; i < count; i++) {
            long place = places[i];
            if (place < 0) {
                place = texts.get(frames.get(i)); // the same frame earlier in this stack
            }
            if (place < 0) {
                byte[] t = frame(frames.get(i)).getBytes(StandardCharsets.UTF_8);
                place = texts.add(frames.get(i), t);
                if (place < 0) { // the cache is full: this frame's text goes out without being kept
                    put('\t').bytes(t, 0, t.length).put('\n');
                    continue;
                }
            }
            put('\t').bytes(texts.arena(), (int) (place >>> FrameTexts.LENGTH_BITS),
                    (int) (place & FrameTexts.LENGTH_MASK)).put('\n');
        }
    }

    /**
     * A stack of raw addresses, written as {@link #frame} writes each one's Frame ({@code module+OFFSET}, or the
     * address outside every module) without making it: the module's part of the text made once per module table.
     */
    private void addresses(AddressStack raw) {
        ModuleMap modules = raw.modules();
        byte[][] names = moduleTexts(modules);
        for (int i = 0; i < raw.size(); i++) {
            long address = raw.address(i);
            int m = modules.indexOf(address);
            put('\t');
            if (m >= 0) {
                bytes(names[m], 0, names[m].length).hex(address - modules.base(m), UPPER_DIGITS);
            } else {
                hex(address, UPPER_DIGITS);
            }
            put('\n');
        }
    }

    /** Each module's {@code name+}, UTF-8, for the last two module tables (a compare prints from two logs). */
    private byte[][] moduleTexts(ModuleMap modules) {
        if (modules != textModules[0]) {
            if (modules != textModules[1]) {
                byte[][] t = new byte[modules.modules().size()][];
                for (int m = 0; m < t.length; m++) {
                    t[m] = (moduleName(modules.name(m)) + "+").getBytes(StandardCharsets.UTF_8);
                }
                textModules[1] = modules;
                moduleTexts[1] = t;
            }
            ModuleMap swapModules = textModules[0];
            textModules[0] = textModules[1];
            textModules[1] = swapModules;
            byte[][] swapTexts = moduleTexts[0];
            moduleTexts[0] = moduleTexts[1];
            moduleTexts[1] = swapTexts;
        }
        return moduleTexts[0];
    }

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

    /** {@link #num(long)} right-aligned in {@code width} columns, written without making a String. */
    private UmdhCompareRenderer num(long v, int width) {
        if (decimal && v < 0) {
            return text(pad(Long.toString(v), width)); // only a damaged figure is negative
        }
        int digits = 1;
        if (decimal) {
            for (long x = v; x >= 10; x /= 10) {
                digits++;
            }
        } else {
            digits = hexDigits(v);
        }
        for (int i = digits; i < width; i++) {
            put(' ');
        }
        if (!decimal) {
            return hex(v, DIGITS);
        }
        room(digits);
        int end = n + digits;
        long x = v;
        for (int i = end - 1; i >= n; i--) {
            buf[i] = DIGITS[(int) (x % 10)];
            x /= 10;
        }
        n = end;
        return this;
    }

    private static int hexDigits(long v) {
        return Math.max(1, (67 - Long.numberOfLeadingZeros(v)) >> 2);
    }

    /** {@code v} in hex ({@code Long.toHexString}) with the digits of {@code table}, written without a String. */
    private UmdhCompareRenderer hex(long v, byte[] table) {
        int digits = hexDigits(v);
        room(digits);
        for (int i = n + digits - 1; i >= n; i--, v >>>= 4) {
            buf[i] = table[(int) (v & 15)];
        }
        n += digits;
        return this;
    }

    private UmdhCompareRenderer text(String s) {
        int len = s.length();
        room(len);
        for (int i = 0; i < len; i++) {
            char ch = s.charAt(i);
            if (ch >= 0x80) { // not ASCII: encoded whole (paths in the header, names in frames)
                byte[] b = s.substring(i).getBytes(StandardCharsets.UTF_8);
                return bytes(b, 0, b.length);
            }
            buf[n++] = (byte) ch;
        }
        return this;
    }

    private UmdhCompareRenderer bytes(byte[] b, int from, int len) {
        room(len);
        System.arraycopy(b, from, buf, n, len);
        n += len;
        return this;
    }

    private UmdhCompareRenderer put(char ch) {
        room(1);
        buf[n++] = (byte) ch;
        return this;
    }

    private void room(int len) {
        if (buf.length - n < len) {
            buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + len));
        }
    }

    private void drain() throws IOException {
        out.write(buf, 0, n);
        n = 0;
    }
}
