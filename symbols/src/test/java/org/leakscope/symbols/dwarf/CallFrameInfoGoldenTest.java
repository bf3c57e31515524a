package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.leakscope.symbols.breakpad.SymText;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.testing.Required;

/**
 * STACK CFI from {@code .eh_frame}/{@code .debug_frame} against the reference tools' {@code .sym} files, compared
 * as the rules in effect at every address ({@link CfiComparison}); mismatch counts are printed.
 */
class CallFrameInfoGoldenTest {
    private static final List<String> CORPUS_READ = List.of("dwarf/moz_linux_basic.full",
            "dwarf/moz_linux_basic.full.sym", "stackwalk/sentry_crash_linux",
            "stackwalk/sentry_crash_linux.cfi-only.sym");

    @Test
    void corpusHoldsTheFilesRead() {
        Required.corpusHolds(CORPUS_READ);
    }

    /** A .sym file; Sentry's CFI-only one has no MODULE line, which SymText wants first: one is put in front. */
    private static SymbolData read(Path sym) throws Exception {
        String text = Files.readString(sym, StandardCharsets.UTF_8);
        if (text.startsWith("MODULE ")) {
            return SymText.read(sym);
        }
        Path withModule = Files.createTempFile("cfi-only", ".sym");
        try {
            Files.writeString(withModule, "MODULE Linux x86_64 000000000000000000000000000000000 cfi-only\n" + text);
            return SymText.read(withModule);
        } finally {
            Files.delete(withModule);
        }
    }

    @ParameterizedTest
    @CsvSource({"dwarf/moz_linux_basic.full, dwarf/moz_linux_basic.full.sym, 11",
            "stackwalk/sentry_crash_linux, stackwalk/sentry_crash_linux.cfi-only.sym, 1155"})
    void stackCfiMeansWhatTheReferenceMeans(String binary, String sym, int fdes) throws Exception {
        Path bin = Required.corpusFile(binary);
        SymbolData want = read(Required.corpusFile(sym));
        CallFrameInfo cfi = CallFrameInfo.open(bin);
        List<SymbolData.StackCfi> got = cfi.stackCfi();
        CfiComparison.Result r = CfiComparison.compare(want.stackCfi(), got);
        System.out.printf("STACK CFI %s: %d addresses compared, %d mismatches; %d/%d records (reference/ours)%n",
                binary, r.compared(), r.differences().size(), want.stackCfi().size(), got.size());
        r.differences().stream().limit(20).forEach(d -> System.out.println("  " + d));
        assertEquals(List.of(), r.differences(), binary);
        assertEquals(fdes, got.stream().filter(c -> c.size() != null).count(), "INIT records of " + binary);
        assertTrue(cfi.problems().isEmpty(), cfi.problems().toString());
    }
}
