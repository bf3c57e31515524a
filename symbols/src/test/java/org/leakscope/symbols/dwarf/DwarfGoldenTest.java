package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.leakscope.symbols.breakpad.SymText;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.testing.Required;

/**
 * DWARF turned into .sym records agrees with the dump_syms outputs of the corpus, record by record (files by
 * name): Mozilla's dump_syms for the Linux and mingw test binaries, Breakpad's for sentry_crash_linux.
 */
class DwarfGoldenTest {
    private static final List<String> CORPUS_READ = List.of("dwarf/moz_linux_basic.full",
            "dwarf/moz_linux_basic.full.sym", "dwarf/moz_linux_basic.full.inlines.sym", "dwarf/moz_basic32-dwarf.dll",
            "dwarf/moz_basic32-dwarf.sym", "dwarf/moz_basic64-dwarf.dll", "dwarf/moz_basic64-dwarf.sym",
            "stackwalk/sentry_crash_linux",
            "stackwalk/symbols/crash_linux/D2554CDB926136C4B9766A086583B9B50/crash_linux.sym");

    /** The corpus holds every file the DWARF tests read: a renamed or lost one is a failure, not a skip. */
    @Test
    void everyCorpusFileTheTestsReadIsThere() {
        Required.corpusHolds(CORPUS_READ);
    }
    private static SymComparison compare(String binary, String golden, boolean inlines, String goldenName)
            throws Exception {
        return compare(binary, golden, inlines, goldenName, DumpSymsStyle.MOZILLA);
    }

    /** {@code goldenName}: the module's name when the reference was made (the corpus renamed the file), or null. */
    private static SymComparison compare(String binary, String golden, boolean inlines, String goldenName,
            DumpSymsStyle style) throws Exception {
        Path bin = Required.corpusFile(binary);
        SymbolData want = SymText.read(Required.corpusFile(golden));
        DwarfSymbols d = DwarfSymbols.open(bin);
        SymComparison c = new SymComparison(want, d.toSymbolData(inlines, style), goldenName,
                bin.getFileName().toString());
        System.out.println(c.summary(binary + " vs " + golden));
        d.problems().forEach(p -> System.out.println("  problem: " + p));
        assertEquals(0, c.mismatches("MODULE") + c.mismatches("INFO"), c.summary("MODULE and INFO"));
        assertEquals(List.of(), d.problems());
        return c;
    }

    @Test
    void linuxBasicMatchesFuncsLinesAndPublics() throws Exception {
        SymComparison c = compare("dwarf/moz_linux_basic.full", "dwarf/moz_linux_basic.full.sym", false,
                "basic.full");
        assertEquals(6, c.counts.get("FUNC")[0]);
        assertEquals(0, c.mismatches("FUNC") + c.mismatches("extra FUNC"), c.summary("FUNC"));
        assertEquals(0, c.mismatches("line") + c.mismatches("extra line"), c.summary("lines"));
        assertEquals(0, c.mismatches("PUBLIC") + c.mismatches("extra PUBLIC"), c.summary("PUBLIC"));
    }

    @Test
    void linuxBasicMatchesInlines() throws Exception {
        SymComparison c = compare("dwarf/moz_linux_basic.full", "dwarf/moz_linux_basic.full.inlines.sym", true,
                "basic.full");
        assertEquals(0, c.mismatches("INLINE"), c.summary("INLINE"));
        assertEquals(0, c.mismatches("INLINE_ORIGIN") + c.mismatches("extra INLINE_ORIGIN"), c.summary("ORIGIN"));
        assertEquals(0, c.mismatches("line") + c.mismatches("FUNC"), c.summary("lines"));
    }

    /** FUNC and line records of the mingw DLLs (Mozilla's dump_syms) and of sentry_crash_linux (Breakpad's). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"dwarf/moz_basic32-dwarf.dll, dwarf/moz_basic32-dwarf.sym, basic32-dwarf.dll, MOZILLA, 34",
        "dwarf/moz_basic64-dwarf.dll, dwarf/moz_basic64-dwarf.sym, basic64-dwarf.dll, MOZILLA, 49",
        "stackwalk/sentry_crash_linux, stackwalk/symbols/crash_linux/D2554CDB926136C4B9766A086583B9B50/crash_linux.sym,"
            + " , BREAKPAD, 1151"})
    void funcAndLineRecordsMatch(String binary, String golden, String goldenName, DumpSymsStyle style, int funcs)
            throws Exception {
        SymComparison c = compare(binary, golden, false, goldenName, style);
        assertEquals(funcs, c.counts.get("FUNC")[0]);
        assertEquals(0, c.mismatches("FUNC") + c.mismatches("extra FUNC"), c.summary("FUNC"));
        assertEquals(0, c.mismatches("line") + c.mismatches("extra line"), c.summary("lines"));
    }
}
