package org.leakscope.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.symbols.ImageSections;
import org.leakscope.symbols.breakpad.SymbolData;
import org.leakscope.testing.Required;

/** The rules the stack walker gets, with concrete values, on x86-64 (the corpus ELF) and AArch64 (assembled). */
class CallFrameInfoTest {
    @TempDir
    Path dir;

    @Test
    void rulesInsideAFramePointerFunction() throws IOException {
        CallFrameInfo cfi = CallFrameInfo.open(Required.corpusFile("dwarf/moz_linux_basic.full"));
        assertEquals(CfiArchitecture.X86_64, cfi.architecture());
        CfiRules r = cfi.rulesAt(0x1130).orElseThrow(); // after push %rbp; mov %rsp,%rbp
        assertEquals(0x1125, r.start());
        assertEquals(0x114b, r.end());
        assertEquals(0x1129, r.rowStart());
        assertEquals(new CfiRules.RegisterOffset(6, 16), r.cfa());
        assertEquals(Map.of(6, new CfiRules.Offset(-16), 16, new CfiRules.Offset(-8)), r.registers());
        assertEquals(16, r.returnAddressRegister());
        assertEquals("$rbp: .cfa -16 + ^ .cfa: $rbp 16 + .ra: .cfa -8 + ^", r.breakpad());
        assertEquals(new CfiRules.RegisterOffset(7, 8), cfi.rulesAt(0x1125).orElseThrow().cfa());
        assertEquals(new CfiRules.RegisterOffset(7, 8), cfi.rulesAt(0x114a).orElseThrow().cfa());
    }

    @Test
    void startHasAnUndefinedReturnAddressAndNoRaInItsRecord() throws IOException {
        CallFrameInfo cfi = CallFrameInfo.open(Required.corpusFile("dwarf/moz_linux_basic.full"));
        assertInstanceOf(CfiRules.Undefined.class, cfi.rulesAt(0x1040).orElseThrow().returnAddress());
        assertEquals(new SymbolData.StackCfi(0x1040, 0x2bL, ".cfa: $rsp 8 +"), cfi.stackCfi().get(0));
        assertTrue(cfi.rulesAt(0x1000).isEmpty(), "no FDE covers the ELF header");
        assertTrue(cfi.rulesAt(0x5000).isEmpty(), "past the last function");
    }

    @Test
    void theReadersOwnIndexAnswersAsEhFrameHdrDoes() throws IOException {
        Path original = Required.corpusFile("dwarf/moz_linux_basic.full");
        Path copy = dir.resolve("no-hdr");
        Files.copy(original, copy, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel ch = FileChannel.open(copy); RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
            f.seek(ImageSections.read(ch, copy.toString()).section(".eh_frame_hdr").orElseThrow().fileOffset());
            f.write(0); // version 0: the header is refused and the FDEs are indexed instead
        }
        CallFrameInfo withHdr = CallFrameInfo.open(original);
        CallFrameInfo withIndex = CallFrameInfo.open(copy);
        int covered = 0;
        for (long a = 0x1000; a < 0x1400; a++) {
            assertEquals(withHdr.rulesAt(a), withIndex.rulesAt(a), Long.toHexString(a));
            covered += withHdr.rulesAt(a).isPresent() ? 1 : 0;
        }
        assertEquals(597, covered); // the 11 FDEs of .text and .plt below 0x1400
        assertEquals(List.of(), withHdr.problems());
        assertEquals(1, withIndex.problems().size());
    }

    @Test
    void setLocMovesTheLocationInThePointerEncoding() throws IOException {
        Path file = CraftedEhFrame.write(Required.corpusFile("dwarf/moz_linux_basic.full"), dir, 0x1100,
                b -> b.fdeSetLoc(b.cie("zR", 0x0c, 7, 8, 0x90, 1), 0x1000, 0x20, 0x1010, 0x0e, 24));
        CallFrameInfo cfi = CallFrameInfo.open(file);
        assertEquals(new CfiRules.RegisterOffset(7, 8), cfi.rulesAt(0x100f).orElseThrow().cfa());
        assertEquals(new CfiRules.RegisterOffset(7, 24), cfi.rulesAt(0x1010).orElseThrow().cfa());
        assertEquals(0x1010, cfi.rulesAt(0x101f).orElseThrow().rowStart());
        assertTrue(cfi.stackCfi().contains(new SymbolData.StackCfi(0x1010, null, ".cfa: $rsp 24 +")));
    }

    @Test
    void ehFrameEntryWith64BitLength() throws IOException {
        Path file = CraftedEhFrame.write(Required.corpusFile("dwarf/moz_linux_basic.full"), dir, 0x1100,
                b -> b.fde64(b.cie("zR", 0x0c, 7, 8, 0x90, 1), 0x1000, 0x20, 0x42, 0x0e, 40));
        CallFrameInfo cfi = CallFrameInfo.open(file);
        assertEquals(new CfiRules.RegisterOffset(7, 40), cfi.rulesAt(0x1002).orElseThrow().cfa());
        assertEquals(new CfiRules.RegisterOffset(7, 16), cfi.rulesAt(0x1101).orElseThrow().cfa()); // the one after
    }

    @Test
    void aarch64NamesAndRestoredRegisters() throws Exception {
        Path s = dir.resolve("a64.s");
        Files.writeString(s, """
                    .cfi_sections .debug_frame
                    .text
                f:
                    .cfi_startproc
                    stp x29, x30, [sp, #-32]!
                    .cfi_def_cfa_offset 32
                    .cfi_offset 29, -32
                    .cfi_offset 30, -24
                    mov x29, sp
                    .cfi_def_cfa_register 29
                    str x19, [sp, #16]
                    .cfi_offset 19, -16
                    ldr x19, [sp, #16]
                    ldp x29, x30, [sp], #32
                    .cfi_restore 19
                    .cfi_def_cfa 31, 0
                    .cfi_restore 29
                    .cfi_restore 30
                    ret
                    .cfi_endproc
                """);
        Path o = dir.resolve("a64.o");
        Commands.run(List.of("llvm-mc", "-triple=aarch64-linux-gnu", "-filetype=obj", s.toString(), "-o",
                o.toString()));
        CallFrameInfo cfi = CallFrameInfo.open(o);
        assertEquals(CfiArchitecture.ARM64, cfi.architecture());
        CfiRules body = cfi.rulesAt(0xc).orElseThrow();
        assertEquals(new CfiRules.RegisterOffset(29, 32), body.cfa());
        assertEquals(30, body.returnAddressRegister());
        assertEquals(".cfa: x29 32 + .ra: .cfa -24 + ^ x19: .cfa -16 + ^ x29: .cfa -32 + ^", body.breakpad());
        CfiRules epilogue = cfi.rulesAt(0x14).orElseThrow();
        assertEquals(new CfiRules.RegisterOffset(31, 0), epilogue.cfa());
        assertInstanceOf(CfiRules.SameValue.class, epilogue.returnAddress()); // restored, no CIE rule: same value
        assertEquals(List.of(new SymbolData.StackCfi(0, 0x18L, ".cfa: sp 0 + .ra: x30"),
                new SymbolData.StackCfi(4, null, ".cfa: sp 32 + .ra: .cfa -24 + ^ x29: .cfa -32 + ^"),
                new SymbolData.StackCfi(8, null, ".cfa: x29 32 +"),
                new SymbolData.StackCfi(0xc, null, "x19: .cfa -16 + ^"),
                new SymbolData.StackCfi(0x14, null, ".cfa: sp 0 + .ra: .ra x19: x19 x29: x29")), cfi.stackCfi());
    }
}
