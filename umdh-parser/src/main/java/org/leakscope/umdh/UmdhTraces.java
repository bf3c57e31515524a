package org.leakscope.umdh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.leakscope.model.AddressStack;
import org.leakscope.model.Frame;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.IndexOrder;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.KeyedTraces;
import org.leakscope.model.LongIntMap;
import org.leakscope.model.ModuleMap;
import org.leakscope.model.SeededHash;
import org.leakscope.textio.TextLines;

/**
 * The traces of a UMDH snapshot log read indexed ({@link UmdhSnapshotReader#readIndexed}), numbered as the reader
 * made them, each with the line its id first appears on ({@link #appearance}): each trace's id, totals, its stack's
 * key, and where the stack's lines are in the log. About 40 bytes a trace where the whole snapshot keeps 300 and
 * more (a log of 3 million stacks: about 120 MB, besides what reading it took); a report reads the stacks it shows
 * again ({@link #stacks}).
 */
public final class UmdhTraces implements KeyedTraces {
    private static final byte[] STACK_LEGEND = Cursor.ascii("STACK if not already dumped");

    private final Path file;
    private final ModuleMap modules;
    private final Charset ansi;
    private final int size;
    private final LongColumn firstLine;
    private final LongColumn keys;
    private final List<String> textIds;
    private final TraceSums sums;
    private final LongColumn stackKeys;
    private final LongColumn stackText;
    private final String notIndexable;

    UmdhTraces(Path file, ModuleMap modules, Charset ansi, int size, LongColumn firstLine, LongColumn keys,
            List<String> textIds, TraceSums sums, LongColumn stackKeys, LongColumn stackText, String notIndexable) {
        this.file = file;
        this.modules = modules;
        this.ansi = ansi;
        this.size = size;
        this.firstLine = firstLine;
        this.keys = keys;
        this.textIds = textIds;
        this.sums = sums;
        this.stackKeys = stackKeys;
        this.stackText = stackText;
        this.notIndexable = notIndexable;
    }

    /** Distinct trace ids. */
    @Override
    public int size() {
        return size;
    }

    /** Why this index cannot stand for the log (alias stacks, UTF-16 text, ...): read it whole; null when it can. */
    public String notIndexable() {
        return notIndexable;
    }

    /** The line the trace's first record is on. */
    @Override
    public long appearance(int t) {
        return firstLine.get(t);
    }

    /** The trace's id as the log spells it. */
    @Override
    public String id(int t) {
        return spell(keys.get(t), textIds);
    }

    /** A key for the trace's id, equal for equal ids in every log of this run. */
    @Override
    public long idKey(int t) {
        long k = keys.get(t);
        if (k >= 0 || (k & UmdhSnapshotReader.HEX_KEY) == UmdhSnapshotReader.HEX_KEY) {
            return SeededHash.mix(k); // the id's own bytes, or its hex value, length and case
        }
        long h = 0x5EED_1D5L;
        for (char ch : id(t).toCharArray()) {
            h = SeededHash.mix(h + ch);
        }
        return h;
    }

    @Override
    public long bytes(int t) {
        return sums.bytes(t);
    }

    @Override
    public long count(int t) {
        return sums.count(t);
    }

    @Override
    public long overhead(int t) {
        return sums.overhead(t);
    }

    /** False for a trace whose stack never appeared (or had no frame): only its id can match it. */
    @Override
    public boolean hasStack(int t) {
        return stackText.get(t) >= 0;
    }

    /** The key of the trace's stack ({@link org.leakscope.model.FrameCodes#fingerprint}); valid when it has one. */
    @Override
    public long stackKey(int t) {
        return stackKeys.get(t);
    }

    /** {bytes, allocations} over all traces. */
    public long[] totals() {
        long[] sum = new long[2];
        for (int t = 0; t < size; t++) {
            sum[0] += sums.bytes(t); // every trace: in any order
            sum[1] += sums.count(t);
        }
        return sum;
    }

    /**
     * The stacks of {@code traces}, read again from the log in file order and parsed as the reader parsed them
     * (an empty list for a trace without one): a stack of umdh's own frame lines as an {@link AddressStack} on
     * the log's module table, any other as Frames resolved through it, the same Frame object for the same address.
     *
     * @throws InputFormatException when the log changed since it was read (a stack's lines are no longer there)
     */
    @Override
    public List<List<Frame>> stacks(int[] traces, FrameCodes verify) throws IOException {
        return stacks(traces, verify, null);
    }

    /** The stacks, each folded count taken from the codes that verify it (no second pass over the frames). */
    @Override
    public List<List<Frame>> stacks(int[] traces, FrameCodes verify, int[] folded) throws IOException {
        return stacks(traces, () -> verify, folded, 1);
    }

    /**
     * The stacks, read on up to {@code threads} threads, each over its own stretch of the log (in file order) with
     * codes of its own from {@code verify}: the 154k stacks a compare of two 1 GB logs of 3M stacks shows may all
     * be in one of them (one thread took 316-527 ms). Stretches have at least {@link #MIN_PART} stacks.
     */
    @Override
    public List<List<Frame>> stacks(int[] traces, Supplier<FrameCodes> verify, int[] folded, int threads)
            throws IOException {
        long[] place = new long[traces.length]; // offset << 24 | length, or -1
        long[] offsets = new long[traces.length];
        int[] with = new int[traces.length];    // the traces that have a stack
        int n = 0;
        for (int i = 0; i < traces.length; i++) {
            place[i] = stackText.get(traces[i]);
            if (place[i] >= 0) {
                offsets[n] = place[i] >>> 24;
                with[n++] = i;
            }
        }
        int[] byOffset = IndexOrder.of(offsets, n);
        int[] order = new int[n]; // the stacks in file order
        for (int k = 0; k < n; k++) {
            order[k] = with[byOffset[k]];
        }
        List<Frame>[] out = newLists(traces.length);
        Arrays.fill(out, List.<Frame>of());
        int parts = Math.max(1, Math.min(threads, n / MIN_PART));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Thread[] helpers = new Thread[parts - 1];
            Throwable[] failed = new Throwable[parts];
            for (int p = 1; p < parts; p++) {
                int from = (int) ((long) n * p / parts);
                int to = (int) ((long) n * (p + 1) / parts);
                int part = p;
                helpers[p - 1] = new Thread(() -> {
                    try {
                        new StackReading(ch, verify.get(), parts).read(traces, place, order, from, to, folded, out);
                    } catch (IOException | RuntimeException | Error e) {
                        failed[part] = e;
                    }
                }, "leakdiff-stacks-" + p);
                helpers[p - 1].start();
            }
            try {
                new StackReading(ch, verify.get(), parts).read(traces, place, order, 0, n / parts, folded, out);
            } finally {
                for (Thread h : helpers) {
                    joinUninterruptibly(h);
                }
            }
            for (Throwable e : failed) { // the first stretch's failure, in file order
                if (e instanceof IOException io) {
                    throw io;
                } else if (e instanceof RuntimeException r) {
                    throw r;
                } else if (e != null) {
                    throw (Error) e;
                }
            }
        }
        return Arrays.asList(out);
    }

    /** Stacks a thread of {@link #stacks(int[], Supplier, int[], int)} reads at least. */
    static final int MIN_PART = 8192;

    @SuppressWarnings("unchecked")
    private static List<Frame>[] newLists(int n) {
        return (List<Frame>[]) new List<?>[n];
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One thread's reading of stacks: its window on the log, its frame tables and codes. */
    private final class StackReading {
        private final StackWindow window;
        private final FrameCodes verify;
        private final AddressFrames byAddress;
        private final RawCodes rawCodes;
        private final Map<String, Frame> byText = new HashMap<>();
        private final FrameLine line = new FrameLine();
        private final long[] raw = new long[UmdhOptions.MAX_FRAMES];

        /** @param parts the threads reading at once: they share one thread's window budget */
        StackReading(FileChannel ch, FrameCodes verify, int parts) {
            this.window = new StackWindow(ch, Math.max(StackWindow.GAP, StackWindow.MAX / parts));
            this.verify = verify;
            this.byAddress = new AddressFrames(verify);
            this.rawCodes = verify == null ? null : new RawCodes(verify);
        }

        /** Reads the stacks {@code order[from, to)} into {@code out} (and {@code folded}) at their indices. */
        void read(int[] traces, long[] place, int[] order, int from, int to, int[] folded, List<Frame>[] out)
                throws IOException {
            for (int k = from; k < to; k++) {
                int i = order[k];
                long offset = place[i] >>> 24;
                int length = (int) (place[i] & 0xFFFFFF);
                int at = window.cover(place, order, k, to, traces[i]);
                int plain = rawAddresses(window.bytes, at, at + length, raw);
                List<Frame> frames;
                long[] stackCodes;
                if (plain > 0) {
                    frames = AddressStack.of(raw, plain, modules);
                    stackCodes = verify == null ? null : rawCodes.of(raw, plain);
                } else {
                    frames = parse(window.bytes, at, at + length, line, byAddress, byText);
                    stackCodes = byAddress.stackCodes;
                }
                if (verify != null && !frames.isEmpty() && FrameCodes.fingerprint(stackCodes, frames.size())
                        != stackKeys.get(traces[i])) {
                    throw InputFormatException.atOffset(file.toString(), offset, "the stack of BackTrace"
                            + id(traces[i]) + " as first read", "other frames (the log changed while it was read)");
                }
                if (folded != null && verify != null && !frames.isEmpty()) {
                    folded[i] = FrameCodes.folded(stackCodes, frames.size());
                }
                out[i] = verify == null ? frames : verify.shown(frames);
            }
        }
    }

    /**
     * The log's bytes around the stacks being read again, in file order: one read covers a stack and those that
     * follow it within 16 KiB of each other, up to 1 MiB (or the one stack, if longer). The 154k stacks two logs
     * of 3M stacks show took 154k reads; now about a thousand (and 20% less time than one read per stack). Threads
     * reading at once split the 1 MiB: a compare run under a small heap needs no more than with one.
     */
    private final class StackWindow {
        static final int GAP = 16 << 10;
        static final int MAX = 1 << 20;
        private final FileChannel ch;
        private final int max;
        byte[] bytes = new byte[1 << 16];
        private long start = -1;
        private int length;

        StackWindow(FileChannel ch, int max) {
            this.ch = ch;
            this.max = max;
        }

        /**
         * Makes stack k of {@code order} readable in {@link #bytes}, reading with it the stacks after it (before
         * {@code to}) that lie within {@link #GAP} of each other; returns where stack k starts there.
         */
        int cover(long[] place, int[] order, int k, int to, int trace) throws IOException {
            long offset = place[order[k]] >>> 24;
            int len = (int) (place[order[k]] & 0xFFFFFF);
            if (start >= 0 && offset >= start && offset + len <= start + length) {
                return (int) (offset - start);
            }
            long end = offset + len;
            for (int j = k + 1; j < to; j++) {
                long nextOffset = place[order[j]] >>> 24;
                long nextEnd = nextOffset + (place[order[j]] & 0xFFFFFF);
                if (nextOffset - end > GAP || nextEnd - offset > max) {
                    break;
                }
                end = Math.max(end, nextEnd);
            }
            int want = (int) (end - offset);
            if (bytes.length < want) {
                bytes = new byte[Math.max(want, Math.min(max, bytes.length * 2))];
            }
            ByteBuffer bb = ByteBuffer.wrap(bytes, 0, want);
            while (bb.hasRemaining() && ch.read(bb, offset + bb.position()) >= 0) {
                // a short read: go on to the end of the window or of the file
            }
            if (bb.position() < len) {
                throw InputFormatException.atOffset(file.toString(), offset + bb.position(),
                        "the stack of BackTrace" + id(trace) + " read before", "the end of the file"
                        + " (the log changed while it was read)");
            }
            start = offset;
            length = bb.position();
            return 0;
        }
    }

    /**
     * A stack of umdh's own frame lines only (TAB, 1 to 16 hex digits, CR LF or LF between lines), as the reader's
     * fast path reads them, into {@code raw}: how many; 0 for any other shape (symbolic frames, blanks, more than
     * MAX_FRAMES lines), which {@link #parse} reads. Nearly every stack of a snapshot log has this shape, and its
     * frames need no table: {@link AddressStack} resolves them when asked.
     */
    private static int rawAddresses(byte[] b, int from, int end, long[] raw) {
        int n = 0;
        int p = from;
        while (p < end) {
            if (b[p] != '\t' || n == raw.length) {
                return 0;
            }
            int q = p + 1;
            long address = 0;
            int d;
            while (q < end && (d = Cursor.hexDigit(b[q])) >= 0) {
                address = address << 4 | d;
                q++;
            }
            if (q == p + 1 || q - p - 1 > 16 || address == Cursor.NONE) {
                return 0; // no digits, too many, or the one address FrameLine takes for none: parse() decides
            }
            raw[n++] = address;
            if (q < end && b[q] == '\r') {
                q++;
            }
            if (q < end && (b[q] != '\n' || q + 1 == end)) {
                return 0;
            }
            p = q + 1;
        }
        return n;
    }

    /**
     * The codes of raw addresses under the codes that verify re-read stacks, as the reader coded them
     * ({@link ModuleOffsetCodes}); an address outside every module by its Frame.
     */
    private final class RawCodes {
        private final FrameCodes codes;
        private final ModuleOffsetCodes byOffset;
        private long[] stack = new long[64];

        RawCodes(FrameCodes codes) {
            this.codes = codes;
            this.byOffset = new ModuleOffsetCodes(modules, codes);
        }

        /** The codes of {@code raw[0, n)}, in an array reused by the next call. */
        long[] of(long[] raw, int n) {
            if (n > stack.length) {
                stack = new long[Math.max(n, stack.length * 2)];
            }
            for (int k = 0; k < n; k++) {
                long code = byOffset.code(raw[k]);
                stack[k] = code != 0 ? code : codes.code(modules.frame(raw[k]));
            }
            return stack;
        }
    }

    /**
     * A stack's lines as {@link UmdhSnapshotReader} reads them: TAB- or blank-indented frames, at most MAX. The
     * lines are parsed first and their frames found after, a stack at a time ({@link AddressFrames#resolve}).
     */
    private List<Frame> parse(byte[] b, int from, int length, FrameLine line, AddressFrames byAddress,
            Map<String, Frame> byText) {
        int n = 0;
        int s = from;
        while (s <= length && n < UmdhOptions.MAX_FRAMES) {
            int nl = TextLines.indexOfNewline(b, s, length);
            int e = nl < 0 ? length : nl;
            int next = e + 1;
            if (e > s && b[e - 1] == '\r') {
                e--;
            }
            int p = s;
            if (p < e && b[p] == '\t') {
                p++;
            } else {
                while (p < e && (b[p] == ' ' || b[p] == '\t')) {
                    p++;
                }
                if (UmdhSnapshotReader.at(b, p, e, STACK_LEGEND)) {
                    s = next;
                    continue;
                }
            }
            int te = e;
            while (te > p && (b[te - 1] == ' ' || b[te - 1] == '\t')) {
                te--;
            }
            if (te == p) {
                break; // a blank line ends the stack
            }
            if (line.parse(b, p, te, ansi)) {
                byAddress.pend(n++, line.address, line.frame == null ? null
                        : byText.computeIfAbsent(line.text, t -> line.frame));
            }
            s = next;
        }
        return byAddress.resolve(n);
    }

    /**
     * One Frame per distinct address, found without boxing (a shown stack is some twenty frame lines), and the
     * code of each under the codes that verify re-read stacks, made once per frame.
     */
    private final class AddressFrames {
        private final LongIntMap numbers = new LongIntMap(1 << 10);
        private Frame[] frameOf = new Frame[1 << 10]; // by number
        private int framesMade;
        private long[] addressOf = new long[1 << 10]; // by number
        private final FrameCodes codes;
        private long[] codeOf = new long[1 << 10]; // by number; 0 = not made yet
        long[] stackCodes = new long[64];           // of the stack being parsed
        private int lastNumber = -1;                // of the frame frame() returned last, -1 if not kept
        private final Map<Frame, Long> otherCodes = new java.util.IdentityHashMap<>();

        private final long[] pendingAddress = new long[UmdhOptions.MAX_FRAMES]; // the stack being parsed
        private final Frame[] pendingText = new Frame[UmdhOptions.MAX_FRAMES];  // its symbolic frames, else null
        private final int[] pendingNumber = new int[UmdhOptions.MAX_FRAMES];    // its addresses' numbers, or -1

        AddressFrames(FrameCodes codes) {
            this.codes = codes;
        }

        /** Notes frame k of the stack being parsed: a raw address, or a symbolic frame (not null). */
        void pend(int k, long address, Frame symbolic) {
            pendingAddress[k] = address;
            pendingText[k] = symbolic;
        }

        /**
         * The frames of the n frame lines pended. Each address's lookup lands on a random slot of tables bigger
         * than the caches. Done a stack at a time in steps, each step's loads independent of each other so the CPU
         * overlaps their misses: every home slot in the number table read, then every number found and its rows
         * read, then the frames made. Re-reading 158k stacks (3.3M frame lines) of a 3M-stack log took 1.05 s
         * with one frame after the other, 0.65 s with the first step, 0.49 s with both.
         */
        List<Frame> resolve(int n) {
            long touched = 0;
            for (int k = 0; k < n; k++) {
                touched += numbers.touch(pendingAddress[k] & Long.MAX_VALUE);
            }
            for (int k = 0; k < n; k++) {
                int i = numbers.get(pendingAddress[k] & Long.MAX_VALUE); // LongIntMap reserves MIN_VALUE
                pendingNumber[k] = i;
                if (i >= 0) {
                    touched += addressOf[i] + (i < codeOf.length ? codeOf[i] : 0) + (frameOf[i] == null ? 0 : 1);
                }
            }
            sink = touched;
            List<Frame> frames = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                Frame f = pendingText[k] != null ? pendingText[k] : frame(pendingAddress[k], pendingNumber[k]);
                pendingText[k] = null;
                noteCode(k, f);
                frames.add(f);
            }
            return frames;
        }

        /** Keeps the JIT from dropping the touch loops. */
        long sink;

        /** The frame of an address whose number lookup gave i (before this stack's new addresses were added). */
        private Frame frame(long address, int i) {
            if (i < 0) {
                i = numbers.get(address & Long.MAX_VALUE); // new to the table, or added by an earlier line
            }
            if (i >= 0 && addressOf[i] == address) { // not frames.get(i).address(): a miss per frame line
                lastNumber = i;
                return frameOf[i];
            }
            Frame f = modules.frame(address);
            lastNumber = -1;
            if (i < 0) {
                lastNumber = framesMade++;
                numbers.put(address & Long.MAX_VALUE, lastNumber);
                if (lastNumber == addressOf.length) {
                    addressOf = Arrays.copyOf(addressOf, lastNumber * 2);
                    frameOf = Arrays.copyOf(frameOf, lastNumber * 2);
                }
                addressOf[lastNumber] = address;
                frameOf[lastNumber] = f;
            }
            return f; // an address differing only in bit 63 from a kept one: not kept (never seen)
        }

        /** Puts the code of the frame just made (by {@link #frame} or by text) in {@code stackCodes[k]}, if asked. */
        void noteCode(int k, Frame f) {
            if (codes == null) {
                return;
            }
            if (k == stackCodes.length) {
                stackCodes = Arrays.copyOf(stackCodes, k * 2);
            }
            long c;
            if (lastNumber >= 0 && frameOf[lastNumber] == f) {
                if (lastNumber >= codeOf.length) {
                    codeOf = Arrays.copyOf(codeOf, Math.max(lastNumber + 1, codeOf.length * 2));
                }
                c = codeOf[lastNumber];
                if (c == 0) {
                    c = codes.code(f);
                    codeOf[lastNumber] = c;
                }
            } else {
                c = otherCodes.computeIfAbsent(f, codes::code); // symbolic frames (few)
            }
            stackCodes[k] = c;
        }
    }

    /** An id key spelled back (see UmdhSnapshotReader's key): a byte key's bytes, a hex key, a text id by number. */
    static String spell(long key, List<String> textIds) {
        if ((key & UmdhSnapshotReader.HEX_KEY) == UmdhSnapshotReader.HEX_KEY) {
            int len = (int) (key >>> 57 & 7) + 9;
            char[] id = new char[len];
            String digits = (key & UmdhSnapshotReader.LOWER_CASE) != 0 ? "0123456789abcdef" : "0123456789ABCDEF";
            for (int i = len - 1, shift = 0; i >= 0; i--, shift += 4) {
                id[i] = digits.charAt((int) (key >>> shift & 15));
            }
            return new String(id);
        }
        if (key < 0) {
            return textIds.get((int) (key & Integer.MAX_VALUE) - 1);
        }
        byte[] id = new byte[8 - (Long.numberOfLeadingZeros(key) >>> 3)];
        for (int i = 0; i < id.length; i++) {
            id[i] = (byte) (key >>> (i << 3));
        }
        return new String(id, StandardCharsets.ISO_8859_1);
    }
}
