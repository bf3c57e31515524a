package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.symbols.X64UnwindCode.Op;
import org.leakscope.testing.Required;

/** The stack walker's view of the corpus' MSVC exe: the unwind program in effect at an address. */
class X64UnwindTest {
    @TempDir
    Path tmp;

    /**
     * Version 2 (MSVC's /d2epilogunwind): EPILOG codes, one slot each, come first and describe no prolog
     * instruction; version 1's withdrawn SAVE_XMM (code 6, two slots) decodes differently. The 0x1180 record is
     * rewritten in place, four slots either way.
     */
    @Test
    void version2EpilogCodesAndVersion1SaveXmm() throws Exception {
        byte[] b = Files.readAllBytes(Required.corpusFile("pdb/moz_dump_syms_regtest64.exe"));
        PeTestLayout l = PeTestLayout.of(b);
        int x = l.xdata(3);
        byte[] v2 = b.clone();
        v2[x] = 2; // version 2, no flags
        byte[] slots = {1, 0x16, 0x20, 0x06, 10, 0x32, 6, 0x70}; // EPILOG size 1 at the end, EPILOG at end-0x20
        System.arraycopy(slots, 0, v2, x + 4, slots.length);
        Path p = tmp.resolve("v2.exe");
        Files.write(p, v2);
        try (X64Unwind u = X64Unwind.open(p)) {
            X64UnwindProgram prog = u.at(0x1180).orElseThrow();
            assertEquals(List.of(new X64UnwindCode(1, Op.EPILOG, 1, 0), new X64UnwindCode(0x20, Op.EPILOG, 0, 0),
                    new X64UnwindCode(10, Op.ALLOC_SMALL, 3, 32), new X64UnwindCode(6, Op.PUSH_NONVOL, 7, 0)),
                    prog.chain().get(0).codes());
            assertEquals(2, prog.codesInEffect(0x118a).size());
            assertEquals(".cfa: $rsp 48 + $rdi: .cfa 16 - ^ .ra: .cfa 8 - ^", prog.stackCfiRules());
        }
        byte[] v1 = b.clone();
        byte[] xmm = {10, 0x66, 3, 0, 10, 0x32, 6, 0x70}; // SAVE_XMM xmm6 at 3 * 16, ALLOC_SMALL, PUSH_NONVOL
        System.arraycopy(xmm, 0, v1, x + 4, xmm.length);
        Files.write(p, v1);
        try (X64Unwind u = X64Unwind.open(p)) {
            assertEquals(new X64UnwindCode(10, Op.SAVE_XMM, 6, 48), u.at(0x1180).orElseThrow().chain().get(0)
                    .codes().get(0));
            assertEquals(".cfa: $rsp 48 + $rdi: .cfa 16 - ^ .ra: .cfa 8 - ^",
                    u.at(0x1180).orElseThrow().stackCfiRules());
        }
    }
    @Test
    void codesInEffectFollowTheProlog() throws Exception {
        try (X64Unwind u = X64Unwind.open(Required.corpusFile("pdb/moz_dump_syms_regtest64.exe"))) {
            // 0x1180: push rdi (ends at +6); sub rsp, 32 and mov [rsp+48], rbx (end at +10); prolog of 10 bytes
            X64UnwindProgram p = u.at(0x1180).orElseThrow();
            assertEquals(new X64RuntimeFunction(0x1180, 0x11b9, 0x11e98), p.function());
            X64UnwindInfo info = p.chain().get(0);
            assertEquals(1, info.version());
            assertEquals(10, info.prologSize());
            assertEquals(0, info.frameRegister());
            X64UnwindCode saveRbx = new X64UnwindCode(10, Op.SAVE_NONVOL, 3, 0x30);
            X64UnwindCode alloc = new X64UnwindCode(10, Op.ALLOC_SMALL, 3, 32);
            X64UnwindCode pushRdi = new X64UnwindCode(6, Op.PUSH_NONVOL, 7, 0);
            assertEquals(List.of(saveRbx, alloc, pushRdi), info.codes());
            assertEquals(List.of(), p.codesInEffect(0x1180));
            assertEquals(List.of(), p.codesInEffect(0x1185));
            assertEquals(List.of(pushRdi), p.codesInEffect(0x1186));
            assertEquals(List.of(saveRbx, alloc, pushRdi), p.codesInEffect(0x118a));
            assertEquals(List.of(saveRbx, alloc, pushRdi), p.codesInEffect(0x11b8));
            assertTrue(u.at(0x11b9).isEmpty(), "between functions: a leaf or padding");
            assertTrue(u.at(0).isEmpty());
            assertTrue(u.at(0xFFFF_FFFFL).isEmpty());

            // 0x5e68: a frame pointer function, rbp = rsp + 64
            X64UnwindInfo fp = u.at(0x5e70).orElseThrow().chain().get(0);
            assertEquals(5, fp.frameRegister());
            assertEquals(64, fp.frameOffset());
            assertEquals(new X64UnwindCode(0x13, Op.SET_FPREG, 4, 64), fp.codes().get(3)); // info unused; MSVC wrote 4
            // 0x11bc has an exception handler: its data after the handler's RVA is not read as codes
            assertEquals(0x2a6c, u.at(0x11bc).orElseThrow().chain().get(0).handlerRva());
        }
    }
}
