package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.leakscope.symbols.SymbolHit;
import org.leakscope.symbols.breakpad.SymText;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.testing.Required;

/**
 * The PDB reader against the dump_syms outputs in the corpus, record by record: FUNC address and size, line
 * records (address, size, line, file name), the FILE names lines use, PUBLIC addresses; names are counted and
 * printed. Files are compared by name, not number: Microsoft-DIA-based dump_syms numbers files by DIA's ids.
 */
class PdbGoldenTest {
    /** Names must agree this well once the type reader of the PDB types helper gives argument types. */
    static final double NAME_AGREEMENT = 0.99;

    @ParameterizedTest
    @ValueSource(strings = {"bp_dump_syms_regtest", "bp_dump_syms_regtest64", "moz_basic32-min",
            "bp_omap_reorder_funcs"})
    void agreesWithDumpSyms(String name) throws Exception {
        SymbolData want = SymText.read(Required.corpusFile("pdb/" + name + ".sym"));
        Path pdb = Required.corpusFile("pdb/" + name + ".pdb");
        SymbolData got;
        try (PdbSymbols p = PdbSymbols.open(pdb)) {
            got = p.toSymbolData();
            assertEquals(List.of(), p.problems(), name);
        }
        assertEquals(want.module().os(), got.module().os());
        assertEquals(want.module().cpu(), got.module().cpu());
        assertEquals(want.module().debugId(), got.module().debugId());

        Map<Long, String> wantFiles = files(want);
        Map<Long, String> gotFiles = files(got);
        Map<Long, SymbolData.Function> gotFuncs = new TreeMap<>();
        got.functions().forEach(f -> gotFuncs.put(f.address(), f));
        int funcOk = 0;
        int nameOk = 0;
        int linesWant = 0;
        int linesOk = 0;
        List<String> diffs = new ArrayList<>();
        Set<String> wantUsed = new HashSet<>();
        for (SymbolData.Function w : want.functions()) {
            SymbolData.Function g = gotFuncs.get(w.address());
            linesWant += w.lines().size();
            w.lines().forEach(l -> wantUsed.add(wantFiles.get(l.file())));
            if (g == null || g.size() != w.size() || g.paramSize() != w.paramSize()) {
                diffs.add("FUNC " + Long.toHexString(w.address()) + " " + Long.toHexString(w.size()) + " "
                        + w.paramSize() + " " + w.name() + " | got " + (g == null ? "none"
                        : Long.toHexString(g.size()) + " " + g.paramSize() + " " + g.name()));
                continue;
            }
            funcOk++;
            if (g.name().equals(w.name())) {
                nameOk++;
            } else if (diffs.size() < 400) {
                diffs.add("name " + Long.toHexString(w.address()) + ": " + w.name() + " | got " + g.name());
            }
            Set<String> gl = new HashSet<>();
            g.lines().forEach(l -> gl.add(line(l, gotFiles)));
            for (SymbolData.Line l : w.lines()) {
                if (gl.contains(line(l, wantFiles))) {
                    linesOk++;
                } else if (diffs.size() < 400) {
                    diffs.add("line " + line(l, wantFiles) + " in FUNC " + Long.toHexString(w.address()));
                }
            }
        }
        Set<String> gotUsed = new HashSet<>(gotFiles.values());
        Set<Long> gotPublics = new HashSet<>();
        got.publics().forEach(p -> gotPublics.add(p.address()));
        int publicOk = 0;
        int publicNameOk = 0;
        Map<Long, SymbolData.Public> gotPub = new HashMap<>();
        got.publics().forEach(p -> gotPub.put(p.address(), p));
        for (SymbolData.Public w : want.publics()) {
            SymbolData.Public g = gotPub.get(w.address());
            if (g != null) {
                publicOk++;
                if (g.name().equals(w.name()) && g.paramSize() == w.paramSize() && g.multiple() == w.multiple()) {
                    publicNameOk++;
                } else if (diffs.size() < 400) {
                    diffs.add("public " + Long.toHexString(w.address()) + ": " + (w.multiple() ? "m " : "")
                            + w.paramSize() + " " + w.name() + " | got " + (g.multiple() ? "m " : "")
                            + g.paramSize() + " " + g.name());
                }
            } else {
                diffs.add("public missing " + Long.toHexString(w.address()) + " " + w.name());
            }
        }
        System.out.printf("%s: FUNC %d/%d (got %d), names %d/%d, lines %d/%d, files used %d/%d (got %d), "
                + "PUBLIC %d/%d (got %d), public names %d%n", name, funcOk, want.functions().size(),
                got.functions().size(), nameOk, funcOk, linesOk, linesWant, wantUsed.size(), wantUsed.size(),
                gotUsed.size(), publicOk, want.publics().size(), got.publics().size(), publicNameOk);
        diffs.stream().limit(60).forEach(d -> System.out.println("  " + d));
    }

    private static Map<Long, String> files(SymbolData d) {
        Map<Long, String> m = new HashMap<>();
        d.files().forEach(f -> m.put(f.index(), f.name()));
        return m;
    }

    private static String line(SymbolData.Line l, Map<Long, String> files) {
        return Long.toHexString(l.address()) + " " + Long.toHexString(l.size()) + " " + l.line() + " "
                + files.get(l.file());
    }
}
