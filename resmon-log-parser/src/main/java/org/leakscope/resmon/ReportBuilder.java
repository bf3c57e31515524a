package org.leakscope.resmon;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.leakscope.model.Backtrace;
import org.leakscope.model.Frame;
import org.leakscope.model.Hex;
import org.leakscope.model.Resource;
import org.leakscope.model.ResourceKind;
import org.leakscope.model.SeededHash;
import org.leakscope.textio.Swar;

/**
 * Reads one resmon resource report line by line (shapes: docs/formats/resmon.md §5). Records are grouped by
 * call site as they are read, so a report listing a million blocks costs one entry per call site, not per
 * block.
 */
final class ReportBuilder {
    enum Result { CONSUMED, ENDED, NOT_MINE }

    private enum Section { NONE, RESMON_MEMORY, MEMORY, THREAD, SYNC, HANDLE, HISTOGRAM, TAIL }

    static final byte[] EXIT_HEADER = LineCursor.ascii("=========== CHECK UNRELEASED RESOU");
    private static final byte[] RESMON_MEMORY = LineCursor.ascii("resmon memory usage ");
    private static final byte[] MEMORY = LineCursor.ascii("memory usage ");
    private static final byte[] THREAD = LineCursor.ascii("thread usage ");
    private static final byte[] SYNC = LineCursor.ascii("sync object usage ");
    /** Leakscope's tracker adds descriptors (docs/formats/resmon.md, "Leakscope additions"). */
    private static final byte[] HANDLES = LineCursor.ascii("handle usage ");
    private static final byte[] HANDLE_RECORD = LineCursor.ascii("handle ");
    private static final byte[] TYPE = LineCursor.ascii(" type: ");
    private static final byte[] CONDITION = LineCursor.ascii("condition ");
    private static final byte[] RWLOCK = LineCursor.ascii("rwlock ");
    private static final byte[] DETAIL = LineCursor.ascii("allocations detail");
    private static final byte[] BASE = LineCursor.ascii("base ");
    private static final byte[] SIZE = LineCursor.ascii(" size ");
    private static final byte[] TAG = LineCursor.ascii(" tag ");
    private static final byte[] CREATED_BY = LineCursor.ascii("created by [");
    private static final byte[] RETURN_ADDRESS = LineCursor.ascii("returnAddress ");
    /** Leakscope's trackers: the whole recorded stack after {@code returnAddress} (docs/formats/resmon.md §9). */
    private static final byte[] STACK = LineCursor.ascii("stack ");
    private static final byte[] SPACE = LineCursor.ascii(" ");
    /** Frames a stack line may hold: the trackers write at most 16; another writer's longer one is refused. */
    static final int MAX_STACK = 64;
    private static final byte[] HANDLE = LineCursor.ascii("handle(ptr) ");
    private static final byte[] ID = LineCursor.ascii(" id ");
    private static final byte[] START_ADDRESS = LineCursor.ascii("start address ");
    private static final byte[] THREAD_TIME = LineCursor.ascii("thread create time ");
    private static final byte[] THREAD_EXIT = LineCursor.ascii("thread exit time ");
    private static final byte[] THREAD_CPU = LineCursor.ascii("thread [");
    private static final byte[] EVENT = LineCursor.ascii("event ");
    private static final byte[] MUTEX = LineCursor.ascii("mutex ");
    private static final byte[] SEMAPHORE = LineCursor.ascii("semaphore ");
    private static final byte[] RESOURCE = LineCursor.ascii("resource ");
    private static final byte[] SIZE_RANGE = LineCursor.ascii("| size range");
    private static final byte[] ROW = LineCursor.ascii("|0x");
    private static final byte[] NOT_ALL_FREE = LineCursor.ascii("error ... not all resources free");
    private static final byte[] ACTIVE = LineCursor.ascii(" active(not terminated)");
    private static final byte[] CANT_UNLOAD = LineCursor.ascii("error can");
    private static final byte[] OPEN_TYPE = LineCursor.ascii(" (");
    private static final byte[] ROW_UPPER = LineCursor.ascii(" - 0x");
    private static final byte[] BAR = LineCursor.ascii("|");
    private static final byte[] OPEN = LineCursor.ascii("(");
    private static final byte[] CLOSE = LineCursor.ascii(")");
    private static final byte[] THREAD_ID = LineCursor.ascii("thread ");

    /**
     * Records of one kind with one stack (null: the record had no stack line, its stack is its return address).
     * Addresses come from the log: hashed with a seed, so no log can make them all share a bin.
     */
    record SiteKey(ResourceKind kind, long returnAddress, long[] stack) {
        @Override
        public int hashCode() {
            int h = SeededHash.of(kind.ordinal(), returnAddress);
            if (stack != null) {
                for (long a : stack) {
                    h = SeededHash.of(h, a);
                }
            }
            return h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SiteKey k && k.kind == kind && k.returnAddress == returnAddress
                    && Arrays.equals(k.stack, stack);
        }
    }

    private static final class Site {
        long count;
        long bytes;
        final Set<String> types = new LinkedHashSet<>();
        final long firstLine;
        final boolean hasAddress;

        Site(long firstLine, boolean hasAddress) {
            this.firstLine = firstLine;
            this.hasAddress = hasAddress;
        }
    }

    private final boolean exit;
    private final boolean kernel;
    private final LogTime start;
    private final ResmonLogOptions options;
    private final ProblemSink problems;
    private Section section = Section.NONE;
    private long endLine;
    private Long resmonMemory;
    private Long memoryTotal;
    private Long threadTotal;
    private Long syncTotal;
    private Long handleTotal;
    private final Map<SiteKey, Site> sites = new HashMap<>();
    private final List<Resource> examples = new ArrayList<>();
    private long listed;
    private final List<HistogramBucket> histogram = new ArrayList<>();
    private int pointerDigits;
    private boolean notAllFree;
    private final List<Long> activeThreads = new ArrayList<>();
    private boolean blocked;
    private final SizeWrapCheck<Site> sizes = new SizeWrapCheck<>();
    private boolean memoryListEnded;
    private boolean histogramEnded;

    // the record being read
    private ResourceKind kind;
    private long address;
    private long size;
    private String type;
    // unboxed: an exit report lists a record per resource, each with these two lines
    private long creator;
    private boolean hasCreator;
    private long returnAddress;
    private boolean hasReturnAddress;
    private final long[] stack = new long[MAX_STACK];
    private int stackDepth;
    private long recordLine;

    interface ProblemSink {
        void problem(long line, String expected, String found);
    }

    ReportBuilder(boolean exit, boolean kernel, LogTime start, ResmonLogOptions options, ProblemSink problems) {
        this.exit = exit;
        this.kernel = kernel;
        this.start = start;
        this.options = options;
        this.problems = problems;
        this.endLine = start.line();
    }

    /** A report header that starts a report: the exit bracket or (on-demand) the first section header. */
    static boolean isExitHeader(LineCursor c) {
        return c.startsWith(EXIT_HEADER);
    }

    static boolean isOnDemandStart(LineCursor c) {
        LineCursor h = new LineCursor().reset(c.b, c.pos, c.end);
        return header(h) && h.lit(RESMON_MEMORY);
    }

    /** Skips the dashes and a blank of a {@code ---- name N ----} header; false when the line is not one. */
    private static boolean header(LineCursor c) {
        int p = c.pos;
        int dashes = 0;
        while (c.peek() == '-') {
            c.pos++;
            dashes++;
        }
        if (dashes >= 3 && c.peek() == ' ') {
            c.pos++;
            return true;
        }
        c.pos = p;
        return false;
    }

    Result line(LineCursor c, long n) {
        int p = c.pos;
        if (header(c)) {
            Section next = null;
            Long total = null;
            if (c.lit(RESMON_MEMORY)) {
                next = Section.RESMON_MEMORY;
            } else if (c.lit(MEMORY)) {
                next = Section.MEMORY;
            } else if (c.lit(THREAD)) {
                next = Section.THREAD;
            } else if (c.lit(SYNC)) {
                next = Section.SYNC;
            } else if (c.lit(HANDLES)) {
                next = Section.HANDLE;
            } else if (c.lit(DETAIL)) {
                next = Section.HISTOGRAM;
            }
            if (next != Section.HISTOGRAM && next != null) {
                total = c.dec() ? c.value : null;
            }
            if (next == null || next != Section.HISTOGRAM && total == null) {
                c.pos = p;
                return unknown(c, n);
            }
            if (next == Section.RESMON_MEMORY && section != Section.NONE) {
                return Result.NOT_MINE; // a new report begins (the previous one was cut off)
            }
            flush();
            memoryListEnded |= section == Section.MEMORY;
            section = next;
            endLine = n;
            switch (next) {
                case RESMON_MEMORY -> resmonMemory = total;
                case MEMORY -> memoryTotal = total;
                case THREAD -> threadTotal = total;
                case SYNC -> syncTotal = total;
                case HANDLE -> handleTotal = total;
                default -> { }
            }
            return Result.CONSUMED;
        }
        if (c.onlyDashes()) {
            flush();
            endLine = n;
            if (section == Section.HISTOGRAM) {
                histogramEnded = true;
                section = Section.TAIL;
                return exit ? Result.CONSUMED : Result.ENDED;
            }
            return Result.CONSUMED;
        }
        if (c.only('=')) {
            flush();
            endLine = n;
            return exit ? Result.ENDED : Result.NOT_MINE;
        }
        Result r = switch (section) {
            case MEMORY -> memoryLine(c, n);
            case THREAD -> threadLine(c, n);
            case SYNC -> syncLine(c, n);
            case HANDLE -> handleLine(c, n);
            case HISTOGRAM -> histogramLine(c, n);
            case TAIL -> tailLine(c, n);
            default -> null;
        };
        if (r == null) {
            return unknown(c, n);
        }
        endLine = n;
        return r;
    }

    private Result unknown(LineCursor c, long n) {
        if (isExitHeader(c) || periodic(c)) {
            return Result.NOT_MINE;
        }
        problems.problem(n, "a line of a resmon report (" + section.name().toLowerCase(java.util.Locale.ROOT)
                + " section)", c.excerpt());
        endLine = n;
        return Result.CONSUMED;
    }

    private static boolean periodic(LineCursor c) {
        return c.startsWith(RunBuilder.THREADS_USED) || c.startsWith(RunBuilder.UPDATE)
                || c.startsWith(RunBuilder.ALL_THREADS) || c.startsWith(RunBuilder.PROCESS)
                || c.startsWith(RunBuilder.MONITORING);
    }

    private Result memoryLine(LineCursor c, long n) {
        if (c.lit(BASE)) {
            flush();
            if (!(c.hex0x() && width(c) && setAddress(c.value) && c.lit(SIZE) && c.dec())) {
                return null;
            }
            long sz = c.value;
            if (!(c.lit(TAG) && c.hex() && c.lit(OPEN_TYPE))) {
                return null;
            }
            int close = c.end - 1;
            if (close < c.pos || c.b[close] != ')') {
                return null;
            }
            String t = typeName(c.b, c.pos, close);
            begin(t.contains("Pool") || kernel && !t.equals("Heap") ? ResourceKind.POOL_BLOCK : ResourceKind.HEAP_BLOCK,
                    address, n);
            size = sz;
            type = t;
            return Result.CONSUMED;
        }
        return common(c, n);
    }

    private final byte[][] typeBytes = new byte[8][];
    private final String[] types = new String[8];
    private int nextType;

    /**
     * The type in parentheses. The same few names repeat for every block, interleaved (Heap, Malloc, Calloc,
     * Virtual), so the last eight are reused: with the last one only, nearly every block made a string.
     */
    private String typeName(byte[] b, int s, int e) {
        for (int i = 0; i < typeBytes.length; i++) {
            byte[] t = typeBytes[i];
            if (t != null && t.length == e - s && Swar.startsWith(b, s, e, t)) {
                return types[i];
            }
        }
        int i = nextType;
        nextType = (i + 1) % typeBytes.length;
        typeBytes[i] = Arrays.copyOfRange(b, s, e);
        types[i] = new String(typeBytes[i], java.nio.charset.StandardCharsets.ISO_8859_1);
        return types[i];
    }

    private boolean setAddress(long v) {
        address = v;
        return true;
    }

    private boolean width(LineCursor c) {
        if (c.digits == 8 || c.digits == 16) {
            pointerDigits = Math.max(pointerDigits, c.digits);
        }
        return true;
    }

    private Result threadLine(LineCursor c, long n) {
        if (c.lit(HANDLE)) {
            flush();
            if (!(c.hex0x() && width(c))) {
                return null;
            }
            begin(ResourceKind.THREAD, c.value, n);
            type = "thread";
            return c.lit(ID) && c.dec() ? Result.CONSUMED : null;
        }
        if (kind == ResourceKind.THREAD && c.lit(START_ADDRESS)) {
            if (!c.hex0x()) {
                return null;
            }
            // the start routine tells threads from one call site apart: it becomes the type
            type = "thread start 0x" + Hex.digits(c.value, Math.max(8, c.digits), true);
            return Result.CONSUMED;
        }
        if (kind == ResourceKind.THREAD && (c.lit(THREAD_TIME) || c.lit(THREAD_EXIT) || c.lit(THREAD_CPU))) {
            return Result.CONSUMED; // times and CPU of the last sample: in the log, not needed for the verdict
        }
        return common(c, n);
    }

    private Result syncLine(LineCursor c, long n) {
        String t = c.lit(EVENT) ? "event" : c.lit(MUTEX) ? "mutex" : c.lit(SEMAPHORE) ? "semaphore"
                : c.lit(RESOURCE) ? "resource" : c.lit(CONDITION) ? "condition" : c.lit(RWLOCK) ? "rwlock" : null;
        if (t != null) {
            flush();
            if (!(c.hex() && width(c))) {
                return null;
            }
            begin(ResourceKind.SYNC_OBJECT, c.value, n);
            type = t;
            return Result.CONSUMED;
        }
        return common(c, n);
    }

    /** {@code handle 0000000000000004 type: file}: a descriptor (Leakscope's tracker). */
    private Result handleLine(LineCursor c, long n) {
        if (c.lit(HANDLE_RECORD)) {
            flush();
            if (!(c.hex() && c.lit(TYPE)) || c.atEnd()) {
                return null;
            }
            long handle = c.value;
            begin(ResourceKind.FILE_DESCRIPTOR, handle, n);
            type = typeName(c.b, c.pos, c.end);
            return Result.CONSUMED;
        }
        return common(c, n);
    }

    /** {@code created by [TID] thread}, {@code returnAddress 0x...} and {@code stack ...}: the same in every list. */
    private Result common(LineCursor c, long n) {
        if (kind == null) {
            return null;
        }
        if (c.lit(CREATED_BY)) {
            if (!c.dec()) {
                return null;
            }
            creator = c.value;
            hasCreator = true;
            return Result.CONSUMED;
        }
        if (c.lit(RETURN_ADDRESS)) {
            if (!c.hex0x()) {
                return null;
            }
            width(c);
            returnAddress = c.value;
            hasReturnAddress = true;
            return Result.CONSUMED;
        }
        if (c.lit(STACK)) {
            if (!stackLine(c)) {
                stackDepth = 0; // the record keeps its return address
                problems.problem(n, "a stack line after returnAddress: 1 to " + MAX_STACK + " 0x-addresses separated"
                        + " by one space, the first the returnAddress", c.excerpt());
            }
            return Result.CONSUMED;
        }
        return null;
    }

    /** {@code stack 0x... 0x...}: every frame the tracker recorded, innermost first (the returnAddress again). */
    private boolean stackLine(LineCursor c) {
        if (!hasReturnAddress || stackDepth != 0) {
            return false;
        }
        while (true) {
            if (stackDepth == MAX_STACK || !c.hex0x()) {
                return false;
            }
            stack[stackDepth++] = c.value;
            if (c.atEnd()) {
                return stack[0] == returnAddress;
            }
            if (!c.lit(SPACE)) {
                return false;
            }
        }
    }

    private Result histogramLine(LineCursor c, long n) {
        if (c.lit(SIZE_RANGE)) {
            return Result.CONSUMED;
        }
        if (!c.lit(ROW) || !c.hex()) {
            return null;
        }
        long lower = c.value;
        if (!(c.lit(ROW_UPPER) && c.hex())) {
            return null;
        }
        long upper = c.value;
        if (!c.lit(BAR)) {
            return null;
        }
        c.spaces();
        if (!(c.hex0x() || c.hex())) {
            return null;
        }
        long hexCount = c.value;
        if (!(c.lit(OPEN) && c.dec() && c.lit(CLOSE) && c.atEnd())) {
            return null;
        }
        if (c.value != hexCount && (c.value & 0xFFFFFFFFL) != hexCount) {
            problems.problem(n, "the same count in hex and in parentheses", "0x" + Long.toHexString(hexCount)
                    + " and " + c.value + " (the decimal value is used)");
        }
        if (histogram.size() < 64) {
            histogram.add(new HistogramBucket(lower, upper, c.value));
        }
        return Result.CONSUMED;
    }

    private Result tailLine(LineCursor c, long n) {
        if (c.lit(NOT_ALL_FREE)) {
            notAllFree = true;
            return Result.CONSUMED;
        }
        if (c.lit(CANT_UNLOAD)) {
            blocked = true;
            return Result.CONSUMED;
        }
        if (c.lit(THREAD_ID) && c.hex() && c.lit(ACTIVE)) {
            if (activeThreads.size() < options.maxExamples()) {
                activeThreads.add(c.value);
            }
            return Result.CONSUMED;
        }
        return null;
    }

    private void begin(ResourceKind k, long addr, long n) {
        kind = k;
        address = addr;
        size = 0;
        type = null;
        hasCreator = false;
        hasReturnAddress = false;
        stackDepth = 0;
        recordLine = n;
    }

    /** Ends the record being read, if any, and adds it to its call site. */
    void flush() {
        if (kind == null) {
            return;
        }
        listed++;
        long[] frames = hasReturnAddress && stackDepth > 1 ? Arrays.copyOf(stack, stackDepth) : null;
        SiteKey key = new SiteKey(kind, hasReturnAddress ? returnAddress : -1, frames);
        Site s = sites.get(key);
        if (s == null) {
            if (sites.size() >= options.maxCallSites()) {
                key = new SiteKey(kind, -2, null);
                s = sites.computeIfAbsent(key, k -> new Site(recordLine, false));
            } else {
                s = new Site(recordLine, hasReturnAddress);
                sites.put(key, s);
            }
        }
        s.count++;
        s.bytes += size;
        if (kind == ResourceKind.HEAP_BLOCK || kind == ResourceKind.POOL_BLOCK) {
            sizes.block(s, size);
        }
        if (s.types.size() < 8) {
            s.types.add(type);
        }
        if (examples.size() < options.maxExamples()) {
            Backtrace bt = !hasReturnAddress ? new Backtrace(null, List.of())
                    : frames == null ? Backtrace.of(Frame.unresolved(returnAddress)) : Backtrace.of(unresolved(frames));
            examples.add(new Resource(kind, address, size, type, hasCreator ? creator : null, bt, null));
        }
        kind = null;
    }

    private static Frame[] unresolved(long[] frames) {
        Frame[] out = new Frame[frames.length];
        for (int i = 0; i < frames.length; i++) {
            out[i] = Frame.unresolved(frames[i]);
        }
        return out;
    }

    boolean exit() {
        return exit;
    }

    ResmonReport build(boolean complete) {
        flush();
        SizeWrap wrap = checkSizes();
        List<CallSite> out = new ArrayList<>(sites.size());
        for (Map.Entry<SiteKey, Site> e : sites.entrySet()) {
            Site s = e.getValue();
            out.add(new CallSite(e.getKey().kind(), s.hasAddress ? e.getKey().returnAddress() : null, s.count, s.bytes,
                    Set.copyOf(s.types), s.firstLine, stack(e.getKey(), s.hasAddress)));
        }
        out.sort(Comparator.comparingLong(CallSite::bytes).reversed().thenComparing(
                Comparator.comparingLong(CallSite::count).reversed()).thenComparingLong(CallSite::firstLine));
        return new ResmonReport(exit, complete, start, endLine, resmonMemory, memoryTotal, threadTotal, syncTotal,
                handleTotal, out,
                examples, listed, histogram, pointerDigits, notAllFree, activeThreads, blocked, wrap);
    }

    private static List<Long> stack(SiteKey k, boolean hasAddress) {
        if (!hasAddress) {
            return List.of();
        }
        if (k.stack() == null) {
            return List.of(k.returnAddress());
        }
        List<Long> out = new ArrayList<>(k.stack().length);
        for (long a : k.stack()) {
            out.add(a);
        }
        return List.copyOf(out);
    }

    /** Sizes resmon printed modulo 4 GiB: found, and corrected in the call sites and examples when settled. */
    private SizeWrap checkSizes() {
        SizeWrapCheck.Outcome<Site> o = sizes.check(memoryTotal, memoryListEnded, histogram,
                histogramEnded);
        if (o == null) {
            return null;
        }
        if (!o.wrap().corrected()) {
            return o.wrap();
        }
        List<SizeWrap.Fix> fixes = new ArrayList<>();
        for (Map.Entry<SiteKey, Site> e : sites.entrySet()) {
            Long added = o.added().get(e.getValue());
            if (added != null) {
                e.getValue().bytes += added;
                fixes.add(new SizeWrap.Fix(e.getValue().hasAddress ? e.getKey().returnAddress() : null, added));
            }
        }
        fixes.sort(Comparator.comparingLong(SizeWrap.Fix::addedBytes).reversed());
        examples.replaceAll(r -> r.kind() == ResourceKind.HEAP_BLOCK || r.kind() == ResourceKind.POOL_BLOCK
                ? new Resource(r.kind(), r.address(), sizes.corrected(r.size()), r.tag(), r.threadId(), r.backtrace(),
                        r.time()) : r);
        SizeWrap w = o.wrap();
        return new SizeWrap(w.listedBytes(), w.totalBytes(), w.wraps(), true, w.correctedBlocks(),
                fixes.subList(0, Math.min(20, fixes.size())), null);
    }
}
