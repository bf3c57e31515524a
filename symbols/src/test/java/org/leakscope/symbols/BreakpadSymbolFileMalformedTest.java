package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;

/** Damaged symbol files: a bad MODULE line is fatal with its line number; anything later is a problem. */
class BreakpadSymbolFileMalformedTest {
    private static final String GOOD = """
            MODULE Linux x86_64 0123456789ABCDEF0123456789ABCDEF0 libleaky.so
            INFO CODE_ID 67452301AB89EFCD
            FILE 0 /src/leaky.c
            FUNC 1000 40 0 leak_one
            1000 10 10 0
            1010 30 11 0
            FUNC m 1040 20 0 leak_two
            1040 20 20 0
            PUBLIC 2000 0 exported_entry
            STACK CFI INIT 1000 40 .cfa: $rsp 8 +
            """;

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void wellFormedReference() throws Exception {
        try (BreakpadSymbolFile f = BreakpadSymbolFile.open(write("good.sym", GOOD.getBytes(StandardCharsets.UTF_8)))) {
            assertEquals("leak_two", f.lookup(0x1045).orElseThrow().function());
            assertEquals(20, f.lookup(0x1045).orElseThrow().sourceLine());
            assertEquals("/src/leaky.c", f.lookup(0x1012).orElseThrow().sourceFile());
            assertEquals("exported_entry", f.lookup(0x2004).orElseThrow().function());
            assertEquals(4, f.lookup(0x2004).orElseThrow().functionOffset());
            assertTrue(f.lookup(0x10).isEmpty());
            assertTrue(f.problems().isEmpty(), f.problems().toString());
        }
    }

    @Test
    void crlfLineEndings() throws Exception {
        byte[] crlf = GOOD.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        try (BreakpadSymbolFile f = BreakpadSymbolFile.open(write("crlf.sym", crlf))) {
            assertEquals("/src/leaky.c", f.lookup(0x1012).orElseThrow().sourceFile());
            assertEquals("leak_one", f.lookup(0x1012).orElseThrow().function());
        }
    }

    @Test
    void missingModuleLineIsFatalWithLineNumber() throws Exception {
        Path p = write("nomodule.sym", "FUNC 1000 10 0 f\n".getBytes(StandardCharsets.UTF_8));
        InputFormatException e = assertThrows(InputFormatException.class, () -> BreakpadSymbolFile.open(p));
        assertEquals(1L, e.line());
        assertTrue(e.getMessage().contains("expected a Breakpad MODULE record"), e.getMessage());
        InputFormatException empty = assertThrows(InputFormatException.class,
                () -> BreakpadSymbolFile.open(write("empty.sym", new byte[0])));
        assertTrue(empty.getMessage().contains("an empty file"), empty.getMessage());
    }

    @Test
    void damagedLinesAreProblemsWithLineNumbers() throws Exception {
        String text = GOOD + "FUNC zz 10 0 broken\nFUNC 3000\nGARBAGE here\n" + "X".repeat(2 * 1024 * 1024) + "\n"
                + "FUNC 4000 10 0 after_the_long_line\n";
        try (BreakpadSymbolFile f = BreakpadSymbolFile.open(write("damaged.sym", text.getBytes(StandardCharsets.UTF_8)))) {
            assertEquals(4, f.damagedLineCount());
            assertEquals(11L, f.problems().get(0).line()); // GOOD has 10 lines
            assertEquals("after_the_long_line", f.lookup(0x4001).orElseThrow().function());
        }
    }

    @Test
    void truncationsAndGarbageNeverThrowAnythingElse() throws Exception {
        byte[] good = GOOD.getBytes(StandardCharsets.UTF_8);
        Random random = new Random(42);
        for (int n = 0; n <= good.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(good, n);
            probe(write("t.sym", cut));
        }
        for (int i = 0; i < 500; i++) {
            byte[] b = good.clone();
            for (int k = 0; k < 3; k++) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            probe(write("f.sym", b));
        }
        byte[] binary = new byte[4096];
        random.nextBytes(binary);
        probe(write("bin.sym", binary));
        // A FUNC claiming the whole address space must not swallow other lookups.
        String absurd = GOOD + "FUNC 5000 ffffffffffffffff 0 everything\n";
        try (BreakpadSymbolFile f = BreakpadSymbolFile.open(write("absurd.sym", absurd.getBytes(StandardCharsets.UTF_8)))) {
            assertEquals("leak_one", f.lookup(0x1000).orElseThrow().function());
        }
    }

    private static void probe(Path p) throws Exception {
        try (BreakpadSymbolFile f = BreakpadSymbolFile.open(p)) {
            for (long a : List.of(0L, 0x1000L, 0x1012L, 0x1045L, 0x2004L, 0xffffffffffffffffL)) {
                f.lookup(a);
            }
        } catch (InputFormatException expected) {
            assertTrue(expected.line() != null);
        }
    }
}
