package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.Limits;
import org.leakscope.symbols.breakpad.SymText;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.testing.Required;

/**
 * dumpsyms' operation on moz_basic32-min.pdb with its DLL, against the .sym mozilla's dump_syms wrote from the
 * same two files: with {@link SymbolDumps.Flavor#MOZILLA} every record but the generator's own INFO lines is the
 * same (MODULE, INFO CODE_ID, FUNC, PUBLIC with the catch-all {@code <unknown in basic32-min.dll>}, STACK WIN).
 */
class SymbolDumpsFlavorTest {
    @TempDir
    Path tmp;
    private Path pdb;
    private Path dll;

    /** The files under the names mozilla's dump_syms read them by (the corpus prefixes them with moz_). */
    @BeforeEach
    void copyUnderTheirOwnNames() throws IOException {
        pdb = Files.copy(Required.corpusFile("pdb/moz_basic32-min.pdb"), tmp.resolve("basic32-min.pdb"));
        dll = Files.copy(Required.corpusFile("pdb/moz_basic32-min.dll"), tmp.resolve("basic32-min.dll"));
    }

    @Test
    void mozillaFlavorWritesWhatMozillaDumpSymsWrote() throws Exception {
        SymbolData want = SymText.read(Required.corpusFile("pdb/moz_basic32-min.sym"));
        List<SymbolDumps.ModuleDump> dumps = SymbolDumps.dump(List.of(dll, pdb), Limits.DEFAULT,
                SymbolDumps.Flavor.MOZILLA);
        assertEquals(1, dumps.size());
        SymbolData got = dumps.get(0).data();
        assertEquals(want.module(), got.module());
        assertEquals(List.of("CODE_ID 5DDC1E9B6C000 basic32-min.dll"), want.info());
        assertEquals(want.info(), got.info());
        assertEquals(want.files(), got.files());
        assertEquals(want.functions(), got.functions());
        assertEquals(want.publics(), got.publics());
        assertEquals(want.stackWin(), got.stackWin());
        assertEquals(List.of(), dumps.get(0).warnings());
    }

    /** The default stays Breakpad's: DIA's spelling, and no catch-all public. */
    @Test
    void breakpadFlavorIsTheDefault() throws Exception {
        SymbolData got = SymbolDumps.dump(List.of(pdb, dll), Limits.DEFAULT).get(0).data();
        assertTrue(got.publics().stream().noneMatch(p -> p.name().startsWith("<unknown in ")));
        assertTrue(got.publics().stream().anyMatch(p -> p.name().equals("test1(int *)")), "DIA's spelling");
        SymbolData mozilla = SymbolDumps.dump(List.of(pdb, dll), Limits.DEFAULT, SymbolDumps.Flavor.MOZILLA).get(0)
                .data();
        assertTrue(mozilla.publics().stream().anyMatch(p -> p.name().equals("test1(int*)")), "mozilla's spelling");
    }
}
