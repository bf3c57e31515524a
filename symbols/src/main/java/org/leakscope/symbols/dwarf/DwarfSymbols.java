package org.leakscope.symbols.dwarf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.symbols.BuildIdentity;
import org.leakscope.symbols.ElfSymbolFile;
import org.leakscope.symbols.ImageSymbols;
import org.leakscope.symbols.PeSymbolFile;
import org.leakscope.symbols.SymbolHit;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * Function, file and line, and inline frames, from the DWARF debug information of an ELF file or a mingw PE
 * file, looked up by module offset (an ELF file's offset from its lowest PT_LOAD address; a PE file's RVA).
 * Opening reads the headers and maps the debug sections; the first lookup indexes the compile units' address
 * ranges (inflating compressed sections then); a unit's DIEs and line program are
 * decoded when an address inside it is first asked for. Where DWARF names no function, the file's symbol table
 * ({@link ElfSymbolFile}, {@link PeSymbolFile}, read when first needed: also for {@link #identity()}) does. Damage in one unit is a {@link #problems() problem} and
 * that unit's addresses fall back to the symbol table; a damaged file header is an {@link InputFormatException}.
 */
public final class DwarfSymbols implements ImageSymbols {
    /** Problems kept per file: the first ones say what is damaged; a damaged file must not grow the heap. */
    static final int MAX_PROBLEMS = 100;
    /** What a compressed section may inflate to, unless the caller says otherwise. */
    public static final long DEFAULT_MAX_INFLATED = 1L << 30;

    final Path path;
    final DebugImage image;
    final List<Problem> problems = new ArrayList<>();
    private DwarfUnits units;
    private boolean indexed;
    /** The symbol table, read on first need: a big file's takes longer to read than its DWARF takes to open. */
    private ImageSymbols table;
    private ElfSymbolFile elfTable;
    /** Whether the symbol table was read (tests check that open and DWARF-answered lookups do not). */
    boolean tableRead;

    private DwarfSymbols(Path path, DebugImage image) {
        this.path = path;
        this.image = image;
    }

    /** The ELF or PE symbol table (names where DWARF has none), read on first use; null when unreadable. */
    ImageSymbols table() {
        if (!tableRead) {
            tableRead = true;
            try {
                if (image.elf) {
                    elfTable = ElfSymbolFile.open(path);
                    table = elfTable;
                } else {
                    table = PeSymbolFile.open(path);
                }
            } catch (InputFormatException e) {
                problem(Problem.of(e)); // e.g. a big-endian ELF file: DWARF still names its functions
            } catch (IOException e) {
                problems.add(Problem.atOffset(image.source, 0, "symbol table unreadable: " + e.getMessage()));
            }
        }
        return table;
    }

    /** The ELF symbol table (null for a PE file or when unreadable). */
    ElfSymbolFile elfTable() {
        table();
        return elfTable;
    }

    /** The compile units, indexed by address on first use; null when the file has no readable DWARF. */
    DwarfUnits units() {
        if (!indexed) {
            indexed = true;
            try {
                units = new DwarfUnits(image, this::problem);
            } catch (InputFormatException e) {
                problem(Problem.of(e));
            }
        }
        return units;
    }

    /** The file's DWARF, compressed sections inflating to at most {@link #DEFAULT_MAX_INFLATED} bytes. */
    public static DwarfSymbols open(Path path) throws IOException {
        return open(path, DEFAULT_MAX_INFLATED);
    }

    /** The file's DWARF; a compressed section declaring more than {@code maxInflated} bytes is refused. */
    public static DwarfSymbols open(Path path, long maxInflated) throws IOException {
        return new DwarfSymbols(path, DebugImage.open(path, maxInflated));
    }

    /** Whether the file has a {@code .debug_info} section (compressed or not). */
    public boolean hasDebugInfo() {
        return image.has(".debug_info");
    }

    /** The absolute address of a module offset. */
    long address(long moduleOffset) {
        return image.loadBase + moduleOffset;
    }

    long moduleOffset(long address) {
        return address - image.loadBase;
    }

    /**
     * The function holding {@code moduleOffset} (the outermost one, whose code this is; see
     * {@link #inlineFrames}), the offset from the start of its range, and the file and line of the line-table row
     * holding the address (the innermost inlined code's).
     */
    @Override
    public synchronized Optional<SymbolHit> lookup(long moduleOffset) {
        long a = address(moduleOffset);
        Found f = find(a);
        if (f == null) {
            return fallback(moduleOffset);
        }
        LineTable lt = lines(f.unit);
        int row = lt == null ? -1 : lt.rowAt(a);
        String file = row >= 0 ? lt.fileName(lt.file[row]) : null;
        Integer line = row >= 0 && lt.line[row] != 0 ? lt.line[row] : null;
        if (f.fn < 0) {
            return fallback(moduleOffset).map(h -> new SymbolHit(h.function(), h.functionOffset(), file, line));
        }
        try {
            String name = units().name(f.unit, (int) f.unit.functions.offset(f.fn));
            return Optional.of(new SymbolHit(name, a - f.unit.functions.address(f.fn), file, line));
        } catch (InputFormatException e) {
            problem(Problem.of(e));
            return fallback(moduleOffset);
        }
    }

    private Optional<SymbolHit> fallback(long moduleOffset) {
        return table() == null ? Optional.empty() : table.lookup(moduleOffset);
    }

    /**
     * The functions inlined at {@code moduleOffset}, innermost first, each with the call site in the frame
     * outside it (the next entry, or after the last, the function {@link #lookup} names); empty when none.
     */
    public synchronized List<InlineFrame> inlineFrames(long moduleOffset) {
        long a = address(moduleOffset);
        Found f = find(a);
        if (f == null || f.fn < 0) {
            return List.of();
        }
        try {
            Unit u = f.unit.unit;
            int fn = (int) f.unit.functions.offset(f.fn);
            List<InlineFrame> out = new ArrayList<>();
            LineTable lt = lines(f.unit);
            for (int d = fn + 1; d < u.ends[fn]; d++) {
                if (u.tags[d] != Unit.TAG_INLINED_SUBROUTINE) {
                    continue;
                }
                if (!contains(f.unit.ranges(d), a)) {
                    d = u.ends[d] - 1; // nothing inside it holds the address either
                    continue;
                }
                String file = lt == null || !u.has(d, Unit.CALL_FILE) ? null : lt.fileName(u.value(d, Unit.CALL_FILE));
                Integer line = u.has(d, Unit.CALL_LINE) ? (int) u.value(d, Unit.CALL_LINE) : null;
                out.add(0, new InlineFrame(units().name(f.unit, d), file, line));
            }
            return out;
        } catch (InputFormatException e) {
            problem(Problem.of(e));
            return List.of();
        }
    }

    /**
     * What the file's symbol table alone says of {@code moduleOffset} (the name as spelled there, mangled for
     * C++), or empty: so a caller can keep the mangled spelling of the function DWARF names demangled.
     */
    public Optional<SymbolHit> symbolTableLookup(long moduleOffset) {
        ImageSymbols t = table();
        return t == null ? Optional.empty() : t.lookup(moduleOffset);
    }

    static boolean contains(long[] ranges, long a) {
        for (int k = 0; k + 1 < ranges.length; k += 2) {
            if (Long.compareUnsigned(a, ranges[k]) >= 0 && Long.compareUnsigned(a, ranges[k + 1]) < 0) {
                return true;
            }
        }
        return false;
    }

    private record Found(DwarfUnits.Decoded unit, int fn) {
    }

    /** The unit holding the address and its function range there (-1 when the unit has none), or null. */
    private Found find(long a) {
        DwarfUnits all = units();
        if (all == null) {
            return null;
        }
        Found best = null;
        for (int i : all.unitsAt(a)) {
            try {
                DwarfUnits.Decoded d = all.decoded(i);
                int fn = d.functionAt(a);
                if (fn >= 0) {
                    return new Found(d, fn);
                }
                if (best == null) {
                    best = new Found(d, -1);
                }
            } catch (InputFormatException e) {
                problem(Problem.of(e));
            }
        }
        return best;
    }

    LineTable lines(DwarfUnits.Decoded d) {
        return d.lines();
    }

    /** How many functions the symbol table names (DWARF's are counted only when {@link #toSymbolData} runs). */
    @Override
    public synchronized int functions() {
        return table() == null ? 0 : table.functions();
    }

    /** Which build the file is: ELF build id (Breakpad's debug id from it), PE CodeView record. */
    @Override
    public synchronized BuildIdentity identity() {
        return table() == null ? new BuildIdentity(null, null, null, List.of(), "size") : table.identity();
    }

    /** Records a problem once, up to {@link #MAX_PROBLEMS}. */
    void problem(Problem p) {
        if (problems.size() < MAX_PROBLEMS && !problems.contains(p)) {
            problems.add(p);
        }
    }

    /** Damage skipped so far: units, line programs or names that could not be read (with their offsets). */
    public synchronized List<Problem> problems() {
        table(); // its damage too
        return List.copyOf(problems);
    }

    /**
     * What dump_syms writes for this file: MODULE, INFO CODE_ID, FILE, FUNC with line records, PUBLIC (symbol
     * table functions no FUNC covers), and with {@code inlines} INLINE_ORIGIN and INLINE records. No STACK
     * records: call frame information is read elsewhere.
     */
    public synchronized SymbolData toSymbolData(boolean inlines) {
        return toSymbolData(inlines, DumpSymsStyle.MOZILLA);
    }

    /** The same, as the given dump_syms writes it (they differ in line records: see {@link DumpSymsStyle}). */
    public synchronized SymbolData toSymbolData(boolean inlines, DumpSymsStyle style) {
        return new SymbolRecords(this, style).build(inlines);
    }
}
