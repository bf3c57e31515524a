package org.leakscope.symbols.pdb;

import java.util.ArrayList;
import java.util.List;

/**
 * A function's line records as mozilla's dump_syms writes them from a PDB (symbolic reads the lines, dump_syms
 * writes them): records of size 0 are dropped; a record continuing the one before it at the same file and line
 * is merged into it; line 0 is dropped, and so is a record naming the same file and line as the record kept
 * before it; then each record's size is recomputed as the distance to the next record, the last one's as the
 * distance to the function's end.
 */
final class MozillaLines {
    private MozillaLines() {
    }

    /** {@code lines} (sorted by address) of a function ending at {@code end}, as mozilla writes them. */
    static List<ModuleIndex.FuncLine> of(List<ModuleIndex.FuncLine> lines, long end) {
        List<ModuleIndex.FuncLine> merged = new ArrayList<>();
        for (ModuleIndex.FuncLine l : lines) {
            if (l.size() == 0) {
                continue;
            }
            ModuleIndex.FuncLine prev = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (prev != null && prev.rva() + prev.size() == l.rva() && prev.line() == l.line()
                    && prev.file().equals(l.file())) {
                merged.set(merged.size() - 1, new ModuleIndex.FuncLine(prev.rva(), prev.size() + l.size(),
                        prev.line(), prev.file()));
            } else {
                merged.add(l);
            }
        }
        List<ModuleIndex.FuncLine> kept = new ArrayList<>();
        for (ModuleIndex.FuncLine l : merged) {
            ModuleIndex.FuncLine prev = kept.isEmpty() ? null : kept.get(kept.size() - 1);
            if (l.line() == 0 || prev != null && prev.line() == l.line() && prev.file().equals(l.file())) {
                continue;
            }
            kept.add(l);
        }
        List<ModuleIndex.FuncLine> out = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            ModuleIndex.FuncLine l = kept.get(i);
            long size = i + 1 < kept.size() ? kept.get(i + 1).rva() - l.rva() : l.rva() < end ? end - l.rva() : 0;
            out.add(new ModuleIndex.FuncLine(l.rva(), size, l.line(), l.file()));
        }
        return out;
    }
}
