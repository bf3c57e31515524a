package org.leakscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import org.leakscope.analysis.SymbolDumps;
import org.leakscope.model.Limits;
import org.leakscope.symbols.breakpad.SymText;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.symbols.pdb.DumpSymsFlavor;
import org.leakscope.symbols.pdb.PdbSymbols;

/**
 * PDB files: the MSF container, then what the symbol service and dumpsyms take from them: identity, every
 * lookup (at each function, public and STACK WIN record the file defines, and one byte past), the STACK WIN
 * records from FPO and frame data, and the {@code .sym} text of both dump_syms flavors.
 */
class PdbFuzzTest {
    /** At most this many addresses looked up per input: enough to reach every kind of record. */
    private static final int LOOKUPS = 64;

    @FuzzTest(maxDuration = "30s")
    void pdb(byte[] input) throws Exception {
        Path file = FuzzFile.of("input.pdb", input);
        ReaderContract.check("pdb", () -> {
            PdbSymbols.isPdb(file);
            try (PdbSymbols pdb = PdbSymbols.open(file)) {
                pdb.debugId();
                pdb.identity();
                pdb.cpu();
                pdb.functions();
                pdb.lookup(0);
                pdb.lookup(-1);
                SymbolData d = pdb.toSymbolData();
                int n = 0;
                for (SymbolData.Function f : d.functions()) {
                    if (n++ == LOOKUPS) {
                        break;
                    }
                    pdb.lookup(f.address());
                    pdb.lookup(f.address() + f.size());
                }
                d.publics().stream().limit(LOOKUPS).forEach(p -> pdb.lookup(p.address()));
                d.stackWin().stream().limit(LOOKUPS).forEach(w -> pdb.lookup(w.rva()));
                SymText.write(d, Writer.nullWriter());
                SymText.write(pdb.toSymbolData(DumpSymsFlavor.MOZILLA, "input.dll"), Writer.nullWriter());
                pdb.problems();
            }
            for (SymbolDumps.ModuleDump m : SymbolDumps.dump(List.of(file), Limits.DEFAULT)) {
                SymText.write(m.data(), Writer.nullWriter());
            }
        });
    }
}
