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
import org.leakscope.model.FrameCodes;
import org.leakscope.model.IndexedFrames;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.ModuleMap;
import org.leakscope.model.ResourceKind;
import org.leakscope.model.Snapshot;
import org.leakscope.textio.LineProblems;
import org.leakscope.textio.Swar;
import org.leakscope.textio.TextLines;

/**
 * Streams a UMDH snapshot log into per-BackTrace aggregates. Line shapes (see docs/formats/umdh.md):
 * <pre>
 * // UMDH: version 6.1.7650.0: Logtime 2012-04-30 12:09 - Machine=HCE-C2SFLQ1 - PID=7696
 * //              400000   11D000 D:\blah\app.exe              (loaded-modules table)
 * DBGHELP: ntdll - public symbols                                (then a 9-space-indented pdb path)
 * *- - - - - - - - - - Start of data for heap @ 2E60000 - - - - - - - - - -
 * 64 bytes + 1C at 2E9FA20 by BackTrace18D0A0D0                 (one allocation, all hex)
 * \t776CDD82                                                    (its stack, the first time the trace appears)
 * \tAlias                                                       (the frames after it: another stack of the trace)
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
    private static final byte[] ALIAS = Cursor.ascii("Alias");

    private final String source;
    private final UmdhOptions options;
    private final Charset ansi;
    private final LineProblems problems;
    private final Cursor c = new Cursor();
    private final FrameTable frames = new FrameTable();

    // per trace, indexed by trace number
    private final TraceTotals totals;
    private final Map<String, Long> textKeys = new HashMap<>();
    private LongColumn traceKeys; // the id, encoded by key(), by trace: from the sum tables once read
    private LongColumn firstLine = new LongColumn(); // the line of its first record: read whole, traces are
                                                     // numbered so; indexed, it orders them (appearance)
    private int[] stackStart = new int[1024];
    private short[] stackLength = new short[1024];
    private int traces;
    private final StackFrames stackFrames; // every stack's frame numbers, or only the one being read

    // Indexed reading (codes != null): a stack's frames are keyed as read and dropped; the trace keeps its key and
    // where the stack's lines are, to read them again if it is shown.
    private final FrameCodes codes;
    private long[] frameCodes = new long[0];  // per frame number: its code, 0 = not yet asked
    private long[] codeBuffer = new long[64]; // the codes of the stack being read
    private int codeCount;
    private ModuleOffsetCodes moduleCodes;    // on the header's modules when the first frame was coded
    private LongColumn stackKey;
    private LongColumn stackText;             // per trace: offset << 24 | length of its stack's lines, -1 none
    private long segmentFrom = -1;            // file offset of the first and end of the last line of the stack
    private long segmentTo;
    private String notIndexable;              // why the index cannot stand for this log, or null

    // alias stacks, in file order: trace, position in stackFrames, length
    private int[] aliasTrace = new int[0];
    private int[] aliasStart = new int[0];
    private int[] aliasLength = new int[0];
    private int aliases;
    private int openAlias = -1; // the alias stack being collected, or -1 while collecting the trace's own

    private int collecting = -1; // 0 while the last record's stack lines are read, or -1
    private int current = -1;    // 0 once the last record's stack started, -2 before, or -1 after no record

    // Stacks read but not yet given to their trace: a stack rides with its record in TraceTotals' buffers and
    // reaches the trace when they are added (looking the trace up at once cost a cache miss per stack). Numbered
    // in file order; a ring twice as long as the records buffered at most holds every stack still on its way.
    private static final int RING = 2 * TraceTotals.MAX_BUFFERED;
    private int stacksRead;
    private int ownStack = -1;                 // number of the stack whose Alias stacks follow
    private int ringSize;                      // grown to RING as stacks are read: a small log needs little
    private int growAt;                        // the stack number that grows the ring, -1 once it is RING
    private int[] ringStart;                   // whole: where its frames are in stackFrames
    private short[] ringLength;
    private long[] ringKeyText;                // indexed: its key and where its lines are, side by side (one miss)
    private final Map<Integer, Integer> aliasOwners = new HashMap<>(); // stack number with Alias stacks → trace
    private boolean framesCut;

    private final UmdhHeaderParser header = new UmdhHeaderParser();
    private boolean afterDbghelp;
    private int heaps;
    private long records;
    private boolean sawUmdhShape;
    private boolean sawHogs;
    private String openHeap; // heap id of a Start line whose End line has not come yet, or null
    private long openHeapLine;

    private UmdhSnapshotReader(String source, UmdhOptions options, FrameCodes codes, int expectedTraces) {
        this.source = source;
        this.options = options;
        this.codes = codes;
        this.stackFrames = codes == null ? new StackFrames() : StackFrames.oneAtATime();
        // as many stacks as the log likely has traces, up to RING: growing it in the middle of a big log was a
        // branch the JIT's profile had not seen, and its trap recompiled the read loop
        this.ringSize = Math.min(RING, Integer.highestOneBit(Math.max(1023, expectedTraces - 1)) << 1);
        this.growAt = ringSize < RING ? ringSize : -1;
        if (codes != null) {
            stackKey = new LongColumn();
            stackText = new LongColumn();
            ringKeyText = new long[2 * ringSize];
        } else {
            ringStart = new int[ringSize];
            ringLength = new short[ringSize];
        }
        this.ansi = options.ansiCharset();
        this.problems = new LineProblems(source, options.strict(), UmdhOptions.MAX_PROBLEMS, "a UMDH log");
        this.totals = new TraceTotals(this::newTrace, this::stackFound, (line, key) -> {
            throw InputFormatException.atLine(source, line, "byte totals that fit in 64 bits",
                    "BackTrace" + idOf(key) + " summing past 2^63");
        }, expectedTraces);
    }

    /** Reads a snapshot log; throws {@link InputFormatException} when it is not one or is too damaged. */
    public static UmdhSnapshotLog read(Path path, UmdhOptions options) throws IOException {
        return read(path, options, null);
    }

    /**
     * How many traces {@link #readIndexed} will size its tables for (a sample of the log, 9/10 of its estimate),
     * or 0 for a small log or one whose sample shows no UMDH stacks: a hint for sizing memory, never a count.
     */
    public static int expectedTraces(Path path) {
        return TraceCountEstimate.of(path);
    }

    /**
     * Reads a snapshot log without keeping its stacks: each trace gets its stack's key under {@code codes} and
     * the place of its lines ({@link UmdhSnapshotLog#traces()}); the snapshot has no aggregates. For logs with
     * millions of stacks, whose frames would not fit the heap; the few stacks a report shows are read again.
     */
    public static UmdhSnapshotLog readIndexed(Path path, UmdhOptions options, FrameCodes codes) throws IOException {
        return read(path, options, java.util.Objects.requireNonNull(codes));
    }

    private static UmdhSnapshotLog read(Path path, UmdhOptions options, FrameCodes codes) throws IOException {
        UmdhSnapshotReader r = new UmdhSnapshotReader(path.toString(), options, codes, TraceCountEstimate.of(path));
        try (TextLines lines = TextLines.open(path, options.limits().maxLineChars(), options.progress())) {
            while (lines.next()) {
                r.line(lines);
                r.frameRun(lines);
            }
            r.endStack();
            r.checkComplete(Math.max(1, lines.number()));
            if (!r.sawUmdhShape) {
                throw InputFormatException.atLine(r.source, Math.max(1, lines.number()),
                        "a UMDH snapshot log (a '// UMDH: version' header, a heap section or an allocation record)",
                        lines.number() == 0 ? "an empty file" : "none in " + lines.number() + " lines");
            }
            return r.finish(lines.encoding(), path);
        }
    }

    private void line(TextLines lines) {
        byte[] b = lines.bytes();
        int s = lines.start();
        int e = lines.end();
        long n = lines.number();
        if (lines.tooLong()) {
            endStack();
            problems.line(n, "a line of at most " + options.limits().maxLineChars() + " bytes",
                    "a longer line (skipped)");
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
            int at = c.indexOf(START_HEAP, s);
            if (at >= 0) {
                heaps++;
                sawUmdhShape = true;
                startHeap(heapId(b, at + START_HEAP.length, e), n);
                return;
            }
            at = c.indexOf(END_HEAP, s);
            if (at >= 0) {
                sawUmdhShape = true;
                openHeap = null;
                return;
            }
            if (c.indexOf(HOGS, s) >= 0) {
                sawUmdhShape = true;
                sawHogs = true;
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
            if (collecting >= 0 || current != -1) {
                stackLine(lines, b, c.p, e, n); // frames indented with blanks instead of a TAB
                return;
            }
        }
        if (isBlank(b, s, e)) {
            endStack();
            return;
        }
        if (current != -1 && collectsFrameWithoutTab(lines, b, s, e, n)) {
            return;
        }
        unknown(lines, n);
    }

    /**
     * Every heap section umdh opens it closes with an End line: a log copied or written only in part would
     * otherwise read as if the rest of the heap had been freed. A heap starting while another is open is the
     * same damage in the middle of a file.
     */
    private void startHeap(String id, long n) {
        if (openHeap != null) {
            problems.line(n, "'End of data for heap @ " + openHeap + "' (heap " + openHeap + " starts at line "
                    + openHeapLine + ")", "the start of heap " + id + ": heap " + openHeap + " is cut short");
        }
        openHeap = id;
        openHeapLine = n;
    }

    /** At the end of the file: a heap left open, or a UMDH header with no heap after it, is a cut-off log. */
    private void checkComplete(long last) {
        if (openHeap != null) {
            problems.line(last, "'End of data for heap @ " + openHeap + "' (heap " + openHeap + " starts at line "
                    + openHeapLine + ")", "the end of the file: the snapshot ends inside heap " + openHeap
                    + ": truncated?");
        } else if (header.header().umdhVersion() != null && heaps == 0 && !sawHogs && records == 0) {
            problems.line(last, "a heap section ('Start of data for heap @ ...') after the '// UMDH: version' header",
                    "the end of the file: the snapshot ends before its first heap: truncated?");
        }
    }

    /** The hex id after "Start of data for heap" ({@code @ 2E60000}), or "?" when damaged. */
    private static String heapId(byte[] b, int p, int e) {
        while (p < e && (b[p] == ' ' || b[p] == '@')) {
            p++;
        }
        int q = p;
        while (q < e && Cursor.isHexDigit(b[q])) {
            q++;
        }
        return q == p ? "?" : new String(b, p, q - p, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** XP-era docs print frames without the TAB: accept a symbolic frame right after a record. */
    private boolean collectsFrameWithoutTab(TextLines lines, byte[] b, int s, int e, long n) {
        String t = TextLines.decode(b, s, e, ansi);
        Frame f = FrameText.parseSymbolic(t);
        if (f == null || f.module() == null) {
            return false;
        }
        if (current == -2) {
            startStack();
        }
        if (collecting >= 0) {
            notIndexable("a frame line without a TAB (line " + n + ")");
            resolvePending();
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
        if (current == -2) {
            startStack();
        }
        if (collecting < 0) {
            if (current < 0) {
                problems.line(n, "a stack line after an allocation record", lines.excerpt(ansi));
            }
            return; // the trace's stack was already read: a repeat, skipped
        }
        if (codes != null) {
            noteStackLine(lines);
        }
        int te = e;
        while (te > s && (b[te - 1] == ' ' || b[te - 1] == '\t')) {
            te--;
        }
        if (te == s) {
            endStack();
            return;
        }
        if (te - s == ALIAS.length && at(b, s, te, ALIAS)) {
            alias();
            return;
        }
        if (!frameLine.parse(b, s, te, ansi)) {
            problems.line(n, "a stack frame (hex address or module!function+offset)", lines.excerpt(ansi)
                    + (lines.endedWithNewline() ? "" : " at the end of the file (truncated?)"));
            return;
        }
        if (frameLine.frame == null) {
            if (codes != null) {
                addCode(addressCode(frameLine.address), n);
            } else {
                pendAddress(frameLine.address, n);
            }
            return;
        }
        resolvePending();
        addFrame(frames.text(frameLine.text, frameLine.frame), n);
    }

    private final FrameLine frameLine = new FrameLine();

    /**
     * After a line of the stack being collected: the frame lines that follow it in umdh's own form (TAB, hex
     * address, newline) and are already in {@code lines}' buffer, read in one loop and skipped there, with the
     * same effect as {@link #stackLine} on each (a 1 GB log has 60 million; a call of {@link TextLines#next} and
     * {@link #line} each took about as long as the frame). Any other line ends the loop: {@link #line} reads it.
     */
    private void frameRun(TextLines lines) {
        long offset = lines.lineOffset(); // -1 for a transcoded or cut line: those go line by line
        if (collecting < 0 || offset < 0) {
            return;
        }
        byte[] b = lines.bytes();
        long base = offset - lines.start(); // the file offset of b[0]
        int p = lines.aheadStart();
        int limit = lines.aheadEnd();
        long n = lines.number();
        int count = 0;
        int first = p;
        int lastStart = -1;
        int lastNewline = -1;
        int lastEnd = -1;
        // indexed: the stack's codes kept in locals for the run (fields written once after it), as addCode would
        long[] buffer = codeBuffer;
        int coded = codeCount;
        while (p < limit && b[p] == '\t') {
            int q = p + 1;
            long address = 0;
            int d;
            if (q + 8 <= limit) {
                long w = Swar.word(b, q);
                if (Swar.allHex8(w)) { // the first eight digits at once; a longer address goes on below
                    address = Swar.hex8(w);
                    q += 8;
                }
            }
            while (q < limit && (d = Cursor.hexDigit(b[q])) >= 0) {
                address = address << 4 | d;
                q++;
            }
            int newline = q < limit && b[q] == '\r' ? q + 1 : q;
            if (q == p + 1 || q - p - 1 > 16 || newline >= limit || b[newline] != '\n') {
                break;
            }
            count++;
            if (codes != null) {
                long code = addressCode(address);
                if (coded < buffer.length && coded < UmdhOptions.MAX_FRAMES) {
                    buffer[coded++] = code;
                } else { // a longer stack than the buffer holds, or one past MAX_FRAMES: the general path
                    codeCount = coded;
                    addCode(code, n + count);
                    coded = codeCount;
                    buffer = codeBuffer;
                }
            } else {
                pendAddress(address, n + count);
            }
            lastStart = p;
            lastEnd = q;
            lastNewline = newline;
            p = newline + 1;
        }
        if (count > 0) {
            if (codes != null) {
                codeCount = coded;
                if (segmentFrom < 0) {
                    segmentFrom = base + first;
                }
                segmentTo = base + lastEnd;
            }
            lines.advance(count, lastStart, lastNewline);
        }
    }

    /** Extends the byte range of the stack being read over this line (indexed reading). */
    private void noteStackLine(TextLines lines) {
        long at = lines.lineOffset();
        if (at < 0) {
            notIndexable("a transcoded (" + lines.encoding() + ") or over-long line");
            return;
        }
        if (segmentFrom < 0) {
            segmentFrom = at;
        }
        segmentTo = at + lines.length();
    }

    /** Indexed reading meets something the index does not keep: the caller reads the log whole instead. */
    private void notIndexable(String why) {
        if (codes != null && notIndexable == null) {
            notIndexable = why;
        }
    }

    /**
     * The first stack line after a record: collect it. UMDH prints a trace's stack the first time the trace
     * appears; should it print one again, the first read is kept ({@link #stackFound}).
     */
    private void startStack() {
        current = 0;
        collecting = 0;
        codeCount = 0;
        stackFrames.start();
        framesCut = false;
    }

    /** A stack read after a record of {@code trace} (TraceTotals tells once the record is added). */
    private void stackFound(int trace, int stack) {
        int r = stack & (ringSize - 1);
        if (codes == null) {
            if (stackLength[trace] != 0) {
                return;
            }
            stackStart[trace] = ringStart[r];
            stackLength[trace] = ringLength[r];
        } else {
            if (stackText.get(trace) >= 0) {
                return;
            }
            stackKey.set(trace, ringKeyText[2 * r]);
            stackText.set(trace, ringKeyText[2 * r + 1]);
        }
        if (aliases > 0 && aliasOwners.containsKey(stack)) {
            aliasOwners.put(stack, trace);
        }
    }

    /**
     * A stack line {@code Alias} (seen in a real log of a 32-bit process on 64-bit Windows): the addresses after
     * it, to the next {@code Alias} or the blank line, are another stack stored under the same trace id, not
     * more frames of the first. The first stays the trace's stack; the others are kept beside it.
     */
    private void alias() {
        notIndexable("alias stacks");
        resolvePending();
        closeSegment();
        if (aliases == aliasTrace.length) {
            int n = Math.max(16, aliases * 2);
            aliasTrace = Arrays.copyOf(aliasTrace, n);
            aliasStart = Arrays.copyOf(aliasStart, n);
            aliasLength = Arrays.copyOf(aliasLength, n);
        }
        aliasTrace[aliases] = ownStack;
        aliasOwners.put(ownStack, -1);
        openAlias = aliases++;
        codeCount = 0;
        stackFrames.start();
        framesCut = false;
    }

    /** Ends the stack or alias stack being collected (only now is its place in stackFrames final). */
    private void closeSegment() {
        int len = codes != null ? codeCount : stackFrames.length();
        if (openAlias >= 0) {
            aliasStart[openAlias] = stackFrames.position();
            aliasLength[openAlias] = len;
            openAlias = -1;
        } else {
            int stack = stacksRead++ & Integer.MAX_VALUE;
            if (stack == growAt) {
                growRing(); // before the ring first wraps: each stack so far is at its own number
            }
            int r = stack & (ringSize - 1);
            if (codes != null) {
                keyStack(r, len);
            } else {
                ringStart[r] = stackFrames.position();
                ringLength[r] = (short) len;
            }
            totals.attachStack(stack);
            ownStack = stack;
        }
        segmentFrom = -1;
    }

    private void growRing() {
        ringSize *= 2;
        growAt = ringSize < RING ? ringSize : -1;
        if (codes != null) {
            ringKeyText = Arrays.copyOf(ringKeyText, 2 * ringSize);
        } else {
            ringStart = Arrays.copyOf(ringStart, ringSize);
            ringLength = Arrays.copyOf(ringLength, ringSize);
        }
    }

    /**
     * Keys the stack just read (its frames' codes are in codeBuffer) and notes where its
     * lines are: offset and length packed in one long (logs up to 1 TiB, stacks up to 16 MiB of text).
     */
    private void keyStack(int r, int len) {
        ringKeyText[2 * r + 1] = -1;
        if (len == 0) {
            return;
        }
        long length = segmentTo - segmentFrom;
        if (segmentFrom < 0 || segmentFrom >= 1L << 40 || length >= 1 << 24) {
            notIndexable("a stack past 1 TiB or longer than 16 MiB");
            return;
        }
        ringKeyText[2 * r + 1] = segmentFrom << 24 | length;
        ringKeyText[2 * r] = FrameCodes.fingerprint(codeBuffer, len);
    }

    /** The code of a frame number, asked once per distinct frame. */
    private long code(int number) {
        if (number >= frameCodes.length) {
            frameCodes = Arrays.copyOf(frameCodes, Math.max(number + 1, frameCodes.length * 2));
        }
        long k = frameCodes[number];
        if (k == 0) {
            k = codes.code(frames.frame(number, moduleCodes().modules()));
            frameCodes[number] = k;
        }
        return k;
    }

    private void addFrame(int frame, long n) {
        if (codes != null) {
            addCode(code(frame), n);
            return;
        }
        if (cutAt(stackFrames.length(), n)) {
            return;
        }
        stackFrames.add(frame);
    }

    /** True when a stack already has MAX_FRAMES frames (said once per stack): the frame on line n is dropped. */
    private boolean cutAt(int frames, long n) {
        if (frames < UmdhOptions.MAX_FRAMES) {
            return false;
        }
        if (!framesCut) {
            framesCut = true;
            problems.line(n, "at most " + UmdhOptions.MAX_FRAMES + " frames per stack",
                    "more (BackTrace" + idOf(lastKey) + "; the rest ignored)");
        }
        return true;
    }

    /** Indexed reading: the next frame's code (kept up to MAX_FRAMES, like the frames of a whole read). */
    private void addCode(long code, long n) {
        if (cutAt(codeCount, n)) {
            return;
        }
        if (codeCount == codeBuffer.length) {
            codeBuffer = Arrays.copyOf(codeBuffer, codeCount * 2);
        }
        codeBuffer[codeCount++] = code;
    }

    /**
     * The code of a raw address: computed from its module and offset, with no table lookup (a 1 GB log has 60
     * million frame lines); an address outside every module is numbered like a whole read numbers it.
     */
    private long addressCode(long address) {
        long code = moduleCodes().code(address);
        return code != 0 ? code : code(frames.address(address));
    }

    private ModuleOffsetCodes moduleCodes() {
        if (moduleCodes == null) {
            moduleCodes = new ModuleOffsetCodes(ModuleMap.of(header.modules()), codes);
        }
        return moduleCodes;
    }

    private final long[] pending = new long[UmdhOptions.MAX_FRAMES];
    private final long[] pendingLine = new long[UmdhOptions.MAX_FRAMES];
    private int pendingCount;
    /** Keeps the JIT from dropping the touch loop. */
    long sink;

    private void pendAddress(long address, long n) {
        if (pendingCount == pending.length) {
            resolvePending();
        }
        pending[pendingCount] = address;
        pendingLine[pendingCount++] = n;
    }

    /**
     * Numbers a stack's raw addresses. Each lookup lands on a random slot of a table bigger than the caches; the
     * first loop touches every slot with independent loads the CPU overlaps, so the second finds them cached
     * (a stack at a time instead of one miss after another).
     */
    private void resolvePending() {
        int n = pendingCount;
        if (n == 0) {
            return;
        }
        long touched = 0;
        for (int i = 0; i < n; i++) {
            touched += frames.touch(pending[i]);
        }
        sink = touched;
        for (int i = 0; i < n; i++) {
            addFrame(frames.address(pending[i]), pendingLine[i]);
        }
        pendingCount = 0;
    }

    private void endStack() {
        resolvePending();
        if (collecting >= 0) {
            closeSegment();
            collecting = -1;
        }
    }

    /** {@code SIZE bytes + OVERHEAD at ADDRESS by BackTraceID} or the summary form; false if neither. */
    private boolean record(byte[] b, int s, int e, long n, TextLines lines) {
        if (fastRecord(b, s, e, n)) {
            return true;
        }
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
        if (idEnd == idStart) {
            return malformedRecord(n, lines);
        }
        endStack();
        long key = key(b, idStart, idEnd);
        totals.add(key, size, count, overhead, n);
        lastKey = key;
        records++;
        sawUmdhShape = true;
        current = -2; // resolved to a trace number only if a stack line follows (once per trace)
        return true;
    }

    private long lastKey;

    private static final byte[] FAST_BYTES = Cursor.ascii(" bytes + ");
    private static final byte[] FAST_AT = Cursor.ascii(" at ");
    private static final byte[] FAST_BY = Cursor.ascii(" by BackTrace");

    /**
     * The shape umdh writes tens of millions of times, {@code 64 bytes + 1C at 2E9FA20 by BackTrace18D0A0D0}
     * with single blanks, parsed in one straight pass: the address is checked but not converted (nothing uses
     * it), the id is keyed by its raw bytes. False sends the line to the general parser, which also reports it.
     */
    private boolean fastRecord(byte[] b, int s, int e, long n) {
        int p = s;
        long size = 0;
        int d;
        while (p < e && (d = Cursor.hexDigit(b[p])) >= 0) {
            size = (size << 4) | d;
            p++;
        }
        if (p == s || p - s > 15 || !atWords(b, p, e, FAST_BYTES, FAST_BYTES_WORD)) {
            return false;
        }
        p += FAST_BYTES.length;
        int q = p;
        long overhead = 0;
        while (p < e && (d = Cursor.hexDigit(b[p])) >= 0) {
            overhead = (overhead << 4) | d;
            p++;
        }
        if (p == q || p - q > 15 || !at(b, p, e, FAST_AT)) {
            return false;
        }
        p += FAST_AT.length;
        q = p;
        while (p < e && Cursor.hexDigit(b[p]) >= 0) {
            p++;
        }
        if (p == q || p - q > 16 || !atWords(b, p, e, FAST_BY, FAST_BY_WORD)) {
            return false;
        }
        p += FAST_BY.length;
        int len = e - p;
        long key;
        if (len > 8) {
            key = hexKey(b, p, e);
            if (key == 0) {
                return false;
            }
        } else {
            if (len < 1 || p + 8 > b.length) {
                return false;
            }
            long raw = Swar.word(b, p);
            key = len == 8 ? raw : raw & ((1L << (len << 3)) - 1);
            if ((key & 0x8080808080808080L) != 0 || hasByte(key, 0x20) || hasByte(key, 0x09)
                    || hasByte(key, 0x0D)) {
                return false; // non-ASCII, or a blank inside (damage): the general parser decides
            }
            if (hasZeroWithin(key, len)) {
                return false;
            }
        }
        endStack();
        totals.add(key, size, 1, overhead, n);
        lastKey = key;
        records++;
        sawUmdhShape = true;
        current = -2;
        return true;
    }

    /** Marks a {@link #hexKey}: the sign and bit 62 set. */
    static final long HEX_KEY = Long.MIN_VALUE | 1L << 62;
    /** A {@link #hexKey}'s bit for lower-case letters. */
    static final long LOWER_CASE = 1L << 61;

    /**
     * The key of a hex id of 9 to 14 digits in one case ({@code 1000009E3A}): the sign and bit 62 set (never a byte
     * key or a numbered text id), bit 61 for lower-case letters, the length less 9 in bits 57-59, the value in
     * bits 0-55; 0 when the id is not such. Spelled back by {@link UmdhTraces#spell}. Here, not there: a call into
     * a class whose entry this class's constant pool has not resolved yet compiles as a trap, and the first long id
     * (past a million records into a 1 GB log) threw fastRecord's compiled code away.
     */
    static long hexKey(byte[] b, int s, int e) {
        int len = e - s;
        if (len < 9 || len > 14) {
            return 0;
        }
        // the first eight digits as one word (a 1 GB log of 3 million stacks has 9.4 million such ids: the byte
        // loop was 4% of its reading time); a letter has bit 6 set, a lower-case one bit 5 as well
        long w = Swar.word(b, s);
        if (!Swar.allHex8(w)) {
            return 0;
        }
        long v = Swar.hex8(w);
        long letters = w & 0x4040_4040_4040_4040L;
        boolean lower = (letters & w << 1) != 0;
        boolean upper = (letters & ~(w << 1)) != 0;
        for (int i = s + 8; i < e; i++) {
            int d = Cursor.hexDigit(b[i]);
            if (d < 0) {
                return 0;
            }
            upper |= b[i] >= 'A' && b[i] <= 'F';
            lower |= b[i] >= 'a' && b[i] <= 'f';
            v = v << 4 | d;
        }
        if (upper && lower) {
            return 0;
        }
        return HEX_KEY | (lower ? LOWER_CASE : 0) | (long) (len - 9) << 57 | v;
    }

    private static final long FAST_BYTES_WORD = Swar.word(FAST_BYTES, 0);
    private static final long FAST_BY_WORD = Swar.word(FAST_BY, 0);

    /** {@link #at} for a literal of 8 bytes or more: its first 8 bytes compared as one word (tens of millions). */
    private static boolean atWords(byte[] b, int p, int e, byte[] lit, long firstWord) {
        if (e - p < lit.length || Swar.word(b, p) != firstWord) {
            return false;
        }
        for (int i = 8; i < lit.length; i++) {
            if (b[p + i] != lit[i]) {
                return false;
            }
        }
        return true;
    }

    static boolean at(byte[] b, int p, int e, byte[] lit) {
        if (e - p < lit.length) {
            return false;
        }
        for (int i = 0; i < lit.length; i++) {
            if (b[p + i] != lit[i]) {
                return false;
            }
        }
        return true;
    }

    /** True when some byte of x equals c (c != 0; zero padding bytes never match). */
    private static boolean hasByte(long x, int c) {
        return Swar.hasZeroByte(x ^ (0x0101010101010101L * c));
    }

    /**
     * True when one of the first len bytes (1-8) is NUL: the bytes past them set to 0xFF, then the word tested for
     * a zero byte at once (a byte loop per record was 8 steps for the usual 8-digit id, 20 million times a log).
     */
    static boolean hasZeroWithin(long x, int len) {
        return Swar.hasZeroByte(len == 8 ? x : x | -1L << (len << 3));
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

    private final List<String> textIds = new ArrayList<>();

    /**
     * The table key for an id. Ids are opaque tokens ({@code 00053}, {@code 3965308}, {@code F9A156DA}), so no
     * String is made per record and the id can be spelled back exactly: ids of up to 8 bytes are their bytes;
     * hex ids of 9 to 14 digits (a process with more than 2^32 ids' worth of trace database) are encoded as value,
     * length and letter case ({@link #hexKey}); other ids get a number through a map.
     */
    private long key(byte[] b, int s, int e) {
        int len = e - s;
        if (len >= 1 && len <= 8) {
            long key = 0;
            boolean ok = true;
            for (int i = len - 1; i >= 0; i--) {
                byte c = b[s + i];
                ok &= c > 0 && c != ' ' && c != '\t' && c != '\r';
                key = (key << 8) | (c & 0xff);
            }
            if (ok) {
                return key; // the same key fastRecord makes: the id's bytes, little-endian
            }
        }
        long hex = hexKey(b, s, e);
        if (hex != 0) {
            return hex;
        }
        String id = TextLines.decode(b, s, e, ansi);
        Long k = textKeys.get(id);
        if (k == null) {
            textIds.add(id);
            k = Long.MIN_VALUE | textIds.size(); // top bit: never an ASCII byte key; bit 62 clear: no hex key
            textKeys.put(id, k);
        }
        return k;
    }

    private String idOf(long key) {
        return UmdhTraces.spell(key, textIds);
    }

    private int newTrace(long line) {
        if (codes == null && traces == stackStart.length) {
            int n = traces + (traces >> 1);
            stackLength = Arrays.copyOf(stackLength, n);
            stackStart = Arrays.copyOf(stackStart, n);
        }
        firstLine.set(traces, line);
        if (codes == null) {
            stackStart[traces] = -1;
        } else {
            stackText.set(traces, -1);
        }
        return traces++;
    }

    /**
     * Traces are made as TraceTotals adds its buffered records, partition by partition: read whole, they are
     * renumbered in the order their ids first appear in the log (a snapshot's traces, and which of several traces
     * sharing a stack represents it, must not depend on hashing). Returns old trace number by new, or null when
     * already so; the stack columns are put in that order here and the sums by the caller.
     */
    private int[] numberByFirstAppearance() {
        int[] order = TraceOrder.of(firstLine, traces);
        if (order == null) {
            return null;
        }
        int[] ss = new int[traces];
        short[] sl = new short[traces];
        for (int i = 0; i < traces; i++) {
            ss[i] = stackStart[order[i]];
            sl[i] = stackLength[order[i]];
        }
        stackStart = ss;
        stackLength = sl;
        return order;
    }

    private UmdhSnapshotLog finish(String encoding, Path path) {
        totals.flushAll(); // may create traces: before anything is sized by the trace count
        traceKeys = new LongColumn();
        TraceSums sums = totals.sumsByTrace(traces, traceKeys);
        UmdhHeader h = header.header();
        ModuleMap modules = ModuleMap.of(header.modules());
        String processName = header.modules().isEmpty() ? null : header.modules().get(0).name();
        if (codes != null) {
            if (moduleCodes != null && !moduleCodes.modules().modules().equals(modules.modules())) {
                notIndexable("module lines after the first stack");
            }
            if (frames.hasAmbiguousAddresses()) {
                notIndexable("addresses differing only in bit 63");
            }
            // numbered as made, not renumbered: firstLine orders them (a log of 3 million traces took 60 MB and
            // 180-200 ms more to renumber, and each lookup by number one more random load)
            UmdhTraces index = new UmdhTraces(path, modules, ansi, traces, firstLine, traceKeys,
                    List.copyOf(textIds), sums, stackKey, stackText, notIndexable);
            Snapshot snap = new Snapshot(source, h.processId(), processName,
                    h.logTime() == null ? null : h.logTime().toInstant(ZoneOffset.UTC), modules, List.of(), List.of(),
                    problems.list());
            return new UmdhSnapshotLog(snap, h, heaps, records, encoding, frames.hasSymbolicFrames(), index);
        }
        int[] order = numberByFirstAppearance();
        firstLine = null;
        if (order != null) {
            sums = sums.reordered(order);
        }
        long[] ids = traceKeys.toArray(traces, order);
        traceKeys = null;
        Frame[] frameTable = frames.build(modules);
        int[] newNumber = new int[order == null ? 0 : traces];
        for (int i = 0; i < newNumber.length; i++) {
            newNumber[order[i]] = i;
        }
        Map<Integer, List<List<Frame>>> aliasesOf = new HashMap<>();
        for (int k = 0; k < aliases; k++) {
            int owner = aliasOwners.get(aliasTrace[k]); // -1: a stack printed again, dropped with its aliases
            if (aliasLength[k] > 0 && owner >= 0) {
                aliasesOf.computeIfAbsent(order == null ? owner : newNumber[owner], x -> new ArrayList<>())
                        .add(frames(frameTable, aliasStart[k], aliasLength[k]));
            }
        }
        List<BacktraceAggregate> aggregates = new ArrayList<>(traces);
        for (int t = 0; t < traces; t++) {
            List<Frame> fs = frames(frameTable, stackStart[t], stackLength[t]);
            Backtrace bt = new Backtrace(idOf(ids[t]), fs, aliasesOf.getOrDefault(t, List.of()));
            aggregates.add(new BacktraceAggregate(bt, ResourceKind.HEAP_BLOCK, sums.bytes(t), sums.count(t),
                    sums.overhead(t)));
        }
        Snapshot snap = new Snapshot(source, h.processId(), processName,
                h.logTime() == null ? null : h.logTime().toInstant(ZoneOffset.UTC), modules, List.of(), aggregates,
                problems.list());
        return new UmdhSnapshotLog(snap, h, heaps, records, encoding, frames.hasSymbolicFrames(), null);
    }

    /** A stack's frames, as a view on stackFrames: no array of references per stack. */
    private List<Frame> frames(Frame[] frameTable, int position, int len) {
        return len == 0 ? List.of()
                : new IndexedFrames(frameTable, stackFrames.chunk(position), StackFrames.offset(position), len);
    }

    static LocalDateTime parseLogTime(String t) {
        try {
            return LocalDateTime.parse(t.strip().replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
