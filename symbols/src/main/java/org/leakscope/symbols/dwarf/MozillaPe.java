package org.leakscope.symbols.dwarf;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * What Mozilla's dump_syms adds to a mingw PE file's DWARF functions, reproduced so its {@code .sym} files compare
 * record by record: it names external COFF function symbols and exports by their spelling less one leading
 * underscore ({@code __CRT_INIT@12} becomes {@code _CRT_INIT@12}, {@code _Z5test1Pi} becomes {@code Z5test1Pi});
 * a 32-bit stdcall function keeps its {@code @bytes} suffix where DWARF has the bare name; every x64
 * {@code .pdata} entry that no DWARF function covers becomes a FUNC of its own, named by its export or
 * {@code <unknown in FILE>}; exports no FUNC covers are PUBLIC records; a {@code PUBLIC <unknown>} marks where the
 * last function ends; files are numbered in the order the functions (by address) first use them, and a file no
 * record uses is left out.
 */
final class MozillaPe {
    private MozillaPe() {
    }

    /** Builds a function record from an old one and a new name. */
    interface Rename<F> {
        F apply(F f, String name);
    }

    /** Builds a function record without lines. */
    interface Make<F> {
        F make(long address, long size, String name);
    }

    static String name(String raw) {
        return raw.startsWith("_") ? raw.substring(1) : raw;
    }

    /** The exports no function covers, as PUBLIC names by RVA. */
    static java.util.TreeMap<Long, String> publics(DwarfSymbols s, long[] starts, long[] ends) {
        java.util.TreeMap<Long, String> out = new java.util.TreeMap<>();
        for (DebugImage.CoffFunction c : s.image.exports()) {
            int i = org.leakscope.symbols.ImageSymbols.floor(starts, c.rva());
            if (i < 0 || c.rva() >= ends[i]) {
                out.putIfAbsent(c.rva(), name(c.rawName()));
            }
        }
        return out;
    }

    static <F> List<F> functions(DwarfSymbols s, List<long[]> ranges, List<F> fns, Rename<F> rename, Make<F> make,
            Function<F, Long> address, Function<F, String> nameOf) {
        Map<Long, String> byRva = new HashMap<>();
        for (DebugImage.CoffFunction c : s.image.coffFunctions()) {
            byRva.putIfAbsent(c.rva(), name(c.rawName()));
        }
        Map<Long, String> exported = new HashMap<>();
        for (DebugImage.CoffFunction c : s.image.exports()) {
            exported.putIfAbsent(c.rva(), name(c.rawName()));
        }
        List<F> out = new ArrayList<>(fns.size());
        for (F f : fns) {
            String sym = byRva.get(address.apply(f));
            String dwarf = nameOf.apply(f);
            boolean stdcall = sym != null && sym.startsWith(dwarf + "@")
                    && sym.substring(dwarf.length() + 1).chars().allMatch(Character::isDigit);
            out.add(stdcall ? rename.apply(f, sym) : f);
        }
        Section pdata = s.image.section(".pdata");
        if (s.image.machine != 0x8664 || pdata.size() == 0) {
            return out;
        }
        long[] starts = ranges.stream().mapToLong(r -> r[0]).toArray();
        long[] ends = ranges.stream().mapToLong(r -> r[0] + r[1]).toArray();
        String unknown = "<unknown in " + s.path.getFileName() + ">";
        java.nio.ByteBuffer b = pdata.bytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 12 <= pdata.size(); at += 12) {
            long begin = b.getInt(at) & 0xffffffffL;
            long end = b.getInt(at + 4) & 0xffffffffL;
            if (begin == 0 || end <= begin) {
                continue;
            }
            int i = org.leakscope.symbols.ImageSymbols.floor(starts, begin);
            if (i >= 0 && begin < ends[i]) {
                continue;
            }
            String sym = exported.get(begin);
            out.add(make.make(begin, end - begin, sym != null ? sym : unknown));
        }
        out.sort((x, y) -> Long.compareUnsigned(address.apply(x), address.apply(y)));
        return out;
    }

    /** The publics with {@code PUBLIC END 0 <unknown>} where the last function ends, unless a symbol is there. */
    static List<SymbolData.Public> withEndMarker(List<SymbolData.Public> publics, List<SymbolData.Function> fns) {
        if (fns.isEmpty()) {
            return publics;
        }
        SymbolData.Function last = fns.get(fns.size() - 1);
        long end = last.address() + last.size();
        List<SymbolData.Public> out = new ArrayList<>(publics.size() + 1);
        boolean placed = false;
        for (SymbolData.Public p : publics) {
            if (!placed && Long.compareUnsigned(p.address(), end) >= 0) {
                placed = true;
                if (p.address() != end) { // a symbol at the end names it already
                    out.add(new SymbolData.Public(false, end, 0, "<unknown>"));
                }
            }
            out.add(p);
        }
        if (!placed) {
            out.add(new SymbolData.Public(false, end, 0, "<unknown>"));
        }
        return out;
    }

    /** The same records with FILE numbers in order of first use by the functions' lines and inline records. */
    static SymbolData numberedByUse(SymbolData d) {
        Map<Long, Long> renumber = new LinkedHashMap<>();
        for (SymbolData.Function f : d.functions()) {
            for (SymbolData.Line l : f.lines()) {
                renumber.putIfAbsent(l.file(), (long) renumber.size());
            }
            for (SymbolData.Inline in : f.inlines()) {
                renumber.putIfAbsent(in.callFile(), (long) renumber.size());
            }
        }
        List<SymbolData.SourceFile> files = new ArrayList<>(renumber.size());
        Map<Long, String> names = new HashMap<>();
        d.files().forEach(f -> names.put(f.index(), f.name()));
        renumber.forEach((old, now) -> files.add(new SymbolData.SourceFile(now, names.get(old))));
        List<SymbolData.Function> functions = new ArrayList<>(d.functions().size());
        for (SymbolData.Function f : d.functions()) {
            List<SymbolData.Line> lines = new ArrayList<>(f.lines().size());
            for (SymbolData.Line l : f.lines()) {
                lines.add(new SymbolData.Line(l.address(), l.size(), l.line(), renumber.get(l.file())));
            }
            List<SymbolData.Inline> inlines = new ArrayList<>(f.inlines().size());
            for (SymbolData.Inline in : f.inlines()) {
                inlines.add(new SymbolData.Inline(in.depth(), in.callLine(), renumber.get(in.callFile()),
                        in.origin(), in.ranges()));
            }
            functions.add(new SymbolData.Function(f.multiple(), f.address(), f.size(), f.paramSize(), f.name(),
                    lines, inlines));
        }
        return new SymbolData(d.module(), d.info(), files, d.origins(), functions, d.publics(),
                d.stackWin(), d.stackCfi());
    }
}
