package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.SyntheticDumpBuilder;

/**
 * dumpsyms end to end on the corpus' MSVC builds: the records dump_syms wrote for them come out again, a store
 * written by --store names a dump's frames, and mismatched or unreadable inputs are refused with exit status 2.
 */
class DumpsymsCommandTest {
    private static final String ID64 = "72E103A85CB249078B76B2E7C06257B13";

    @TempDir
    Path tmp;

    private static List<String> lines(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).toList();
    }

    private static List<String> golden(String corpusFile, String prefix) throws Exception {
        return lines(Files.readString(CliRun.corpus(corpusFile)).replace("\r", ""), prefix);
    }

    @Test
    void aPdbWithItsExeGivesTheModuleFunctionsAndUnwindRules() throws Exception {
        CliRun r = CliRun.of("dumpsyms", CliRun.corpus("pdb/bp_dump_syms_regtest64.pdb").toString(),
                CliRun.corpus("pdb/moz_dump_syms_regtest64.exe").toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertEquals("MODULE windows x86_64 " + ID64 + " dump_syms_regtest64.pdb", r.out().lines().findFirst().get());
        assertEquals(List.of("INFO CODE_ID 589DFD111A000 moz_dump_syms_regtest64.exe"), lines(r.out(), "INFO "));
        // functions and lines as Breakpad's DIA-based dump_syms wrote them for this PDB
        assertEquals(golden("pdb/bp_dump_syms_regtest64.sym", "FUNC "), lines(r.out(), "FUNC "));
        // unwind rules from the exe's .pdata/.xdata: mozilla's records at the same addresses; 61 of them differ
        // where mozilla's tool wrote a register saved in the caller's home space at .cfa 0 (see docs/symbols.md)
        List<String> cfi = lines(r.out(), "STACK CFI INIT ");
        List<String> want = golden("pdb/moz_dump_syms_regtest64.sym", "STACK CFI INIT ");
        assertEquals(want.stream().map(l -> l.split(" ")[3]).toList(), cfi.stream().map(l -> l.split(" ")[3]).toList());
        Set<String> same = new TreeSet<>(want);
        same.retainAll(cfi);
        assertEquals(195 - 61, same.size());
    }

    @Test
    void anX86PdbGivesItsFpoAndFrameDataAsStackWin() throws Exception {
        CliRun r = CliRun.of("dumpsyms", CliRun.corpus("pdb/bp_dump_syms_regtest.pdb").toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertEquals(golden("pdb/bp_dump_syms_regtest.sym", "STACK WIN "), lines(r.out(), "STACK WIN "));
        assertEquals(golden("pdb/bp_dump_syms_regtest.sym", "FUNC "), lines(r.out(), "FUNC "));
    }

    /** Linux fills a Breakpad store from a Windows build; dumpscan then names a crash in that build from it. */
    @Test
    void aStoreWrittenWithStoreNamesADumpsFrames() throws Exception {
        Path store = tmp.resolve("store");
        CliRun r = CliRun.of("dumpsyms", CliRun.corpus("pdb/bp_dump_syms_regtest64.pdb").toString(),
                CliRun.corpus("pdb/moz_dump_syms_regtest64.exe").toString(), "--store", store.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        Path sym = store.resolve("dump_syms_regtest64.pdb").resolve(ID64).resolve("dump_syms_regtest64.sym");
        assertEquals(sym + "\n", r.out());
        assertTrue(Files.isRegularFile(sym));
        try (var files = Files.list(sym.getParent())) {
            assertEquals(1, files.count(), "no temporary file left beside it");
        }

        Path dump = tmp.resolve("crash.dmp");
        long base = 0x140000000L;
        new SyntheticDumpBuilder().systemInfo(9, 2, "")
                .threads(true, 1232, new long[][] {{0x10, base + 0x1020, 0x14fe00}})
                .moduleWithPdb(base, 0x1a000, "C:\\build\\dump_syms_regtest64.exe", ID64, "dump_syms_regtest64.pdb")
                .endModules().exception(0x10, 0xc0000005L, base + 0x1020, 0, 0).write(dump);
        CliRun scan = CliRun.of("dumpscan", dump.toString(), "--symbols-path", store.toString());
        assertTrue(scan.out().contains("dump_syms_regtest64.exe!main+0x10 [dump_syms_regtest.cc : 58]"), scan.out());
    }

    @Test
    void aPdbAndAnExeOfDifferentBuildsAreRefused() throws Exception {
        CliRun r = CliRun.of("dumpsyms", CliRun.corpus("pdb/bp_dump_syms_regtest.pdb").toString(),
                CliRun.corpus("pdb/moz_dump_syms_regtest64.exe").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("9214611565FA4C538FE724A797B860F71") && r.err().contains(ID64), r.err());
    }

    @Test
    void aFileThatIsNeitherIsRefusedAndTwoModulesNeedAStore() throws Exception {
        Path text = tmp.resolve("notes.pdb");
        Files.writeString(text, "not a PDB");
        CliRun r = CliRun.of("dumpsyms", text.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exit());
        assertTrue(r.err().startsWith("dumpsyms: error: " + text), r.err());
        assertTrue(r.err().contains("expected a PDB (MSF 7.00), a PE file (MZ) or an ELF file, found none of them"),
                r.err());

        CliRun two = CliRun.of("dumpsyms", CliRun.corpus("pdb/bp_dump_syms_regtest.pdb").toString(),
                CliRun.corpus("pdb/bp_dump_syms_regtest64.pdb").toString());
        assertEquals(ExitCode.BAD_INPUT, two.exit());
        assertTrue(two.err().contains("2 modules in 2 files: give --store DIR"), two.err());
    }

    /**
     * An ELF file's DWARF and call frame information, in mozilla's conventions, give the .sym mozilla's dump_syms
     * wrote for it byte for byte (the corpus renamed basic.full), with and without --inlines.
     */
    @Test
    void anElfFileGivesMozillasSymFileByteForByte() throws Exception {
        for (String golden : List.of("dwarf/moz_linux_basic.full.sym", "dwarf/moz_linux_basic.full.inlines.sym")) {
            List<String> args = new java.util.ArrayList<>(List.of("dumpsyms", "--flavor", "mozilla",
                    CliRun.corpus("dwarf/moz_linux_basic.full").toString()));
            if (golden.contains("inlines")) {
                args.add("--inlines");
            }
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(ExitCode.OK, r.exit(), r.err());
            String want = Files.readString(CliRun.corpus(golden)).replace("\r", "")
                    .replace("basic.full", "moz_linux_basic.full");
            assertEquals(want, r.out(), golden);
        }
    }

    /**
     * A mingw-w64 DLL built with -g: FUNC, line, FILE and PUBLIC records from its DWARF, exports and COFF symbols,
     * STACK CFI from its x64 unwind data, byte for byte as mozilla's dump_syms wrote them (the corpus renamed
     * basic32-dwarf.dll and basic64-dwarf.dll).
     */
    @Test
    void aMingwDllGivesItsDwarfFunctionsLinesAndUnwindRules() throws Exception {
        for (String bits : List.of("32", "64")) {
            String dll = "dwarf/moz_basic" + bits + "-dwarf.dll";
            CliRun r = CliRun.of("dumpsyms", "--flavor", "mozilla", CliRun.corpus(dll).toString());
            assertEquals(ExitCode.OK, r.exit(), r.err());
            String want = Files.readString(CliRun.corpus("dwarf/moz_basic" + bits + "-dwarf.sym"))
                    .replace("\r", "").replace("basic" + bits + "-dwarf.dll", "moz_basic" + bits + "-dwarf.dll");
            assertEquals(bits.equals("32") ? 417 : 402, lineRecords(want).size());
            assertEquals(want, r.out(), dll);
        }
    }

    private static List<String> lineRecords(String sym) {
        return sym.lines().filter(l -> l.matches("[0-9a-f]+ [0-9a-f]+ \\d+ \\d+"))
                .map(l -> l.substring(0, l.lastIndexOf(' '))).toList();
    }
}
