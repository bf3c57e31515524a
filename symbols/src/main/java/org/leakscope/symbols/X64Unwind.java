package org.leakscope.symbols;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.leakscope.model.Hex;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.Problem;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * The x64 unwind data of a PE image: the exception directory's RUNTIME_FUNCTION entries (.pdata), read when
 * opened into three int arrays, and the UNWIND_INFO records they point at (.xdata), read and decoded on demand
 * (through {@code pe_symbols.ksy}) and cached. The image is a program file ({@link #open(Path)}) or, for a module
 * whose file is not at hand, the image a dump captured ({@link #open(LoadedImage, long)}): the same records,
 * read by RVA, where pages the dump left out read as absent and end that lookup. The stack walker asks {@link #at(long)} for the program in effect
 * at an address; {@code dumpsyms} asks {@link #stackCfi()} for Breakpad STACK CFI records.
 *
 * <p>Damage does not stop the rest: an exception directory outside the file's sections leaves no entries; an
 * unreadable UNWIND_INFO (past its section, a version other than 1 or 2, an unknown operation, slots that end
 * inside an operation), a chain that loops back (real files contain such loops) or goes deeper than
 * {@link #MAX_CHAIN} drops that one entry; each is recorded once in {@link #problems()} with its file offset.
 * Headers that are not a PE image's are an {@link InputFormatException} from {@link #open(Path, Limits)}.
 * Images of other machines have no entries (ARM64's .pdata has another layout; x86 has none).
 */
public final class X64Unwind implements AutoCloseable {
    /** Chained UNWIND_INFO records followed before giving up; compilers chain one or two levels. */
    public static final int MAX_CHAIN = 32;
    private static final int RUNTIME_FUNCTION = 12;
    /** Header, 255 slots and padding, and a chained entry: no UNWIND_INFO needs more before its handler data. */
    private static final int MAX_UNWIND_INFO = 4 + 256 * 2 + RUNTIME_FUNCTION;
    /** .pdata is read in pieces of this many entries (a page of a loaded image), never as one array sized by the
     * directory: the arrays grow with what was read. */
    private static final int CHUNK = 4096 / RUNTIME_FUNCTION;

    private final String source;
    private final UnwindImage headers;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<Long> reported = new HashSet<>();
    private final Map<Long, Object> infos = new HashMap<>(); // RVA -> X64UnwindInfo or InputFormatException
    private int[] begins = new int[0];
    private int[] ends = new int[0];
    private int[] unwinds = new int[0];
    /** Each entry's file offset in .pdata, for error positions. */
    private long[] entryAt = new long[0];

    private X64Unwind(UnwindImage headers) {
        this.source = headers.source();
        this.headers = headers;
    }

    public static X64Unwind open(Path path) throws IOException {
        return open(path, Limits.DEFAULT);
    }

    /** Reads the headers and the RUNTIME_FUNCTION table; the file stays open for the UNWIND_INFO records. */
    public static X64Unwind open(Path path, Limits limits) throws IOException {
        return open(UnwindImage.file(path, limits));
    }

    /**
     * Reads the headers of an image a dump captured (from its RVA 0) and its RUNTIME_FUNCTION table, as far as
     * the dump holds them: pieces of the table it left out are skipped and recorded in {@link #problems()}.
     * Headers that are not a PE32+ image's, or that the dump did not capture, are an
     * {@link InputFormatException} (positions in it are RVAs). Reads stay below {@code moduleSize} (the module
     * list's size) and the image's SizeOfImage; the caller compares {@link #sizeOfImage()} and
     * {@link #timeDateStamp()} with the module list.
     */
    public static X64Unwind open(LoadedImage image, long moduleSize) throws IOException {
        return open(UnwindImage.loaded(image, moduleSize));
    }

    private static X64Unwind open(UnwindImage image) throws IOException {
        try {
            X64Unwind u = new X64Unwind(image);
            if (image.machine() == PeImageInfo.MACHINE_AMD64 && image.exceptionLen() != 0) {
                try {
                    u.readRuntimeFunctions();
                } catch (InputFormatException e) {
                    u.problem(e); // a .pdata cut off by a truncated file: no unwind data, the headers still serve
                }
            }
            return u;
        } catch (IOException | RuntimeException e) {
            image.close();
            throw e;
        }
    }

    /** The COFF header's Machine (0x8664 for x64: other machines have no entries here). */
    public int machine() {
        return headers.machine();
    }

    /** The COFF header's TimeDateStamp, unsigned: with {@link #sizeOfImage()}, what a module list records. */
    public long timeDateStamp() {
        return headers.timeDateStamp();
    }

    /** The optional header's SizeOfImage. */
    public long sizeOfImage() {
        return headers.sizeOfImage();
    }

    private void readRuntimeFunctions() throws IOException {
        long rva = headers.exceptionRva();
        long len = headers.exceptionLen();
        long count = len / RUNTIME_FUNCTION;
        long at = headers.position(rva, count * RUNTIME_FUNCTION);
        if (at < 0) {
            problem(InputFormatException.atOffset(source, headers.exceptionFieldAt(), "the exception directory ("
                    + len + " bytes at RVA " + Hex.of(rva) + ") inside a section's file data", "it is not (no unwind"
                    + " data read)"));
            return;
        }
        if (len % RUNTIME_FUNCTION != 0) {
            problem(InputFormatException.atOffset(source, headers.exceptionFieldAt(), "an exception directory of"
                    + " whole 12-byte entries", len + " bytes (the last " + len % RUNTIME_FUNCTION + " ignored)"));
        }
        // count <= the section's raw size / 12 (or SizeOfImage / 12): still, the arrays grow only with the entries
        // read, so a loaded image's directory that claims much and holds little allocates little
        int n = (int) count;
        int cap = Math.min(n, CHUNK);
        int[] b = new int[cap];
        int[] e = new int[cap];
        int[] u = new int[cap];
        long[] where = new long[cap];
        int kept = 0;
        int inverted = 0;
        long firstInverted = -1;
        long missing = 0;
        long firstMissing = -1;
        for (int start = 0, pieces; start < n; start += pieces) {
            pieces = Math.min(CHUNK, n - start);
            long pieceAt = at + (long) start * RUNTIME_FUNCTION;
            byte[] bytes = headers.read(pieceAt, (long) pieces * RUNTIME_FUNCTION, "the exception directory");
            if (bytes == null) {
                // not captured by the dump: these functions have no unwind data here; go on where it has more
                if (missing == 0) {
                    firstMissing = pieceAt;
                }
                long next = headers.nextReadable(pieceAt + 1);
                long skipTo = next < 0 ? n : Math.max(start + 1, Math.min(n, (next - at) / RUNTIME_FUNCTION));
                missing += skipTo - start;
                pieces = (int) (skipTo - start);
                continue;
            }
            if (kept + pieces > b.length) {
                cap = (int) Math.min(n, Math.max((long) kept + pieces, 2L * b.length));
                b = Arrays.copyOf(b, cap);
                e = Arrays.copyOf(e, cap);
                u = Arrays.copyOf(u, cap);
                where = Arrays.copyOf(where, cap);
            }
            for (int i = 0; i < pieces; i++) {
                PeSymbols.RuntimeFunction f = FileRange.parse(source, bytes, (long) i * RUNTIME_FUNCTION,
                        pieceAt + (long) i * RUNTIME_FUNCTION, "a RUNTIME_FUNCTION", "a RUNTIME_FUNCTION",
                        PeSymbols.RuntimeFunction::new);
                if (f.rvaBegin() == 0 && f.rvaEnd() == 0 && f.rvaUnwindInfo() == 0) {
                    continue; // zeroed-out entries pad some exception directories
                }
                if (f.rvaEnd() == f.rvaBegin()) {
                    continue; // empty: covers no address (Wine's jscript.dll, linked by lld, has two)
                }
                if (f.rvaEnd() < f.rvaBegin()) {
                    if (inverted++ == 0) {
                        firstInverted = pieceAt + (long) i * RUNTIME_FUNCTION;
                    }
                    continue;
                }
                b[kept] = (int) f.rvaBegin();
                e[kept] = (int) f.rvaEnd();
                u[kept] = (int) f.rvaUnwindInfo();
                where[kept] = pieceAt + (long) i * RUNTIME_FUNCTION;
                kept++;
            }
        }
        if (inverted > 0) {
            problem(InputFormatException.atOffset(source, firstInverted, "RUNTIME_FUNCTION entries that end after"
                    + " they begin", inverted + " that do not (skipped)"));
        }
        if (missing > 0) {
            problem(InputFormatException.atOffset(source, firstMissing, "the whole exception directory in the dump's"
                    + " memory", missing + " of its " + n + " entries not captured (skipped)"));
        }
        begins = Arrays.copyOf(b, kept);
        ends = Arrays.copyOf(e, kept);
        unwinds = Arrays.copyOf(u, kept);
        entryAt = Arrays.copyOf(where, kept);
        sortIfNeeded();
    }

    /** The table must be sorted for the lookup; a linker always sorts it, a damaged file may not be. */
    private void sortIfNeeded() {
        for (int i = 1; i < begins.length; i++) {
            if (Integer.compareUnsigned(begins[i - 1], begins[i]) > 0) {
                Integer[] order = new Integer[begins.length];
                for (int k = 0; k < order.length; k++) {
                    order[k] = k;
                }
                Arrays.sort(order, (x, y) -> Integer.compareUnsigned(begins[x], begins[y]));
                int[] b = new int[order.length];
                int[] e = new int[order.length];
                int[] u = new int[order.length];
                long[] w = new long[order.length];
                for (int k = 0; k < order.length; k++) {
                    b[k] = begins[order[k]];
                    e[k] = ends[order[k]];
                    u[k] = unwinds[order[k]];
                    w[k] = entryAt[order[k]];
                }
                begins = b;
                ends = e;
                unwinds = u;
                entryAt = w;
                return;
            }
        }
    }

    /** How many RUNTIME_FUNCTION entries the image has (zeroed, empty and inverted ones not counted). */
    public int functions() {
        return begins.length;
    }

    /** The {@code i}-th entry by ascending start RVA. */
    public X64RuntimeFunction function(int i) {
        return new X64RuntimeFunction(Integer.toUnsignedLong(begins[i]), Integer.toUnsignedLong(ends[i]),
                Integer.toUnsignedLong(unwinds[i]));
    }

    /**
     * The rules of the function covering {@code rva} after its prolog, as Breakpad STACK CFI text
     * ({@code .cfa: $rsp 40 + .ra: .cfa -8 + ^}), for a stack walker; empty where {@link #at} is.
     */
    public Optional<String> stackCfiRulesAt(long rva) {
        return at(rva).map(X64StackCfi::rules);
    }

    /**
     * The unwind program for {@code rva} (an address minus the module's base): empty when no entry covers it
     * (a leaf function, which keeps RSP at its return address, or code without unwind data) or when that entry's
     * unwind information is damaged (then recorded in {@link #problems()}).
     */
    public Optional<X64UnwindProgram> at(long rva) {
        int lo = 0;
        int hi = begins.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Integer.toUnsignedLong(begins[mid]) <= rva) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0 || rva >= Integer.toUnsignedLong(ends[found])) {
            return Optional.empty();
        }
        try {
            return Optional.of(program(function(found), entryAt[found] + 8, true));
        } catch (InputFormatException e) {
            problemOnce(function(found).begin(), e);
            return Optional.empty();
        } catch (IOException e) {
            problemOnce(function(found).begin(), InputFormatException.atOffset(source, 0, "a readable file",
                    e.toString()));
            return Optional.empty();
        }
    }

    /**
     * The entry's program: its UNWIND_INFO, then each chained one. {@code refAt} is the file offset of the
     * field that points at the next record (the entry's, then each chaining record's), for error positions.
     */
    private X64UnwindProgram program(X64RuntimeFunction f, long refAt, boolean cache) throws IOException {
        List<X64UnwindInfo> chain = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long rva = f.unwindRva();
        while (true) {
            if (!seen.add(rva)) {
                throw InputFormatException.atOffset(source, refAt, "a chain of unwind information that ends"
                        + " (function at RVA " + Hex.of(f.begin()) + ")", "a loop back to RVA " + Hex.of(rva));
            }
            if (seen.size() > MAX_CHAIN) {
                throw InputFormatException.atOffset(source, refAt, "at most " + MAX_CHAIN + " chained unwind"
                        + " records (function at RVA " + Hex.of(f.begin()) + ")", "more");
            }
            if ((rva & 1) != 0) {
                // RUNTIME_FUNCTION_INDIRECT: the entry shares the unwind information of another entry at rva - 1
                long entry = rva - 1;
                rva = indirect(entry, refAt).unwindRva();
                refAt = headers.position(entry, RUNTIME_FUNCTION) + 8;
                continue;
            }
            X64UnwindInfo info = info(rva, refAt, cache);
            chain.add(info);
            if (info.chained() == null) {
                return new X64UnwindProgram(f, chain);
            }
            refAt = headers.position(rva, 4);
            rva = info.chained().unwindRva();
        }
    }

    private X64RuntimeFunction indirect(long rva, long refAt) throws IOException {
        long at = headers.position(rva, RUNTIME_FUNCTION);
        byte[] bytes = at < 0 ? null : headers.read(at, RUNTIME_FUNCTION, "a RUNTIME_FUNCTION");
        if (bytes == null) {
            throw InputFormatException.atOffset(source, refAt, "an indirect RUNTIME_FUNCTION at RVA " + Hex.of(rva)
                    + " inside a section's file data (or captured by the dump)", "it is not");
        }
        PeSymbols.RuntimeFunction r = FileRange.parse(source, bytes, 0, at, "a RUNTIME_FUNCTION",
                "a RUNTIME_FUNCTION", PeSymbols.RuntimeFunction::new);
        return new X64RuntimeFunction(r.rvaBegin(), r.rvaEnd(), r.rvaUnwindInfo());
    }

    /**
     * The UNWIND_INFO at {@code rva}, decoded once when {@code cache} (the stack walker asks for the same
     * functions again and again; {@link #stackCfi} asks for each once and keeps nothing); {@code refAt} is where
     * the pointer to it is.
     */
    private X64UnwindInfo info(long rva, long refAt, boolean cache) throws IOException {
        Object cached = infos.get(rva);
        if (cached == null) {
            try {
                cached = X64UnwindDecoder.decode(source, rva, readInfo(rva, refAt));
            } catch (InputFormatException e) {
                cached = e;
            }
            if (cache) {
                infos.put(rva, cached);
            }
        }
        if (cached instanceof InputFormatException e) {
            throw e;
        }
        return (X64UnwindInfo) cached;
    }

    /** The bytes of an UNWIND_INFO: up to its largest size, cut at the end of its section's file data. */
    private X64UnwindDecoder.Bytes readInfo(long rva, long refAt) throws IOException {
        long at = headers.position(rva, 4);
        if (at < 0) {
            throw InputFormatException.atOffset(source, refAt, "unwind information at RVA " + Hex.of(rva)
                    + " inside a section's file data", "it is not");
        }
        byte[] bytes = headers.readUpTo(rva, MAX_UNWIND_INFO, "unwind information");
        if (bytes.length < 4) {
            throw InputFormatException.atOffset(source, at, "unwind information at RVA " + Hex.of(rva),
                    "the dump did not capture it");
        }
        return new X64UnwindDecoder.Bytes(bytes, at);
    }

    /**
     * One {@code STACK CFI INIT} record per entry, in ascending address order, as mozilla's dump_syms writes
     * them (see {@link X64UnwindProgram#stackCfiRules()}). Entries with damaged unwind information are left out
     * and counted in one problem.
     */
    public List<SymbolData.StackCfi> stackCfi() throws IOException {
        return stackCfi(false);
    }

    /**
     * With {@code prologSteps}, each INIT record has the rules at the entry's first byte and is followed by a
     * record at each prolog offset where they change: right inside prologs too, where dump_syms' INIT-only
     * records give the state after the prolog. After the prologs both are the same.
     */
    public List<SymbolData.StackCfi> stackCfi(boolean prologSteps) throws IOException {
        List<SymbolData.StackCfi> out = new ArrayList<>(begins.length);
        int damaged = 0;
        InputFormatException first = null;
        for (int i = 0; i < begins.length; i++) {
            X64RuntimeFunction f = function(i);
            try {
                out.addAll(X64StackCfi.records(program(f, entryAt[i] + 8, false), prologSteps));
            } catch (InputFormatException e) {
                if (damaged++ == 0) {
                    first = e;
                }
            }
        }
        if (damaged > 0) {
            problem(InputFormatException.atOffset(source, first.offset() == null ? 0 : first.offset(),
                    "readable unwind information for every function", damaged + " functions without (no STACK CFI"
                            + " for them); the first: expected " + first.expected() + ", found " + first.found()));
        }
        return out;
    }

    /** Damage skipped: the exception directory, RUNTIME_FUNCTION entries, unwind information. */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    private void problem(InputFormatException e) {
        problems.add(Problem.of(e));
    }

    private void problemOnce(long key, InputFormatException e) {
        if (reported.add(key)) {
            problem(e);
        }
    }

    @Override
    public void close() throws IOException {
        headers.close();
    }
}
