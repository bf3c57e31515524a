package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.leakscope.demangle.Demangler;
import org.leakscope.model.InlinedCall;
import org.leakscope.symbols.breakpad.SymText;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.symbols.dwarf.DwarfSymbols;
import org.leakscope.testing.Required;

/**
 * A {@code .sym} file's INLINE records give the same frames as the DWARF they were made from: mozilla's dump_syms
 * wrote {@code moz_linux_basic.full.inlines.sym} from {@code moz_linux_basic.full}; at every address of its line
 * records, the Breakpad file and the DWARF reader name the same function, file and line and the same inlined calls
 * (innermost first, each at its call site).
 */
class BreakpadInlineTest {
    @Test
    void inlineRecordsGiveTheFramesTheDwarfGives() throws Exception {
        Path elf = Required.corpusFile("dwarf/moz_linux_basic.full");
        Path sym = Required.corpusFile("dwarf/moz_linux_basic.full.inlines.sym");
        TreeSet<Long> addresses = new TreeSet<>();
        for (SymbolData.Function f : SymText.read(sym).functions()) {
            for (SymbolData.Line l : f.lines()) {
                for (long a = l.address(); a < l.address() + l.size(); a++) {
                    addresses.add(a);
                }
            }
        }
        int withInlines = 0;
        int deepest = 0;
        try (BreakpadSymbolFile breakpad = BreakpadSymbolFile.open(sym)) {
            DwarfImageSymbols dwarf = new DwarfImageSymbols(DwarfSymbols.open(elf), null);
            for (long a : addresses) {
                SymbolHit b = breakpad.lookup(a).orElseThrow();
                Optional<SymbolHit> d = dwarf.lookup(a);
                assertTrue(d.isPresent(), Long.toHexString(a));
                String at = "0x" + Long.toHexString(a);
                assertEquals(readable(d.get().function()), b.function(), at);
                assertEquals(d.get().functionOffset(), b.functionOffset(), at);
                assertEquals(d.get().sourceFile(), b.sourceFile(), at);
                assertEquals(d.get().sourceLine(), b.sourceLine(), at);
                assertEquals(readable(d.get().inlined()), b.inlined(), at);
                withInlines += b.inlined().isEmpty() ? 0 : 1;
                deepest = Math.max(deepest, b.inlined().size());
            }
        }
        // foo(int) inlines inline_4 > inline_3 > inline_2 > inline_1: four levels at 0x120e
        assertEquals(4, deepest);
        assertTrue(withInlines > 100, withInlines + " addresses with inlined calls");
        System.out.printf("BreakpadInlineTest: %d addresses, %d with inlined calls, up to %d deep: the same frames"
                + " as DWARF%n", addresses.size(), withInlines, deepest);
    }

    private static String readable(String name) {
        String d = name == null ? null : Demangler.demangle(name);
        return d == null ? name : d;
    }

    private static List<InlinedCall> readable(List<InlinedCall> calls) {
        List<InlinedCall> out = new ArrayList<>();
        for (InlinedCall c : calls) {
            out.add(new InlinedCall(readable(c.function()), null, c.sourceFile(), c.sourceLine()));
        }
        return out;
    }
}
