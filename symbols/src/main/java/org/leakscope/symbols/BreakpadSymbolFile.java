package org.leakscope.symbols;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.leakscope.model.InlinedCall;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * One Breakpad {@code .sym} file, indexed on open and read lazily on lookup.
 *
 * @see <a href="https://chromium.googlesource.com/breakpad/breakpad/+/master/docs/symbol_files.md">symbol files</a>
 */
public final class BreakpadSymbolFile implements AutoCloseable {
    /** Lines longer than this are damage (real FUNC names reach a few KB with templates). */
    static final int MAX_LINE = 64 * 1024;
    /** Problems kept in detail; the rest are counted. */
    private static final int MAX_PROBLEMS = 50;

    private final String name;
    private final FileChannel channel;
    private final String os;
    private final String arch;
    private final String debugId;
    private final String moduleName;
    private String codeId;
    private final AddressIndex functions = new AddressIndex();
    private final AddressIndex publics = new AddressIndex();
    /** STACK CFI INIT records (their delta records follow them in the file) and STACK WIN records by type. */
    private final AddressIndex cfiInits = new AddressIndex();
    private final AddressIndex frameData = new AddressIndex();
    private final AddressIndex fpo = new AddressIndex();
    private final ByteBuffer mapped; // the file, for lookups; null where reads go through the channel
    private final Map<Long, Long> fileRecordOffsets = new HashMap<>();
    private final Map<Long, Long> originRecordOffsets = new HashMap<>();
    /**
     * FILE and INLINE_ORIGIN names read so far, by record: most lookups name a source file, and reading its record
     * again was a second read of the file per lookup (there are at most as many as the offsets kept above).
     */
    private final Map<Long, String> fileNames = new ConcurrentHashMap<>();
    private final Map<Long, String> originNames = new ConcurrentHashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private long damagedLines;

    private BreakpadSymbolFile(Path path, boolean map) throws IOException {
        this.name = path.toString();
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            LineReader lines = new LineReader(channel, 0, MAX_LINE);
            String first = lines.readLine();
            String[] module = first == null ? new String[0] : first.split(" ", 5);
            if (module.length < 5 || !module[0].equals("MODULE")) {
                throw InputFormatException.atLine(name, 1, "a Breakpad MODULE record ('MODULE os arch id name')",
                        first == null ? "an empty file" : "'" + shorten(first) + "'");
            }
            os = module[1];
            arch = module[2];
            debugId = module[3];
            moduleName = module[4];
            index(lines);
            mapped = map ? mapped(channel) : null;
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public static BreakpadSymbolFile open(Path path) throws IOException {
        return new BreakpadSymbolFile(path, true);
    }

    /** With {@code map} false, lookups read through the channel, as for a file past 2 GiB: for tests. */
    static BreakpadSymbolFile open(Path path, boolean map) throws IOException {
        return new BreakpadSymbolFile(path, map);
    }

    private void index(LineReader lines) {
        long lineNo = 1;
        String line;
        while ((line = lines.readLine()) != null) {
            lineNo++;
            if (lines.lastLineTooLong()) {
                damaged(lineNo, "a line of at most " + MAX_LINE + " bytes", "a longer line");
                continue;
            }
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (isLineRecord(line)) {
                    continue; // a line record: read on lookup, from the FUNC's offset
                } else if (line.startsWith("FUNC ")) {
                    String[] f = fields(line, "FUNC ");
                    functions.add(hex(f[0]), hex(f[1]), lines.lineStart);
                } else if (line.startsWith("PUBLIC ")) {
                    String[] f = fields(line, "PUBLIC ");
                    publics.add(hex(f[0]), 0, lines.lineStart);
                } else if (line.startsWith("INFO CODE_ID ")) {
                    String id = line.split(" ", 4)[2]; // INFO CODE_ID <code id> [<code file>]
                    codeId = id.isEmpty() ? null : id;
                } else if (line.startsWith("STACK CFI INIT ")) {
                    String[] f = line.split(" ", 6); // STACK CFI INIT address size rules
                    cfiInits.add(hex(f[3]), hex(f[4]), lines.lineStart);
                } else if (line.startsWith("STACK WIN ")) {
                    String[] f = line.split(" ", 6); // STACK WIN type rva codeSize ...
                    int type = Integer.parseInt(f[2], 16);
                    AddressIndex byType = type == 4 ? frameData : type == 0 ? fpo : null;
                    if (byType != null) {
                        byType.add(hex(f[3]), hex(f[4]), lines.lineStart);
                    }
                } else if (line.startsWith("FILE ")) {
                    String[] f = line.split(" ", 3);
                    fileRecordOffsets.put(Long.parseLong(f[1]), lines.lineStart);
                } else if (line.startsWith("INLINE_ORIGIN ")) {
                    String[] f = line.split(" ", 3);
                    originRecordOffsets.put(Long.parseLong(f[1]), lines.lineStart);
                } else if (!(line.startsWith("INFO ") || line.startsWith("STACK ") || line.startsWith("INLINE")
                        || line.startsWith("MODULE "))) {
                    damaged(lineNo, "a Breakpad record (FILE, FUNC, PUBLIC, line, STACK, INFO, INLINE)",
                            "'" + shorten(line) + "'");
                }
            } catch (RuntimeException e) {
                damaged(lineNo, "a well-formed record", "'" + shorten(line) + "'");
            }
        }
        functions.sort();
        publics.sort();
        cfiInits.sort();
        frameData.sort();
        fpo.sort();
    }

    /** The fields after the keyword, skipping the optional {@code m} (multiple) flag. */
    private static String[] fields(String line, String keyword) {
        String rest = line.substring(keyword.length());
        if (rest.startsWith("m ")) {
            rest = rest.substring(2);
        }
        String[] f = rest.split(" ", 4);
        if (f.length < 3) {
            throw new IllegalArgumentException("too few fields");
        }
        return f;
    }

    private void damaged(long line, String expected, String found) {
        damagedLines++;
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(Problem.atLine(name, line,
                    InputFormatException.atLine(name, line, expected, found).getMessage()));
        }
    }

    /** Resolves a module-relative address. */
    public Optional<SymbolHit> lookup(long rva) {
        int fi = functions.floor(rva);
        if (fi >= 0 && Long.compareUnsigned(rva - functions.address(fi), functions.size(fi)) < 0) {
            return Optional.of(function(fi, rva));
        }
        int pi = publics.floor(rva);
        if (pi < 0) {
            return Optional.empty();
        }
        long pub = publics.address(pi);
        // Breakpad: a PUBLIC symbol does not reach past the start of the next FUNC.
        if (fi >= 0 && Long.compareUnsigned(functions.address(fi), pub) > 0) {
            return Optional.empty();
        }
        String[] f = fields(readLineAt(publics.offset(pi)), "PUBLIC ");
        return Optional.of(new SymbolHit(f.length > 2 ? rest(f, 2) : "", rva - pub, null, null));
    }

    /** INLINE records read after one FUNC at most: a damaged file must not make one lookup slow. */
    static final int MAX_INLINES = 100_000;

    /**
     * The FUNC's name, its line record at the address and the inlined calls there: {@code INLINE depth callLine
     * callFile origin [address size]...} records follow the FUNC line, before its line records; of those whose
     * ranges hold the address, the deepest is the innermost call, at the line record's position, and each holds
     * the call site in the function one level out (the FUNC itself for depth 0).
     */
    private SymbolHit function(int fi, long rva) {
        LineReader lines = lines(functions.offset(fi));
        String[] f = fields(lines.readLine(), "FUNC ");
        String fname = rest(f, 3);
        long start = functions.address(fi);
        TreeMap<Integer, long[]> inlines = new TreeMap<>(); // depth -> call line, call file, origin
        String line;
        int inlineRecords = 0;
        while ((line = lines.readLine()) != null && line.startsWith("INLINE ") && inlineRecords++ < MAX_INLINES) {
            inline(line, rva, inlines);
        }
        for (; line != null && isLineRecord(line); line = lines.readLine()) {
            String[] l = line.split(" ");
            if (l.length < 4) {
                continue;
            }
            try {
                long addr = hex(l[0]);
                long size = hex(l[1]);
                if (Long.compareUnsigned(rva - addr, size) < 0) {
                    return hit(fname, rva - start, fileName(Long.parseLong(l[3])), Integer.parseInt(l[2]), inlines);
                }
            } catch (NumberFormatException e) {
                // a damaged line record: try the next one
            }
        }
        return hit(fname, rva - start, null, null, inlines);
    }

    /** Adds the INLINE record to {@code byDepth} when one of its ranges holds the address; damage is skipped. */
    private static void inline(String line, long rva, TreeMap<Integer, long[]> byDepth) {
        String[] r = line.split(" ");
        try {
            for (int k = 5; k + 1 < r.length; k += 2) {
                if (Long.compareUnsigned(rva - hex(r[k]), hex(r[k + 1])) < 0) {
                    byDepth.put(Integer.parseInt(r[1]),
                            new long[] {Long.parseLong(r[2]), Long.parseLong(r[3]), Long.parseLong(r[4])});
                    return;
                }
            }
        } catch (RuntimeException e) {
            // a damaged INLINE record: the frame keeps the others
        }
    }

    /** The hit with its inlined calls, innermost first, each at the call site of the one inside it. */
    private SymbolHit hit(String function, long offset, String file, Integer line, TreeMap<Integer, long[]> inlines) {
        if (inlines.isEmpty()) {
            return new SymbolHit(function, offset, file, line);
        }
        List<InlinedCall> calls = new ArrayList<>(inlines.size());
        for (long[] in : inlines.descendingMap().values()) {
            calls.add(new InlinedCall(originName(in[2]), null, file, line));
            file = fileName(in[1]);
            line = (int) in[0];
        }
        return new SymbolHit(function, offset, file, line, calls);
    }

    private String originName(long number) {
        return numberedName(originRecordOffsets, originNames, number);
    }

    /** Delta records read after one STACK CFI INIT at most: a damaged file must not make one lookup slow. */
    static final int MAX_CFI_DELTAS = 10_000;

    /**
     * The STACK CFI rules in effect at a module offset: the INIT record's rules followed by those of every delta
     * record at or below the offset, in file order (a later rule for a register replaces an earlier one), or empty
     * when no INIT record covers the offset.
     */
    public Optional<String> cfiRulesAt(long rva) {
        int i = cfiInits.floor(rva);
        if (i < 0 || Long.compareUnsigned(rva - cfiInits.address(i), cfiInits.size(i)) >= 0) {
            return Optional.empty();
        }
        LineReader lines = lines(cfiInits.offset(i));
        String[] init = lines.readLine().split(" ", 6);
        StringBuilder rules = new StringBuilder(init.length > 5 ? init[5] : "");
        String line;
        for (int n = 0; n < MAX_CFI_DELTAS && (line = lines.readLine()) != null && line.startsWith("STACK CFI ")
                && !line.startsWith("STACK CFI INIT "); n++) {
            String[] f = line.split(" ", 4); // STACK CFI address rules
            try {
                if (f.length == 4 && Long.compareUnsigned(hex(f[2]), rva) <= 0) {
                    rules.append(' ').append(f[3]);
                }
            } catch (NumberFormatException e) {
                // a damaged delta record: the rules before it still hold
            }
        }
        return Optional.of(rules.toString());
    }

    /**
     * The STACK WIN record covering a module offset, frame data (type 4) before FPO (type 0), as Breakpad chooses;
     * of nested records the innermost. Empty when none covers it or the record is damaged.
     */
    public Optional<SymbolData.StackWin> stackWinAt(long rva) {
        for (AddressIndex byType : new AddressIndex[] {frameData, fpo}) {
            // records may nest (a function's and its prolog's): the innermost starts last, but a later sibling
            // that ends before the offset may sit between; a few steps back find the enclosing one
            for (int i = byType.floor(rva), steps = 0; i >= 0 && steps < 16; i--, steps++) {
                if (Long.compareUnsigned(rva - byType.address(i), byType.size(i)) < 0) {
                    Optional<SymbolData.StackWin> win = stackWin(readLineAt(byType.offset(i)));
                    if (win.isPresent()) {
                        return win;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<SymbolData.StackWin> stackWin(String line) {
        // STACK WIN type rva codeSize prologSize epilogSize paramSize savedRegSize localSize maxStackSize
        // hasProgram programOrAllocatesBasePointer
        String[] f = line.split(" ", 13);
        if (f.length < 13) {
            return Optional.empty();
        }
        try {
            boolean program = f[11].equals("1");
            return Optional.of(new SymbolData.StackWin(Integer.parseInt(f[2], 16), hex(f[3]), hex(f[4]), hex(f[5]),
                    hex(f[6]), hex(f[7]), hex(f[8]), hex(f[9]), hex(f[10]), program, program ? f[12] : null,
                    !program && f[12].strip().equals("1")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The parameter size of the FUNC record covering a module offset (x86 callers pop it), or -1 without one. */
    public long parameterSizeAt(long rva) {
        int fi = functions.floor(rva);
        if (fi < 0 || Long.compareUnsigned(rva - functions.address(fi), functions.size(fi)) >= 0) {
            return -1;
        }
        try {
            return hex(fields(readLineAt(functions.offset(fi)), "FUNC ")[2]);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static String rest(String[] f, int from) {
        return f.length > from ? f[from] : "";
    }

    private String fileName(long number) {
        return numberedName(fileRecordOffsets, fileNames, number);
    }

    /** The name of a numbered record ({@code FILE n name}, {@code INLINE_ORIGIN n name}), or null. */
    private String numberedName(Map<Long, Long> recordOffsets, Map<Long, String> names, long number) {
        String known = names.get(number);
        if (known != null) {
            return known;
        }
        Long offset = recordOffsets.get(number);
        if (offset == null) {
            return null;
        }
        String[] f = readLineAt(offset).split(" ", 3);
        if (f.length != 3) {
            return null;
        }
        names.put(number, f[2]);
        return f[2];
    }

    private String readLineAt(long offset) {
        return lines(offset).readLine();
    }

    /** Lines from a record's offset: from the mapped file, else read through the channel. */
    private LineReader lines(long offset) {
        return mapped != null ? LineReader.over(mapped, offset, MAX_LINE) : new LineReader(channel, offset, MAX_LINE);
    }

    /**
     * The file mapped whole, or null past 2 GiB (one buffer's reach) or where the file system cannot map it. Each
     * lookup reads a record or two at random places: from a mapping that is a memory access, through the channel
     * a system call each (a lookup took 2.9 us, then 1.x).
     */
    private static ByteBuffer mapped(FileChannel channel) {
        try {
            long size = channel.size();
            return size <= Integer.MAX_VALUE ? channel.map(FileChannel.MapMode.READ_ONLY, 0, size) : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** Line records start with a hex address; FUNC and FILE start with hex-looking letters too. */
    private static boolean isLineRecord(String line) {
        return !line.isEmpty() && isHex(line.charAt(0)) && !line.startsWith("FUNC ") && !line.startsWith("FILE ");
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static long hex(String s) {
        if (s.isEmpty() || s.length() > 16) {
            throw new NumberFormatException(s);
        }
        return Long.parseUnsignedLong(s, 16);
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    public String os() {
        return os;
    }

    public String arch() {
        return arch;
    }

    public String debugId() {
        return debugId;
    }

    public String moduleName() {
        return moduleName;
    }

    /** The INFO CODE_ID record's id (a PE file's TimeDateStamp and SizeOfImage, an ELF build id), or null. */
    public String codeId() {
        return codeId;
    }

    /**
     * The MODULE line's debug id and the INFO CODE_ID record's code id; a PE code id ({@code %08X%x}: 9 to 16
     * hex digits) also gives the SizeOfImage, which is all a UMDH snapshot records of a module.
     */
    BuildIdentity identity() {
        List<Long> sizes = List.of();
        if (codeId != null && codeId.length() > 8 && codeId.length() <= 16) {
            try {
                sizes = List.of(Long.parseUnsignedLong(codeId.substring(8), 16));
            } catch (NumberFormatException e) {
                // not a PE code id: no size to compare
            }
        }
        return new BuildIdentity(debugId, null, codeId, sizes, "SizeOfImage (from its INFO CODE_ID)");
    }

    public int functionCount() {
        return functions.count();
    }

    public int publicCount() {
        return publics.count();
    }

    /** Damaged lines found while indexing (the first 50 in detail; see {@link #damagedLineCount()}). */
    public List<Problem> problems() {
        return Collections.unmodifiableList(problems);
    }

    public long damagedLineCount() {
        return damagedLines;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
