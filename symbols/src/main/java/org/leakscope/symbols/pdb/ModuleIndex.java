package org.leakscope.symbols.pdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.leakscope.symbols.ImageSymbols;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * The functions of one module (or of the whole PDB) by RVA, each with its line records, in primitive arrays
 * sorted by address: what {@link PdbSymbols#lookup} searches and {@link PdbSymbols#toSymbolData} writes.
 */
final class ModuleIndex {
    /**
     * A function at its final RVA.
     *
     * @param multiple  several procedures with different names share the address (identical code folding)
     * @param lines     line records at final RVAs, sorted; file names, not numbers
     * @param sites     the code inlined into it
     */
    record Func(long rva, long size, String name, boolean multiple, List<FuncLine> lines, InlineSites sites) {
    }

    /** A line record of a function. */
    record FuncLine(long rva, long size, long line, String file) {
    }

    private final Func[] funcs;
    private final long[] starts;

    ModuleIndex(List<Func> funcs) {
        this.funcs = funcs.toArray(new Func[0]);
        Arrays.sort(this.funcs, Comparator.comparingLong(Func::rva));
        starts = new long[this.funcs.length];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = this.funcs[i].rva();
        }
    }

    List<Func> funcs() {
        return List.of(funcs);
    }

    /** The function whose range holds {@code rva}, or null. */
    Func find(long rva) {
        int i = ImageSymbols.floor(starts, rva);
        // Folded or nested ranges: look back over functions that start lower but may still cover rva.
        for (int j = i; j >= 0 && j > i - 8; j--) {
            Func f = funcs[j];
            if (rva - f.rva() < Math.max(1, f.size())) {
                return f;
            }
        }
        return null;
    }

    /** The line record of {@code f} holding {@code rva}, or null (its lines are sorted by address). */
    static FuncLine line(Func f, long rva) {
        List<FuncLine> lines = f.lines();
        int i = java.util.Collections.binarySearch(lines, new FuncLine(rva, 0, 0, null),
                Comparator.comparingLong(FuncLine::rva));
        int found = i >= 0 ? i : -i - 2; // an exact start, else the last line starting below rva
        while (found >= 0 && found + 1 < lines.size() && lines.get(found + 1).rva() <= rva) {
            found++; // several lines may start at one address (a zero-length one before the real one)
        }
        // of the lines starting there, the last that covers rva; a zero-length line only when no other does
        FuncLine zeroLength = null;
        for (int j = found; j >= 0 && lines.get(j).rva() == lines.get(found).rva(); j--) {
            FuncLine l = lines.get(j);
            if (l.size() == 0) {
                zeroLength = zeroLength == null && l.rva() == rva ? l : zeroLength;
            } else if (rva - l.rva() < l.size()) {
                return l;
            }
        }
        return zeroLength;
    }

    /**
     * Builds functions from a module's procedures and lines: each line goes to the function whose range holds
     * it; procedures at an address already taken are folded into the first (marked multiple when named
     * differently).
     */
    static List<Func> build(ModuleSymbols m, AddressMap addresses, StringTable names, ProcedureNames procNames) {
        List<long[]> lineRvas = new ArrayList<>();
        List<ModuleSymbols.Line> lineList = m.lines;
        for (int i = 0; i < lineList.size(); i++) {
            ModuleSymbols.Line l = lineList.get(i);
            long rva = addresses.rva(l.section(), l.offset());
            if (rva >= 0) {
                lineRvas.add(new long[] {rva, i});
            }
        }
        lineRvas.sort(Comparator.comparingLong(a -> a[0]));
        long[] lineStarts = new long[lineRvas.size()];
        for (int i = 0; i < lineStarts.length; i++) {
            lineStarts[i] = lineRvas.get(i)[0];
        }
        List<Func> out = new ArrayList<>();
        for (ModuleSymbols.Proc p : m.procs) {
            if (p.thunk()) {
                continue; // dump_syms names thunks (import jumps, incremental-link stubs) by their publics
            }
            long rva = addresses.rva(p.section(), p.offset());
            if (rva < 0) {
                continue;
            }
            String name;
            try {
                name = procNames.name(p.procedure());
            } catch (RuntimeException e) {
                name = p.procedure().name();
            }
            List<FuncLine> lines = new ArrayList<>();
            int i = ImageSymbols.floor(lineStarts, rva);
            while (i >= 0 && lineStarts[i] >= rva) {
                i--; // back to the last line below the function: its lines start at the next
            }
            i++;
            for (; i < lineStarts.length && lineStarts[i] - rva < p.length(); i++) {
                ModuleSymbols.Line l = lineList.get((int) lineRvas.get(i)[1]);
                lines.add(new FuncLine(lineStarts[i], l.length(), l.line(), names.get(l.nameOffset())));
            }
            out.add(new Func(rva, p.length(), name, false, lines, InlineSites.of(m, p, addresses, names)));
        }
        return out;
    }

    /** Folds functions at one address (the first kept, marked multiple when another name is there). */
    static List<Func> fold(List<Func> funcs) {
        return fold(funcs, false);
    }

    /**
     * Folds functions at one address: the first is kept, marked multiple when another has a different name, or,
     * with {@code anyOther} (mozilla's dump_syms), when there is any other.
     */
    static List<Func> fold(List<Func> funcs, boolean anyOther) {
        List<Func> sorted = new ArrayList<>(funcs);
        sorted.sort(Comparator.comparingLong(Func::rva));
        List<Func> out = new ArrayList<>();
        for (Func f : sorted) {
            Func last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.rva() == f.rva()) {
                if (!last.multiple() && (anyOther || !last.name().equals(f.name()))) {
                    out.set(out.size() - 1, new Func(last.rva(), last.size(), last.name(), true, last.lines(),
                            last.sites()));
                }
                continue;
            }
            out.add(f);
        }
        return out;
    }

    static SymbolData.Line toLine(FuncLine l, long file) {
        return new SymbolData.Line(l.rva(), l.size(), l.line(), file);
    }
}
