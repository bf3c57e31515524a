package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Frame;
import org.leakscope.model.Module;
import org.leakscope.testing.Required;

/**
 * Resolution against Breakpad's own symbol store and minidump_stackwalk's golden output for minidump2.dmp:
 * the frames it printed with their instruction addresses must resolve to the same function, file and line.
 */
class BreakpadSymbolFileTest {
    private static final long TEST_APP_BASE = 0x400000;
    private static final String TEST_APP_SYM =
            "breakpad/symbols/test_app.pdb/5A9832E5287241C1838ED98914E9B7FF1/test_app.sym";
    private static final String CRASH_LINUX_SYM =
            "stackwalk/symbols/crash_linux/D2554CDB926136C4B9766A086583B9B50/crash_linux.sym";
    /** Every corpus file this module's tests read. */
    private static final List<String> CORPUS_READ = List.of("breakpad/minidump2.stackwalk.out", "breakpad/symbols",
            TEST_APP_SYM, "breakpad/symbols/kernel32.pdb/BCE8785C57B44245A669896B6A19B9542/kernel32.sym",
            CRASH_LINUX_SYM);

    /** Skipped when the corpus is absent, failed under CI ({@link Required}). */
    private static Path corpus(String p) {
        return Required.corpusFile(p);
    }

    /** The corpus holds every file these tests read: a renamed or lost one is a failure, not a skip. */
    @Test
    void everyCorpusFileTheTestsReadIsThere() {
        Required.corpusHolds(CORPUS_READ);
    }

    /**
     * minidump2.stackwalk.out prints frames as
     * {@code  0  test_app.exe!`anonymous namespace'::CrashFunction() [test_app.cc : 58 + 0x3]} followed by
     * {@code     eip = 0x0040429e ...} (frame 0) or {@code     Found by: ...} with the return address on the
     * frame line for callers ({@code 0x004042c3}). We read every "module!function [file : line + off]" frame
     * whose address is printed and check it.
     */
    @Test
    void resolvesTheFramesMinidumpStackwalkPrinted() throws Exception {
        List<String> lines = Files.readAllLines(corpus("breakpad/minidump2.stackwalk.out"));
        SymbolStore store = new SymbolStore(List.of(corpus("breakpad/symbols")));
        Module testApp = new Module(TEST_APP_BASE, 0x2d000, "c:\\test_app.exe", "test_app.pdb",
                "5A9832E5287241C1838ED98914E9B7FF1", null);
        Pattern frame = Pattern.compile("^\\s*(\\d+)\\s+test_app\\.exe!(.+?)(?:\\(.*\\))? \\[(.+) : (\\d+) \\+ 0x([0-9a-f]+)]$");
        Pattern eip = Pattern.compile("eip = 0x([0-9a-f]+)");
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = frame.matcher(lines.get(i));
            if (!m.matches() || i + 1 >= lines.size()) {
                continue;
            }
            Matcher ip = eip.matcher(lines.get(i + 1));
            if (!ip.find()) {
                continue;
            }
            // Callers' eip is a return address: like every stackwalker, look up the call instruction before it.
            long address = Long.parseLong(ip.group(1), 16) - (m.group(1).equals("0") ? 0 : 1);
            Frame f = store.symbolize(Frame.unresolved(address).withModule("test_app.exe", address - TEST_APP_BASE),
                    testApp);
            assertEquals(m.group(2), f.function());
            assertTrue(f.sourceFile().endsWith(m.group(3)), f.sourceFile());
            assertEquals(Integer.parseInt(m.group(4)), f.sourceLine());
            checked++;
        }
        assertTrue(checked >= 3, "found the test_app frames in the golden output: " + checked);
        store.close();
    }

    @Test
    void functionsLinesAndPublics() throws Exception {
        try (BreakpadSymbolFile f = BreakpadSymbolFile.open(corpus(TEST_APP_SYM))) {
            assertEquals("windows", f.os());
            assertEquals("x86", f.arch());
            assertEquals("5A9832E5287241C1838ED98914E9B7FF1", f.debugId());
            assertEquals("test_app.pdb", f.moduleName());
            assertTrue(f.problems().isEmpty(), f.problems().toString());
            // "FUNC 41b0 86 8 main", first line record "41b0 13 63 178" (FILE 178 is c:\\test_app.cc).
            SymbolHit main = f.lookup(0x41b5).orElseThrow();
            assertEquals("main", main.function());
            assertEquals(5, main.functionOffset());
            assertEquals(63, main.sourceLine());
            assertEquals("c:\\test_app.cc", main.sourceFile());
        }
        try (BreakpadSymbolFile k = BreakpadSymbolFile.open(
                corpus("breakpad/symbols/kernel32.pdb/BCE8785C57B44245A669896B6A19B9542/kernel32.sym"))) {
            // kernel32's store has PUBLIC records only: a name and an offset, no line.
            assertEquals(0, k.functionCount());
            assertTrue(k.publicCount() > 1000);
            SymbolHit h = k.lookup(0xb70f).orElseThrow();
            assertNull(h.sourceFile());
            assertNull(h.sourceLine());
            assertTrue(h.functionOffset() > 0);
        }
    }

    /**
     * Lookups read the mapped file; a file past 2 GiB is read through its channel, with the same answers: names,
     * lines and PUBLICs of test_app.sym (Windows), STACK CFI rules of crash_linux.sym (Linux).
     */
    @Test
    void theMappedFileAndTheChannelGiveTheSameAnswers() throws Exception {
        int[] found = new int[3];
        for (String p : List.of(TEST_APP_SYM, CRASH_LINUX_SYM)) {
            try (BreakpadSymbolFile mapped = BreakpadSymbolFile.open(corpus(p), true);
                    BreakpadSymbolFile read = BreakpadSymbolFile.open(corpus(p), false)) {
                for (long rva = 0; rva < 0x2d000; rva += 3) {
                    var hit = mapped.lookup(rva);
                    var rules = mapped.cfiRulesAt(rva);
                    assertEquals(read.lookup(rva), hit, p + " at " + Long.toHexString(rva));
                    assertEquals(read.cfiRulesAt(rva), rules, p + " at " + Long.toHexString(rva));
                    found[0] += hit.isPresent() ? 1 : 0;
                    found[1] += hit.isPresent() && hit.get().sourceLine() != null ? 1 : 0;
                    found[2] += rules.isPresent() ? 1 : 0;
                }
            }
        }
        assertTrue(found[0] > 10_000 && found[1] > 5_000 && found[2] > 1_000,
                found[0] + " named, " + found[1] + " with a line, " + found[2] + " with CFI rules");
    }

    @Test
    void unknownModulesAndAddressesResolveToNothing() throws Exception {
        try (SymbolStore store = new SymbolStore(List.of(corpus("breakpad/symbols")))) {
            assertTrue(store.lookup("nosuch.pdb", "0123", 0x10).isEmpty());
            assertTrue(store.lookup("test_app.pdb", "5A9832E5287241C1838ED98914E9B7FF1", 0x10).isEmpty());
            assertTrue(store.problems().isEmpty());
        }
    }
}
