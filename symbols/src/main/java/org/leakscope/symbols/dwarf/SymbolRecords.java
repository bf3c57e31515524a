package org.leakscope.symbols.dwarf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Problem;
import org.leakscope.symbols.BuildIdentity;
import org.leakscope.symbols.ElfSymbolFile;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * Turns a file's DWARF into the records dump_syms writes, one unit at a time: a FUNC per code range of each
 * subprogram, the line-table rows inside it (clipped to it), PUBLIC records for symbol-table functions no FUNC
 * covers (and, as Mozilla's dump_syms does, for code sections with no symbol at their start), and INLINE records
 * (one per call site, depth and origin, with the ranges of every inlined instance that shares them).
 */
final class SymbolRecords {
    private final DwarfSymbols s;
    private final DumpSymsStyle style;

    private record Fn(long address, long size, String name, List<Inl> inlines, List<LineRange> lines) {
    }

    private record Inl(int depth, long callLine, String callFile, String origin, long[] ranges) {
    }

    private record LineRange(long address, long size, long line, String file) {
    }

    SymbolRecords(DwarfSymbols s, DumpSymsStyle style) {
        this.s = s;
        this.style = style;
    }

    SymbolData build(boolean withInlines) {
        List<Fn> fns = new ArrayList<>();
        Map<String, Integer> origins = new LinkedHashMap<>();
        DwarfUnits units = s.units();
        for (int i = 0; units != null && i < units.headers.size(); i++) {
            try {
                unit(units.decoded(i), fns, origins);
            } catch (InputFormatException e) {
                s.problem(Problem.of(e));
            }
        }
        // the same code in several units (COMDAT copies the linker folded): the first unit's function stays
        fns.sort(Comparator.comparingLong(Fn::address));
        List<Fn> unique = new ArrayList<>(fns.size());
        for (Fn f : fns) {
            if (unique.isEmpty() || unique.get(unique.size() - 1).address() != f.address()) {
                unique.add(f);
            }
        }
        TreeMap<String, Integer> fileIndex = new TreeMap<>();
        for (Fn f : unique) {
            for (LineRange l : f.lines()) {
                fileIndex.put(l.file(), 0);
            }
            for (Inl in : f.inlines()) {
                fileIndex.put(in.callFile() == null ? "" : in.callFile(), 0);
            }
        }
        int n = 0;
        for (Map.Entry<String, Integer> e : fileIndex.entrySet()) {
            e.setValue(n++);
        }
        List<SymbolData.SourceFile> files = new ArrayList<>();
        fileIndex.forEach((name, index) -> files.add(new SymbolData.SourceFile(index, name)));

        if (!s.image.elf && style == DumpSymsStyle.MOZILLA) {
            unique = MozillaPe.functions(s, unique.stream().map(f -> new long[] {f.address(), f.size()}).toList(),
                    unique, (f, name) -> new Fn(f.address(), f.size(), name, f.inlines(), f.lines()),
                    (a, size, name) -> new Fn(a, size, name, List.of(), List.of()), Fn::address, Fn::name);
        }
        List<SymbolData.Function> functions = new ArrayList<>();
        for (Fn f : unique) {
            List<SymbolData.Line> ls = new ArrayList<>();
            for (LineRange l : f.lines()) {
                ls.add(new SymbolData.Line(l.address(), l.size(), l.line(), fileIndex.get(l.file())));
            }
            if (style == DumpSymsStyle.MOZILLA) {
                ls = merge(withInlines ? ls : callSites(ls, f.inlines(), fileIndex));
            }
            List<SymbolData.Inline> in = new ArrayList<>();
            for (Inl x : withInlines ? merged(f.inlines()) : List.<Inl>of()) {
                List<Long> r = new ArrayList<>();
                for (long v : x.ranges()) {
                    r.add(v);
                }
                in.add(new SymbolData.Inline(x.depth(), x.callLine(), fileIndex.get(x.callFile() == null ? ""
                        : x.callFile()), origins.get(x.origin()), r));
            }
            functions.add(new SymbolData.Function(false, f.address(), f.size(), 0, f.name(), ls, in));
        }
        List<SymbolData.InlineOrigin> originRecords = new ArrayList<>();
        if (withInlines) {
            origins.forEach((name, index) -> originRecords.add(new SymbolData.InlineOrigin(index, name)));
        }
        if (!s.image.elf && style == DumpSymsStyle.MOZILLA) {
            return MozillaPe.numberedByUse(new SymbolData(module(), info(), files, originRecords, functions,
                    MozillaPe.withEndMarker(publics(unique), functions), List.of(), List.of()));
        }
        return new SymbolData(module(), info(), files, originRecords, functions, publics(unique), List.of(),
                List.of());
    }

    /**
     * One unit's functions, each with the unit's line rows inside it (clipped to it) and its inline records. Lines
     * go only to functions of their own unit, as both dump_syms assign them: another unit's rows for the same
     * addresses describe a copy the linker discarded.
     */
    private void unit(DwarfUnits.Decoded d, List<Fn> fns, Map<String, Integer> origins) {
        Unit u = d.unit;
        LineTable lt = d.lines();
        List<LineRange> lines = lineRanges(lt);
        long[] lineStarts = lines.stream().mapToLong(LineRange::address).toArray();
        for (int die = 0; die < u.count; die++) {
            if (u.tags[die] != Unit.TAG_SUBPROGRAM) {
                continue;
            }
            long[] r = d.ranges(die);
            if (r.length == 0 || r[0] == 0) {
                continue; // no code, or code the linker dropped (address 0)
            }
            String name = s.units().name(d, die);
            List<Inl> inl = inlines(d, die, lt, origins);
            for (int k = 0; k + 1 < r.length; k += 2) {
                long start = r[k];
                long end = r[k + 1];
                List<Inl> inside = new ArrayList<>();
                for (Inl x : inl) {
                    if (x.ranges().length > 0 && s.moduleOffset(start) <= x.ranges()[0]
                            && x.ranges()[0] < s.moduleOffset(end)) {
                        inside.add(x);
                    }
                }
                long a = s.moduleOffset(start);
                long b = s.moduleOffset(end);
                List<LineRange> mine = new ArrayList<>();
                int j = Math.max(0, org.leakscope.symbols.ImageSymbols.floor(lineStarts, a));
                for (; j < lines.size() && lines.get(j).address() < b; j++) {
                    LineRange l = lines.get(j);
                    long from = Math.max(l.address(), a);
                    long to = Math.min(l.address() + l.size(), b);
                    if (from < to) {
                        mine.add(new LineRange(from, to - from, l.line(), l.file()));
                    }
                }
                fns.add(new Fn(a, end - start, name, inside, mine));
            }
        }
    }

    /** The unit's line rows as ranges, sorted by address; sequences of discarded code left out. */
    private List<LineRange> lineRanges(LineTable lt) {
        List<LineRange> lines = new ArrayList<>();
        if (lt == null) {
            return lines;
        }
        for (int row = 0; row + 1 < lt.rows; row++) {
            if (lt.end[row] || lt.dropped[row]) {
                continue;
            }
            long size = lt.address[row + 1] - lt.address[row];
            if (size <= 0) {
                continue;
            }
            String file = lt.fileName(lt.file[row]);
            lines.add(new LineRange(s.moduleOffset(lt.address[row]), size, lt.line[row], file == null ? "" : file));
        }
        lines.sort(Comparator.comparingLong(LineRange::address));
        return lines;
    }

    /**
     * Mozilla's dump_syms without inline records: code inlined into the function is attributed to the line that
     * calls it there (the call site of the outermost inlined subroutine), not to the inlined code's own line.
     */
    private static List<SymbolData.Line> callSites(List<SymbolData.Line> ls, List<Inl> inlines,
            Map<String, Integer> fileIndex) {
        List<SymbolData.Line> out = new ArrayList<>();
        for (SymbolData.Line l : ls) {
            long a = l.address();
            long end = l.address() + l.size();
            while (a < end) {
                Inl holder = null;
                long next = end;
                for (Inl x : inlines) {
                    if (x.depth() != 0) {
                        continue;
                    }
                    for (int k = 0; k + 1 < x.ranges().length; k += 2) {
                        long rs = x.ranges()[k];
                        long re = rs + x.ranges()[k + 1];
                        if (rs <= a && a < re) {
                            holder = x;
                            next = Math.min(next, re);
                        } else if (rs > a) {
                            next = Math.min(next, rs);
                        }
                    }
                }
                out.add(holder == null ? new SymbolData.Line(a, next - a, l.line(), l.file())
                        : new SymbolData.Line(a, next - a, holder.callLine(), fileIndex.get(holder.callFile() == null
                                ? "" : holder.callFile())));
                a = next;
            }
        }
        return out;
    }

    /** Mozilla's dump_syms: adjacent line records of the same file and line are one record. */
    private static List<SymbolData.Line> merge(List<SymbolData.Line> ls) {
        List<SymbolData.Line> out = new ArrayList<>(ls.size());
        for (SymbolData.Line l : ls) {
            SymbolData.Line last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.line() == l.line() && last.file() == l.file()
                    && last.address() + last.size() == l.address()) {
                out.set(out.size() - 1, new SymbolData.Line(last.address(), last.size() + l.size(), l.line(),
                        l.file()));
            } else {
                out.add(l);
            }
        }
        return out;
    }

    /** The inlined subroutines inside function {@code fn}, with their depth below it, in DIE order. */
    private List<Inl> inlines(DwarfUnits.Decoded d, int fn, LineTable lt, Map<String, Integer> origins) {
        Unit u = d.unit;
        List<Inl> out = new ArrayList<>();
        for (int die = fn + 1; die < u.ends[fn]; die++) {
            if (u.tags[die] != Unit.TAG_INLINED_SUBROUTINE) {
                continue;
            }
            int depth = 0;
            for (int p = u.parents[die]; p > fn; p = u.parents[p]) {
                if (u.tags[p] == Unit.TAG_INLINED_SUBROUTINE) {
                    depth++;
                }
            }
            long[] r = d.ranges(die);
            if (r.length == 0) {
                continue;
            }
            long[] pairs = new long[r.length];
            for (int k = 0; k + 1 < r.length; k += 2) {
                pairs[k] = s.moduleOffset(r[k]);
                pairs[k + 1] = r[k + 1] - r[k];
            }
            String name = s.units().name(d, die);
            origins.putIfAbsent(name, origins.size());
            String file = lt == null || !u.has(die, Unit.CALL_FILE) ? null : lt.fileName(u.value(die, Unit.CALL_FILE));
            long line = u.has(die, Unit.CALL_LINE) ? u.value(die, Unit.CALL_LINE) : 0;
            out.add(new Inl(depth, line, file, name, pairs));
        }
        return out;
    }

    /**
     * Inline records as Mozilla's dump_syms writes them: instances with the same depth, call site and origin
     * are one record with all their ranges, ordered by their first address, then depth.
     */
    private static List<Inl> merged(List<Inl> all) {
        Map<String, Inl> byKey = new LinkedHashMap<>();
        for (Inl x : all) {
            String key = x.depth() + "\0" + x.callLine() + "\0" + x.callFile() + "\0" + x.origin();
            Inl prev = byKey.get(key);
            if (prev == null) {
                byKey.put(key, x);
            } else {
                long[] r = Arrays.copyOf(prev.ranges(), prev.ranges().length + x.ranges().length);
                System.arraycopy(x.ranges(), 0, r, prev.ranges().length, x.ranges().length);
                byKey.put(key, new Inl(prev.depth(), prev.callLine(), prev.callFile(), prev.origin(), r));
            }
        }
        List<Inl> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparingLong((Inl x) -> x.ranges()[0]).thenComparingInt(Inl::depth));
        return out;
    }

    private List<SymbolData.Public> publics(List<Fn> fns) {
        long[] starts = fns.stream().mapToLong(Fn::address).toArray();
        long[] ends = fns.stream().mapToLong(f -> f.address() + f.size()).toArray();
        TreeMap<Long, String> pubs = new TreeMap<>();
        Map<Long, Boolean> named = new HashMap<>();
        if (s.elfTable != null) {
            for (ElfSymbolFile.Symbol sym : s.elfTable.symbols()) {
                named.put(sym.moduleOffset(), true);
                if (!covered(starts, ends, sym.moduleOffset())) {
                    pubs.put(sym.moduleOffset(), sym.name());
                }
            }
            String module = s.path.getFileName().toString();
            for (DebugImage.CodeSection c : style == DumpSymsStyle.MOZILLA ? s.image.codeSections()
                    : List.<DebugImage.CodeSection>of()) {
                long at = s.moduleOffset(c.address());
                if (!named.containsKey(at) && !covered(starts, ends, at) && c.name() != null) {
                    pubs.put(at, "<" + c.name() + " ELF section in " + module + ">");
                }
            }
        }
        if (!s.image.elf && style == DumpSymsStyle.MOZILLA) {
            pubs.putAll(MozillaPe.publics(s, starts, ends));
        }
        List<SymbolData.Public> out = new ArrayList<>();
        pubs.forEach((a, name) -> out.add(new SymbolData.Public(false, a, 0, name)));
        return out;
    }

    private static boolean covered(long[] starts, long[] ends, long a) {
        int i = org.leakscope.symbols.ImageSymbols.floor(starts, a);
        return i >= 0 && a < ends[i];
    }

    private SymbolData.Module module() {
        BuildIdentity id = s.identity();
        String debugId = id.debugId() == null ? "000000000000000000000000000000000" : id.debugId();
        return new SymbolData.Module(s.image.elf ? "Linux" : "windows", cpu(), debugId,
                s.path.getFileName().toString());
    }

    private List<String> info() {
        BuildIdentity id = s.identity();
        if (s.image.elf) {
            return id.buildId() == null ? List.of() : List.of("CODE_ID " + id.buildId().toUpperCase(Locale.ROOT));
        }
        if (id.codeId() == null) {
            return List.of();
        }
        // Breakpad spells the SizeOfImage part in lowercase (%08X%x), Mozilla's dump_syms all in uppercase
        String code = style == DumpSymsStyle.MOZILLA ? id.codeId().toUpperCase(Locale.ROOT) : id.codeId();
        return List.of("CODE_ID " + code + " " + s.path.getFileName());
    }

    private String cpu() {
        int m = s.image.machine;
        if (s.image.elf) {
            return switch (m) {
                case 3 -> "x86";
                case 62 -> "x86_64";
                case 40 -> "arm";
                case 183 -> "arm64";
                case 8 -> "mips";
                case 20 -> "ppc";
                case 21 -> "ppc64";
                case 243 -> "riscv64";
                default -> "unknown";
            };
        }
        return switch (m) {
            case 0x14c -> "x86";
            case 0x8664 -> "x86_64";
            case 0xaa64 -> "arm64";
            case 0x1c4 -> "arm";
            default -> "unknown";
        };
    }
}
