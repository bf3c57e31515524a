package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.leakscope.symbols.breakpad.SymText;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.testing.Required;

/**
 * FUNC names against the .sym files the reference tools wrote from the same PDBs: Breakpad's DIA-based dump_syms
 * (names with argument types, from the type records) and mozilla's (moz_basic32-min.pdb, stripped of its type
 * records). Every FUNC of the reference file is looked up by address among the PDB's procedure symbols and named
 * through the hook. Prints the agreement and every difference; the issue asks for 99 %, all agree.
 */
class TypeNamesGoldenTest {
    @ParameterizedTest
    @CsvSource({"bp_dump_syms_regtest, BREAKPAD", "bp_dump_syms_regtest64, BREAKPAD",
            "bp_omap_reorder_funcs, BREAKPAD", "moz_basic32-min, MOZILLA"})
    void namesAgreeWithDumpSyms(String name, DumpSymsFlavor flavor) throws Exception {
        Path pdb = Required.corpusFile("pdb/" + name + ".pdb");
        SymbolData golden = SymText.read(Required.corpusFile("pdb/" + name + ".sym"));
        try (MsfFile msf = MsfFile.open(pdb)) {
            ProcedureNames names = TypedProcedureNames.forPdb(msf, PdbInfo.read(msf), flavor);
            Map<Long, List<ProcedureNames.Procedure>> byRva = new HashMap<>();
            DbiStream dbi = DbiStream.read(msf);
            AddressMap addresses = AddressMap.read(msf, dbi);
            for (PdbModule m : dbi.modules()) {
                for (ModuleSymbols.Proc p : ModuleSymbols.read(msf, m).procs) {
                    long rva = addresses.rva(p.section(), p.offset());
                    byRva.computeIfAbsent(rva, k -> new ArrayList<>()).add(p.procedure());
                }
            }
            int agree = 0;
            List<String> differences = new ArrayList<>();
            for (SymbolData.Function f : golden.functions()) {
                List<ProcedureNames.Procedure> at = byRva.getOrDefault(f.address(), List.of());
                List<String> ours = at.stream().map(names::name).toList();
                if (ours.contains(f.name())) {
                    agree++;
                } else {
                    differences.add(Long.toHexString(f.address()) + ": want '" + f.name() + "', got " + ours);
                }
            }
            int total = golden.functions().size();
            System.out.printf("%s: FUNC names %d of %d agree (%.2f %%)%n", name, agree, total, 100.0 * agree / total);
            differences.forEach(d -> System.out.println("  " + d));
            assertTrue(agree * 100L >= total * 99L, name + ": " + agree + " of " + total + " names agree");
            // every name agrees today: a regression below 100 % is one, even above the 99 %
            assertEquals(List.of(), differences, name);
            if (name.startsWith("moz")) {
                // without type records, the Breakpad flavor keeps the plain names too (not "static  name()")
                ProcedureNames breakpad = TypedProcedureNames.forPdb(msf, PdbInfo.read(msf), DumpSymsFlavor.BREAKPAD);
                assertSame(ProcedureNames.PLAIN, breakpad);
            }
        }
    }
}
