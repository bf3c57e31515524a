package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.leakscope.symbols.breakpad.SymText;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.testing.Required;

/**
 * STACK WIN records from the FPO and frame-data streams against the reference .sym files, record by record in
 * the reference's order: Breakpad's (DIA) for its two x86 PDBs, one of them reordered through OMAP, mozilla's
 * for moz_basic32-min.pdb; none for the x64 PDB. The issue asks for all of them.
 */
class StackWinGoldenTest {
    @ParameterizedTest
    @CsvSource({"bp_dump_syms_regtest, BREAKPAD, 281", "bp_omap_reorder_funcs, BREAKPAD, 281",
            "moz_basic32-min, MOZILLA, 4993", "bp_dump_syms_regtest64, BREAKPAD, 0"})
    void stackWinAgreesWithTheReference(String name, DumpSymsFlavor flavor, int count) throws Exception {
        SymbolData golden = SymText.read(Required.corpusFile("pdb/" + name + ".sym"));
        try (MsfFile msf = MsfFile.open(Required.corpusFile("pdb/" + name + ".pdb"))) {
            DbiStream dbi = DbiStream.read(msf);
            List<SymbolData.StackWin> ours = StackWinRecords.read(msf, dbi, StringTable.read(msf, PdbInfo.read(msf)),
                    AddressMap.read(msf, dbi), flavor);
            List<SymbolData.StackWin> want = golden.stackWin();
            int same = 0;
            for (int i = 0; i < Math.min(ours.size(), want.size()); i++) {
                if (ours.get(i).equals(want.get(i))) {
                    same++;
                } else if (i - same < 10) {
                    System.out.println("  #" + i + " want " + want.get(i) + "\n     got  " + ours.get(i));
                }
            }
            System.out.printf("%s: STACK WIN %d of %d records agree (%d written)%n", name, same, want.size(),
                    ours.size());
            assertEquals(count, want.size());
            assertEquals(want, ours);
        }
    }

    /** What dumpsyms writes: PdbSymbols.toSymbolData() through the hook, Breakpad's list. */
    @ParameterizedTest
    @CsvSource({"bp_dump_syms_regtest", "bp_omap_reorder_funcs", "bp_dump_syms_regtest64"})
    void toSymbolDataWritesBreakpadsStackWin(String name) throws Exception {
        SymbolData golden = SymText.read(Required.corpusFile("pdb/" + name + ".sym"));
        try (PdbSymbols p = PdbSymbols.open(Required.corpusFile("pdb/" + name + ".pdb"))) {
            assertEquals(golden.stackWin(), p.toSymbolData().stackWin());
            assertEquals(List.of(), p.problems());
        }
    }
}
