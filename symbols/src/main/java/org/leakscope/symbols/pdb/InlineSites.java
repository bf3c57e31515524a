package org.leakscope.symbols.pdb;

import java.util.List;
import java.util.Map;

/**
 * The inline sites of one function at final RVAs: for each site, the site it is inlined into, its inlinee's item
 * id, and its code ranges with the inlinee's own file and line there (the start line of the inlinee from
 * {@code DEBUG_S_INLINEELINES} plus the annotations' line offset; the file from a ChangeFile annotation, else the
 * inlinee's). What {@link PdbSymbols#lookup} turns into inlined calls.
 */
final class InlineSites {
    static final InlineSites NONE = new InlineSites(new int[0], new long[0], new Range[0][]);

    /** A code range of a site: {@code line} is -1 and {@code file} null when the PDB does not say. */
    record Range(long rva, long size, long line, String file) {
    }

    private final int[] parents;
    private final long[] inlinees;
    private final Range[][] ranges;

    private InlineSites(int[] parents, long[] inlinees, Range[][] ranges) {
        this.parents = parents;
        this.inlinees = inlinees;
        this.ranges = ranges;
    }

    /** The sites of procedure {@code p} of module {@code m}, their ranges mapped through {@code addresses}. */
    static InlineSites of(ModuleSymbols m, ModuleSymbols.Proc p, AddressMap addresses, StringTable names) {
        List<ModuleSymbols.InlineSite> sites = p.inlineSites();
        if (sites.isEmpty()) {
            return NONE;
        }
        Map<Long, ModuleSymbols.InlineeLine> starts = m.inlineeStarts();
        int[] parents = new int[sites.size()];
        long[] inlinees = new long[sites.size()];
        Range[][] ranges = new Range[sites.size()][];
        for (int i = 0; i < parents.length; i++) {
            ModuleSymbols.InlineSite s = sites.get(i);
            parents[i] = s.parent();
            inlinees[i] = s.inlinee();
            ModuleSymbols.InlineeLine start = starts.get(s.inlinee());
            String own = start == null ? null : names.get(start.nameOffset());
            ranges[i] = new Range[s.lines().size()];
            for (int r = 0; r < ranges[i].length; r++) {
                long[] l = s.lines().get(r); // code offset, length, line offset, file checksum offset or -1
                long rva = addresses.rva(p.section(), p.offset() + l[0]);
                Long fileName = l[3] < 0 ? null : m.checksums.get(l[3]);
                String file = l[3] < 0 ? own : fileName == null ? null : names.get(fileName);
                ranges[i][r] = new Range(rva, rva < 0 ? 0 : l[1], start == null ? -1 : start.line() + l[2], file);
            }
        }
        return new InlineSites(parents, inlinees, ranges);
    }

    boolean isEmpty() {
        return parents.length == 0;
    }

    int size() {
        return parents.length;
    }

    long inlinee(int site) {
        return inlinees[site];
    }

    /**
     * The sites holding {@code rva}, outermost first, each inlined into the one before: at each level the first
     * site (in record order) whose ranges hold it. Sites come after the site they are inlined into, so one pass
     * finds the chain.
     */
    int[] chain(long rva) {
        int[] out = new int[parents.length];
        int n = 0;
        int current = -1;
        for (int i = 0; i < parents.length; i++) {
            if (parents[i] == current && range(i, rva) != null) {
                out[n++] = i;
                current = i;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** The range of {@code site} holding {@code rva}, or null. */
    Range range(int site, long rva) {
        for (Range r : ranges[site]) {
            if (r.rva() >= 0 && rva - r.rva() >= 0 && rva - r.rva() < r.size()) {
                return r;
            }
        }
        return null;
    }
}
