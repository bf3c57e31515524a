package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.testing.Required;

/** A module's procedures, inline sites and inlinee lines, against llvm-pdbutil-14's dump of the same PDB. */
class ModuleSymbolsTest {
    @Test
    void decodesInlineSitesOfDosmap() throws Exception {
        try (MsfFile msf = MsfFile.open(Required.corpusFile("pdb/bp_dump_syms_regtest64.pdb"))) {
            DbiStream dbi = DbiStream.read(msf);
            PdbModule dosmap = dbi.modules().get(10);
            assertTrue(dosmap.name().endsWith("\\dosmap.obj"), dosmap.name());
            ModuleSymbols m = ModuleSymbols.read(msf, dosmap);
            ModuleSymbols.Proc proc = m.procs.stream().filter(p -> p.offset() == 7280).findFirst().orElseThrow();
            assertEquals("_dosmaperr", proc.procedure().name());
            assertEquals(1, proc.section());
            assertEquals(2, proc.inlineSites().size());
            // inlinee = 0x106A (_errno): code 0x25, then +0x5 line +2, line +2, code +0xC length 4
            ModuleSymbols.InlineSite errno = proc.inlineSites().get(0);
            assertEquals(0x106A, errno.inlinee());
            assertEquals(0, errno.depth());
            assertEquals(3, errno.lines().size());
            assertArrayEquals(new long[] {0x25, 5, 0, -1}, errno.lines().get(0));
            assertArrayEquals(new long[] {0x2A, 0xC, 2, -1}, errno.lines().get(1));
            assertArrayEquals(new long[] {0x36, 4, 4, -1}, errno.lines().get(2));
            ModuleSymbols.InlineSite doserrno = proc.inlineSites().get(1);
            assertEquals(0x1088, doserrno.inlinee());
            assertEquals(List.of(0xCL, 0x11L, 0x16L, 0x1FL), doserrno.lines().stream().map(l -> l[0]).toList());
            assertEquals(List.of(5L, 5L, 9L, 4L), doserrno.lines().stream().map(l -> l[1]).toList());
            assertEquals(List.of(0L, 1L, 2L, 4L), doserrno.lines().stream().map(l -> l[2]).toList());
            // DEBUG_S_INLINEELINES: _errno starts at line 280, __doserrno at 293, both in dosmap.c
            StringTable names = StringTable.read(msf, PdbInfo.read(msf));
            ModuleSymbols.InlineeLine e = m.inlinees.stream().filter(i -> i.inlinee() == 0x106A).findFirst()
                    .orElseThrow();
            assertEquals(280, e.line());
            assertEquals("f:\\dd\\vctools\\crt\\crtw32\\dos\\dosmap.c", names.get(e.nameOffset()));
            assertEquals(293, m.inlinees.stream().filter(i -> i.inlinee() == 0x1088).findFirst().orElseThrow()
                    .line());
        }
    }

    @Test
    void countsEveryInlineSiteOfTheX64Pdb() throws Exception {
        try (MsfFile msf = MsfFile.open(Required.corpusFile("pdb/bp_dump_syms_regtest64.pdb"))) {
            int sites = 0;
            for (PdbModule mod : DbiStream.read(msf).modules()) {
                for (ModuleSymbols.Proc p : ModuleSymbols.read(msf, mod).procs) {
                    sites += p.inlineSites().size();
                }
            }
            assertEquals(158, sites); // llvm-pdbutil-14 dump -symbols: 158 S_INLINESITE records
        }
    }
}
