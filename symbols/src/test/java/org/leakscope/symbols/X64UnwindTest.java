package org.leakscope.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.symbols.X64UnwindCode.Op;
import org.leakscope.testing.Required;

/** The stack walker's view of the corpus' MSVC exe: the unwind program in effect at an address. */
class X64UnwindTest {
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
