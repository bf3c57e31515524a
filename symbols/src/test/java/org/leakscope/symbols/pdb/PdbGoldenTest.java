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
    /** Every corpus file the PDB tests read (this class, MsfFileTest, ModuleSymbolsTest, PdbMalformedTest). */
    private static final List<String> CORPUS_READ = List.of("pdb/bp_dump_syms_regtest.pdb",
            "pdb/bp_dump_syms_regtest.sym", "pdb/bp_dump_syms_regtest64.pdb", "pdb/bp_dump_syms_regtest64.sym",
            "pdb/moz_basic32-min.pdb", "pdb/moz_basic32-min.sym", "pdb/bp_omap_reorder_funcs.pdb",
            "pdb/bp_omap_reorder_funcs.sym");

    /** The corpus holds every file these tests read: a renamed or lost one is a failure, not a skip. */
    @org.junit.jupiter.api.Test
    void everyCorpusFileTheTestsReadIsThere() {
        Required.corpusHolds(CORPUS_READ);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bp_dump_syms_regtest", "bp_dump_syms_regtest64", "moz_basic32-min",
            "bp_omap_reorder_funcs"})
    void agreesWithDumpSyms(String name) throws Exception {
        SymbolData want = SymText.read(Required.corpusFile("pdb/" + name + ".sym"));
        Path pdb = Required.corpusFile("pdb/" + name + ".pdb");
        SymbolData got;
        try (PdbSymbols p = PdbSymbols.open(pdb)) {
            assertEquals(want.module().debugId(), p.identity().debugId(), name);
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
            } else if (diffs.size() < 100000) {
                diffs.add("name " + Long.toHexString(w.address()) + ": " + w.name() + " | got " + g.name());
            }
            Set<String> gl = new HashSet<>();
            g.lines().forEach(l -> gl.add(line(l, gotFiles)));
            for (SymbolData.Line l : w.lines()) {
                if (gl.contains(line(l, wantFiles))) {
                    linesOk++;
                } else if (diffs.size() < 100000) {
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
        int publicsWant = 0;
        for (SymbolData.Public w : want.publics()) {
            if (w.name().startsWith("<unknown in ")) {
                continue; // mozilla's dump_syms names the DLL's entry point it read from the DLL, not the PDB
            }
            publicsWant++;
            SymbolData.Public g = gotPub.get(w.address());
            if (g != null) {
                publicOk++;
                if (g.name().equals(w.name()) && g.paramSize() == w.paramSize() && g.multiple() == w.multiple()) {
                    publicNameOk++;
                } else if (diffs.size() < 100000) {
                    diffs.add("public " + Long.toHexString(w.address()) + ": " + (w.multiple() ? "m " : "")
                            + w.paramSize() + " " + w.name() + " | got " + (g.multiple() ? "m " : "")
                            + g.paramSize() + " " + g.name());
                }
            } else {
                diffs.add("public missing " + Long.toHexString(w.address()) + " " + w.name());
            }
        }
        System.out.printf("%s: FUNC %d/%d (got %d), names %d/%d, lines %d/%d, files used %d/%d, FILE %d (got %d), "
                + "PUBLIC %d/%d (got %d), public names %d%n", name, funcOk, want.functions().size(),
                got.functions().size(), nameOk, funcOk, linesOk, linesWant, usedFiles(got).size(), wantUsed.size(),
                wantFiles.size(), gotUsed.size(), publicOk, publicsWant, got.publics().size(), publicNameOk);
        String limit = System.getenv("PDB_DIFFS"); // more of the differences, when set
        diffs.stream().limit(limit == null ? 20 : Long.parseLong(limit)).forEach(d -> System.out.println("  " + d));
        assertEquals(want.functions().size(), funcOk, name + ": FUNC address, size and parameter size");
        assertEquals(want.functions().size(), got.functions().size(), name + ": FUNC count");
        assertEquals(linesWant, linesOk, name + ": line records");
        assertEquals(linesWant, got.functions().stream().mapToInt(f -> f.lines().size()).sum(), name + ": lines");
        assertEquals(wantUsed, usedFiles(got), name + ": FILE names of line records");
        assertEquals(new HashSet<>(wantFiles.values()), gotUsed, name + ": FILE names");
        assertEquals(publicsWant, publicOk, name + ": PUBLIC addresses");
        assertEquals(publicsWant, got.publics().size(), name + ": PUBLIC count");
        // Names: the argument types of FUNC names come from the type records (PDB types helper); printed above.
    }

    /** Random FUNC and line records of the golden resolve through lookup to the same function start and line. */
    @ParameterizedTest
    @ValueSource(strings = {"bp_dump_syms_regtest", "bp_dump_syms_regtest64", "moz_basic32-min",
            "bp_omap_reorder_funcs"})
    void lookupsAgreeWithDumpSyms(String name) throws Exception {
        SymbolData want = SymText.read(Required.corpusFile("pdb/" + name + ".sym"));
        Map<Long, String> files = files(want);
        Random random = new Random(15);
        int checked = 0;
        try (PdbSymbols p = PdbSymbols.open(Required.corpusFile("pdb/" + name + ".pdb"))) {
            for (int n = 0; n < 300; n++) {
                SymbolData.Function f = want.functions().get(random.nextInt(want.functions().size()));
                long at = f.address() + (f.size() == 0 ? 0 : random.nextLong(f.size()));
                SymbolHit hit = p.lookup(at).orElseThrow(() -> new AssertionError(name + ": nothing at " + at));
                assertEquals(f.address(), at - hit.functionOffset(), name + ": function start for 0x"
                        + Long.toHexString(at));
                for (SymbolData.Line l : f.lines()) {
                    if (at >= l.address() && at < l.address() + l.size()) {
                        assertEquals(Integer.valueOf((int) l.line()), hit.sourceLine(), name + ": line at 0x"
                                + Long.toHexString(at));
                        assertEquals(files.get(l.file()), hit.sourceFile(), name + ": file at 0x"
                                + Long.toHexString(at));
                    }
                }
                checked++;
            }
            // A public symbol no function covers (an import thunk) resolves to the public.
            int publics = 0;
            for (SymbolData.Public pub : want.publics()) {
                boolean covered = want.functions().stream()
                        .anyMatch(f -> pub.address() >= f.address() && pub.address() < f.address() + f.size());
                if (!covered && !pub.name().startsWith("<unknown in ")) {
                    SymbolHit hit = p.lookup(pub.address()).orElseThrow();
                    assertEquals(0, hit.functionOffset(), name + ": public at 0x" + Long.toHexString(pub.address()));
                    assertEquals(null, hit.sourceLine());
                    publics++;
                }
            }
            assertTrue(publics > 0, name);
        }
        assertEquals(300, checked);
    }

    private static Set<String> usedFiles(SymbolData d) {
        Map<Long, String> files = files(d);
        Set<String> used = new HashSet<>();
        d.functions().forEach(f -> f.lines().forEach(l -> used.add(files.get(l.file()))));
        return used;
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
