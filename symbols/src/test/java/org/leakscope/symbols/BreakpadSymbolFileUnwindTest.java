package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.symbols.breakpad.SymbolData;

/** The unwind records a stack walker reads from a .sym file: STACK CFI with deltas, STACK WIN, FUNC parameters. */
class BreakpadSymbolFileUnwindTest {
    @TempDir
    Path dir;

    private BreakpadSymbolFile file(String... records) throws Exception {
        Path p = dir.resolve("x.sym");
        Files.writeString(p, "MODULE Linux x86_64 0123456789ABCDEF0123456789ABCDEF0 x\n" + String.join("\n", records)
                + "\n");
        return BreakpadSymbolFile.open(p);
    }

    @Test
    void cfiRulesAreTheInitRecordsAndTheDeltasUpToTheAddress() throws Exception {
        try (BreakpadSymbolFile f = file("FUNC 1a90 470 0 f",
                "STACK CFI INIT 1a90 470 .cfa: $rsp 8 + .ra: .cfa -8 + ^",
                "STACK CFI 1a91 .cfa: $rsp 16 + $rbp: .cfa -16 + ^",
                "STACK CFI 1a94 .cfa: $rbp 16 +",
                "STACK CFI INIT 2000 10 .cfa: $rsp 8 + .ra: .cfa -8 + ^")) {
            assertEquals(Optional.of(".cfa: $rsp 8 + .ra: .cfa -8 + ^"), f.cfiRulesAt(0x1a90));
            assertEquals(Optional.of(".cfa: $rsp 8 + .ra: .cfa -8 + ^ .cfa: $rsp 16 + $rbp: .cfa -16 + ^"),
                    f.cfiRulesAt(0x1a93));
            assertEquals(Optional.of(".cfa: $rsp 8 + .ra: .cfa -8 + ^ .cfa: $rsp 16 + $rbp: .cfa -16 + ^"
                    + " .cfa: $rbp 16 +"), f.cfiRulesAt(0x1eff));
            assertEquals(Optional.empty(), f.cfiRulesAt(0x1f00), "past the INIT record's range");
            assertEquals(Optional.of(".cfa: $rsp 8 + .ra: .cfa -8 + ^"), f.cfiRulesAt(0x2000),
                    "the next INIT record's deltas do not leak into it");
            assertEquals(0L, f.parameterSizeAt(0x1a95));
            assertEquals(-1L, f.parameterSizeAt(0x3000));
        }
    }

    @Test
    void stackWinPrefersFrameDataAndTheInnermostRecord() throws Exception {
        String prog = "$T0 $ebp = $eip $T0 4 + ^ = $ebp $T0 ^ = $esp $T0 8 + =";
        try (BreakpadSymbolFile f = file("FUNC 16fb4 4f 4 BaseProcessStart",
                "STACK WIN 0 16fb4 4f c 0 4 8 1c 0 0 1",
                "STACK WIN 4 16fb4 4f c 0 4 8 1c 0 1 " + prog,
                "STACK WIN 4 16fc0 10 0 0 4 0 0 0 1 $T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + =",
                "STACK WIN 4 16fd8 4 0 0 4 0 0 0 1 $T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + =")) {
            SymbolData.StackWin outer = f.stackWinAt(0x16fb5).orElseThrow();
            assertEquals(4, outer.type());
            assertEquals(prog, outer.program());
            assertEquals(8, outer.savedRegisterSize());
            assertEquals(0x1c, outer.localSize());
            assertEquals(0x16fc0, f.stackWinAt(0x16fc4).orElseThrow().rva(), "the nested record");
            assertEquals(0x16fb4, f.stackWinAt(0x16fd0).orElseThrow().rva(),
                    "past the nested record and before a later one: the enclosing record");
            assertTrue(f.stackWinAt(0x17003).isEmpty(), "one past the end");
            assertEquals(4L, f.parameterSizeAt(0x16fb4));
        }
    }
}
