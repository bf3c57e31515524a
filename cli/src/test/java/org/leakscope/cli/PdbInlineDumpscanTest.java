package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.SyntheticDumpBuilder;

/**
 * dumpscan names the code MSVC inlined at a crash address from the PDB's inline sites: an {@code (inlined)} line
 * above the frame, the frame itself on the line that calls it. The program is Breakpad's dump_syms_regtest64.exe,
 * its PDB from the corpus in a local Microsoft-layout store.
 */
class PdbInlineDumpscanTest {
    private static final String ID = "72E103A85CB249078B76B2E7C06257B13";
    private static final String PDB = "dump_syms_regtest64.pdb";
    private static final long BASE = 0x140000000L;
    private static final int SIZE = 0x1a000;
    /**
     * _dosmaperr + 0x20 (RVA 0x2C70 + 0x20): inside the inline site of __doserrno (code 0x1F..0x23, line 4 past
     * its start at dosmap.c 293), called from line 111 of _dosmaperr (llvm-pdbutil-14 dump -symbols, -il).
     */
    private static final long RVA = 0x2C90;

    @TempDir
    Path tmp;

    @Test
    void theInlinedCallIsALineAboveItsCaller() throws Exception {
        Path store = tmp.resolve("symbols");
        Path to = store.resolve(PDB).resolve(ID).resolve(PDB);
        Files.createDirectories(to.getParent());
        Files.copy(CliRun.corpus("pdb/bp_dump_syms_regtest64.pdb"), to);
        Path dump = tmp.resolve("crash.dmp");
        new SyntheticDumpBuilder().systemInfo(9, 2, "")
                .threads(true, 1232, new long[][] {{0x10, BASE + RVA, 0x14fe00}})
                .moduleWithPdb(BASE, SIZE, "C:\\build\\dump_syms_regtest64.exe", ID, PDB).endModules()
                .exception(0x10, 0xc0000005L, BASE + RVA, 0, 0)
                .write(dump);
        CliRun run = CliRun.of("dumpscan", dump.toString(), "--symbols-path", store.toString());
        String out = run.out();
        // the crashing thread's stack: the inlined call, then frame #0 at its call site (dump_syms names the
        // function by its public symbol, less the C underscore)
        String file = "f:\\dd\\vctools\\crt\\crtw32\\dos\\dosmap.c";
        assertTrue(out.contains("      __doserrno [" + file + " : 297]  (inlined)\n"
                + "  #0  dump_syms_regtest64.exe!dosmaperr+0x20 [" + file + " : 111]  (context)\n"), out + run.err());
        assertTrue(out.contains("Crash signature: dump_syms_regtest64.exe!dosmaperr"), out);
        CliRun json = CliRun.of("dumpscan", dump.toString(), "--json", "--symbols-path", store.toString());
        assertTrue(json.out().contains("\"function\" : \"__doserrno\""), json.out());
    }
}
