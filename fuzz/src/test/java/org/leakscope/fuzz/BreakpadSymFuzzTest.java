package org.leakscope.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.leakscope.symbols.BreakpadSymbolFile;

/**
 * Breakpad {@code .sym} text: the MODULE header, FILE/FUNC/line/PUBLIC/INLINE records and STACK CFI/WIN, then the
 * lookups the stack walker makes, at addresses taken from the input itself so they land near what it defines.
 */
class BreakpadSymFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void sym(byte[] input) throws Exception {
        Path file = FuzzFile.of("input.sym", input);
        ReaderContract.check("sym", () -> {
            try (BreakpadSymbolFile sym = BreakpadSymbolFile.open(file)) {
                sym.os();
                sym.arch();
                sym.debugId();
                sym.moduleName();
                sym.codeId();
                sym.functionCount();
                sym.publicCount();
                sym.problems();
                sym.damagedLineCount();
                for (long rva : addressesIn(input)) {
                    sym.lookup(rva);
                    sym.cfiRulesAt(rva);
                    sym.stackWinAt(rva);
                    sym.parameterSizeAt(rva);
                }
            }
        });
    }

    /** Up to 16 hex numbers of the text (the records' addresses), each also one byte on, plus 0 and -1. */
    static long[] addressesIn(byte[] input) {
        long[] out = new long[34];
        int n = 0;
        out[n++] = 0;
        out[n++] = -1;
        long value = 0;
        int digits = 0;
        for (int i = 0; i <= input.length && n < out.length; i++) {
            int d = i < input.length ? Character.digit(input[i], 16) : -1;
            if (d >= 0) {
                value = value << 4 | d;
                digits++;
            } else {
                if (digits >= 2) {
                    out[n++] = value;
                    out[n++] = value + 1;
                }
                value = 0;
                digits = 0;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
