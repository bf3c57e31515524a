package org.leakscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import org.leakscope.symbols.breakpad.SymText;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.symbols.dwarf.CallFrameInfo;
import org.leakscope.symbols.dwarf.CfiRules;
import org.leakscope.symbols.dwarf.DumpSymsStyle;
import org.leakscope.symbols.dwarf.DwarfSymbols;

/**
 * DWARF in ELF and PE files: units, line tables, inlines and the symbol table through {@link DwarfSymbols} (every
 * lookup, at each function and line the file defines), and call frame information ({@code .eh_frame},
 * {@code .debug_frame}) through {@link CallFrameInfo}: the rules at each FDE's addresses and dumpsyms' STACK CFI.
 */
class DwarfFuzzTest {
    private static final int LOOKUPS = 64;

    @FuzzTest(maxDuration = "30s")
    void dwarf(byte[] input) throws Exception {
        Path file = FuzzFile.of("input.debug", input);
        ReaderContract.check("dwarf", () -> {
            DwarfSymbols dwarf = DwarfSymbols.open(file);
            dwarf.hasDebugInfo();
            dwarf.identity();
            dwarf.functions();
            SymbolData d = dwarf.toSymbolData(true, DumpSymsStyle.BREAKPAD);
            SymText.write(d, Writer.nullWriter());
            SymText.write(dwarf.toSymbolData(false, DumpSymsStyle.MOZILLA), Writer.nullWriter());
            lookups(dwarf, 0);
            lookups(dwarf, -1);
            int n = 0;
            for (SymbolData.Function f : d.functions()) {
                if (n++ == LOOKUPS) {
                    break;
                }
                lookups(dwarf, f.address());
                lookups(dwarf, f.address() + f.size());
                f.lines().stream().limit(4).forEach(l -> lookups(dwarf, l.address()));
            }
            d.publics().stream().limit(LOOKUPS).forEach(p -> lookups(dwarf, p.address()));
            dwarf.problems();

            CallFrameInfo cfi = CallFrameInfo.open(file);
            cfi.architecture();
            cfi.rulesAt(0);
            cfi.rulesAt(-1);
            List<SymbolData.StackCfi> rules = cfi.stackCfi();
            rules.stream().limit(LOOKUPS).forEach(r -> {
                cfi.rulesAt(r.address()).ifPresent(CfiRules::breakpad);
                if (r.size() != null) {
                    cfi.rulesAt(r.address() + r.size() - 1).ifPresent(CfiRules::returnAddress);
                }
            });
            cfi.problems();
        });
    }

    private static void lookups(DwarfSymbols dwarf, long moduleOffset) {
        dwarf.lookup(moduleOffset);
        dwarf.inlineFrames(moduleOffset);
        dwarf.symbolTableLookup(moduleOffset);
    }
}
