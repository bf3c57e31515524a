package org.leakscope.symbols.breakpad;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.leakscope.testing.Required;

/** Reading the reference tools' .sym files and writing them back gives the same bytes: the golden tests rely on it. */
class SymTextTest {
    @ParameterizedTest
    @ValueSource(strings = {"pdb/bp_dump_syms_regtest.sym", "pdb/bp_dump_syms_regtest64.sym",
            "pdb/bp_omap_reorder_funcs.sym", "pdb/moz_basic32-min.sym", "pdb/moz_dump_syms_regtest64.sym"})
    void roundTripsTheReferenceFiles(String name) throws Exception {
        Path p = Required.corpusFile(name);
        SymbolData d = SymText.read(p);
        StringWriter w = new StringWriter();
        SymText.write(d, w);
        String original = Files.readString(p, StandardCharsets.UTF_8).replace("\r\n", "\n");
        List<String> want = original.lines().filter(l -> !l.isEmpty()).map(String::stripTrailing).toList();
        List<String> got = w.toString().lines().map(String::stripTrailing).toList();
        assertEquals(want.size(), got.size(), name);
        if (name.contains("omap")) {
            // its FUNC records follow the PDB's order, not addresses (the writer sorts): same records, another order
            assertEquals(want.stream().sorted().toList(), got.stream().sorted().toList(), name);
            return;
        }
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i), got.get(i), name + " record " + (i + 1));
        }
    }
}
