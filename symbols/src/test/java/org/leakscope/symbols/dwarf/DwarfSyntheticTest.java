package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.leakscope.symbols.SymbolHit;
import org.leakscope.symbols.breakpad.SymbolData;

/**
 * The forms and layouts gcc does not produce here, on hand-built DWARF 5 ({@link SyntheticDwarf}): string, address
 * and range-list indexes through their bases, implicit constants, 16-byte and type-signature forms skipped,
 * 64-bit DWARF, 32-bit ELF, big-endian ELF.
 */
class DwarfSyntheticTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "big-endian {0}, ELF64 {1}, DWARF64 {2}")
    @CsvSource({"false,true,false", "false,true,true", "true,true,false", "true,false,true", "false,false,false"})
    void resolvesEveryFormAndLayout(boolean bigEndian, boolean elf64, boolean dwarf64) throws Exception {
        SyntheticDwarf s = new SyntheticDwarf(bigEndian, elf64, dwarf64);
        Path f = dir.resolve("synth");
        Files.write(f, s.elf());
        DwarfSymbols d = DwarfSymbols.open(f);

        assertEquals(new SymbolHit("ns::run()", 2, "/src/synth.cpp", 10), d.lookup(0x1012).orElseThrow());
        assertEquals(new SymbolHit("ns::run()", 8, "/src/inc.h", 20), d.lookup(0x1018).orElseThrow());
        assertEquals(List.of(new InlineFrame("helper", "/src/inc.h", 12)), d.inlineFrames(0x101f));
        assertEquals(List.of(), d.inlineFrames(0x1020));
        assertEquals(new SymbolHit("split", 5, "/src/synth.cpp", 31), d.lookup(0x1085).orElseThrow());
        assertEquals(new SymbolHit("split", 0xf, "/src/synth.cpp", 30), d.lookup(0x105f).orElseThrow());
        assertTrue(d.lookup(0x1065).map(h -> h.function() == null).orElse(true), "between split's ranges");

        // the sequence of dropped code (from address 0) answers for no address
        LineTable lt = d.units().decoded(0).lines();
        assertEquals(-1, lt.rowAt(0x800));
        assertEquals(-1, lt.rowAt(0x1150));

        SymbolData sym = d.toSymbolData(true);
        assertEquals(List.of("ns::run()", "split", "split"), sym.functions().stream().map(SymbolData.Function::name)
                .toList());
        SymbolData.Function run = sym.functions().get(0);
        assertEquals(0x1010, run.address());
        assertEquals(0x30, run.size());
        assertEquals(List.of(new SymbolData.InlineOrigin(0, "helper")), sym.origins());
        assertEquals(1, run.inlines().size());
        assertEquals(List.of(0x1018L, 8L), run.inlines().get(0).ranges());
        assertEquals(12, run.inlines().get(0).callLine());
        // Mozilla's style with inlines: the inlined code's own line (20, in inc.h)
        assertEquals(List.of(10L, 20L, 11L), run.lines().stream().map(SymbolData.Line::line).toList());
        // without inlines: the call site's line (12) in its place
        SymbolData flat = d.toSymbolData(false);
        assertEquals(List.of(10L, 12L, 11L), flat.functions().get(0).lines().stream().map(SymbolData.Line::line)
                .toList());
        if (!bigEndian) {
            assertEquals(List.of(), d.problems());
        }
    }
}
