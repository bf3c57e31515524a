package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
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

    @Test
    void mingw32MatchesFuncsAndLines() throws Exception {
        SymComparison c = compare("dwarf/moz_basic32-dwarf.dll", "dwarf/moz_basic32-dwarf.sym", false,
                "basic32-dwarf.dll");
        assertEquals(0, c.mismatches("FUNC") + c.mismatches("extra FUNC"), c.summary("FUNC"));
        assertEquals(0, c.mismatches("line") + c.mismatches("extra line"), c.summary("lines"));
    }

    @Test
    void mingw64MatchesFuncsAndLines() throws Exception {
        SymComparison c = compare("dwarf/moz_basic64-dwarf.dll", "dwarf/moz_basic64-dwarf.sym", false,
                "basic64-dwarf.dll");
        assertEquals(0, c.mismatches("FUNC") + c.mismatches("extra FUNC"), c.summary("FUNC"));
        assertEquals(0, c.mismatches("line") + c.mismatches("extra line"), c.summary("lines"));
    }

    @Test
    void crashLinuxMatchesBreakpadFuncsAndLines() throws Exception {
        SymComparison c = compare("stackwalk/sentry_crash_linux",
                "stackwalk/symbols/crash_linux/D2554CDB926136C4B9766A086583B9B50/crash_linux.sym", false, null,
                DumpSymsStyle.BREAKPAD);
        assertEquals(1151, c.counts.get("FUNC")[0]);
        assertEquals(0, c.mismatches("FUNC") + c.mismatches("extra FUNC"), c.summary("FUNC"));
        assertEquals(0, c.mismatches("line") + c.mismatches("extra line"), c.summary("lines"));
    }
}
