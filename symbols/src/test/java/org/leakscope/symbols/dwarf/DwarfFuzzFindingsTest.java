package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.Problem;
import org.leakscope.testing.Required;

/**
 * What the DWARF fuzz target found (fuzz/, docs/fuzzing.md). Each input came from a corpus file, so it is rebuilt
 * here from that file and the one mutation that matters (the fuzzer's input differed in thousands of bytes), and
 * no third-party bytes are committed.
 */
class DwarfFuzzFindingsTest {
    @TempDir
    Path dir;

    /**
     * moz_linux_basic.full's {@code .debug_aranges} (file offset 0x3045) with the first set's address size 0, and
     * its segment selector size 0 as it is: a zero-byte tuple, whose alignment was computed modulo its size (an
     * ArithmeticException escaped). Now the aranges are a recorded problem and the units' own DIEs place them.
     */
    @Test
    void arangesWithAZeroByteTupleAreARecordedProblem() throws Exception {
        Path original = Required.corpusFile("dwarf/moz_linux_basic.full");
        byte[] b = Files.readAllBytes(original);
        int sizes = 0x3045 + 10; // unit_length (4), version (2), debug_info_offset (4)
        assertEquals(8, b[sizes], "address size in the corpus file");
        assertEquals(0, b[sizes + 1], "segment selector size in the corpus file");
        b[sizes] = 0;
        Path damaged = dir.resolve("aranges-address-size-0.full");
        Files.write(damaged, b);

        DwarfSymbols d = DwarfSymbols.open(damaged);
        assertEquals(DwarfSymbols.open(original).toSymbolData(true).functions(), d.toSymbolData(true).functions());
        assertEquals(1, d.problems().size(), d.problems().toString());
        Problem p = d.problems().get(0);
        assertTrue(p.message().contains("an address size of 1, 2, 4 or 8")
                && p.message().contains("address size 0, segment selector size 0")
                && p.message().contains(".debug_aranges offset 10"), p.message());
    }
}
