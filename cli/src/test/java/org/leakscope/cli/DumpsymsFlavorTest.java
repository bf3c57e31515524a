package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dumpsyms --flavor mozilla} on moz_basic32-min.pdb and its DLL writes, byte for byte, the .sym mozilla's
 * dump_syms wrote from them; an unknown flavour is a usage error.
 */
class DumpsymsFlavorTest {
    @TempDir
    Path tmp;

    @Test
    void mozillaFlavorWritesMozillasSymFile() throws IOException {
        // under the names mozilla's dump_syms read them by (the corpus prefixes them with moz_)
        Path pdb = Files.copy(CliRun.corpus("pdb/moz_basic32-min.pdb"), tmp.resolve("basic32-min.pdb"));
        Path dll = Files.copy(CliRun.corpus("pdb/moz_basic32-min.dll"), tmp.resolve("basic32-min.dll"));
        CliRun r = CliRun.of("dumpsyms", "--flavor", "mozilla", pdb.toString(), dll.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertEquals("", r.err());
        assertEquals(Files.readString(CliRun.corpus("pdb/moz_basic32-min.sym")), r.out());
    }

    @Test
    void unknownFlavorIsAUsageError() {
        CliRun r = CliRun.of("dumpsyms", "--flavor", "dia", CliRun.corpus("pdb/moz_basic32-min.pdb").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exit());
        assertTrue(r.err().contains("--flavor: expected breakpad or mozilla, got 'dia'"), r.err());
    }
}
