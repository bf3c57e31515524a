package org.leakscope.symbols.pdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.model.InputFormatException;
import org.leakscope.symbols.breakpad.SymbolData;

/** STACK WIN records from hand-built FPO and FRAMEDATA streams, in both tools' orders, and damaged streams. */
class StackWinRecordsTest {
    private static final String PROGRAM = "$T0 .raSearch = $eip $T0 ^ = $esp $T0 4 + = ";
    private static final LongFunction<String> NAMES = o -> o == 7 ? PROGRAM : null;

    @TempDir
    Path dir;

    /** FPO_DATA: start, size, locals/4, params/4, attributes. */
    private static ByteBuffer fpo(ByteBuffer b, int start, int size, int locals, int params, int attributes) {
        return b.putInt(start).putInt(size).putInt(locals).putShort((short) params).putShort((short) attributes);
    }

    /** FRAMEDATA: start, size, locals, params, max stack, program, prolog, saved registers, flags. */
    private static ByteBuffer frame(ByteBuffer b, int start, int size, int prolog, int savedRegs) {
        return b.putInt(start).putInt(size).putInt(0x14).putInt(8).putInt(0).putInt(7).putShort((short) prolog)
                .putShort((short) savedRegs).putInt(4);
    }

    private List<SymbolData.StackWin> read(byte[] fpo, byte[] frames, LongUnaryOperator toImage,
            DumpSymsFlavor flavor) throws Exception {
        Path pdb = TestTypeStreams.write(dir, "s.pdb", List.of(new byte[0], fpo, frames));
        try (MsfFile msf = MsfFile.open(pdb)) {
            return StackWinRecords.read(msf.stream(1), msf.stream(2), NAMES, toImage, flavor);
        }
    }

    private static byte[] fpoStream() {
        ByteBuffer b = TestTypeStreams.le(3 * 16);
        fpo(b, 0x1000, 0x20, 1, 2, 0x1303); // prolog 3, 3 registers, fUseBP: shares its start with frame data
        fpo(b, 0x2000, 0x10, 0, 0, 0x0400); // the top bit of cbRegs, which mozilla reads as fUseBP
        fpo(b, 0x3000, 0x8, 0, 3, 0);
        return b.array();
    }

    private static byte[] frameStream() {
        ByteBuffer b = TestTypeStreams.le(4 * 32);
        frame(b, 0x1000, 0x54, 6, 0);
        frame(b, 0x1000, 0x54, 6, 4); // the same type, start, size and prolog: dropped
        frame(b, 0x1006, 0xFFFF_FF6E, 0, 4); // a size meaning "unknown": mozilla skips it
        frame(b, 0x2800, 0x30, 1, 4);
        return b.array();
    }

    @Test
    void breakpadListsFrameDataThenFpo() throws Exception {
        List<SymbolData.StackWin> w = read(fpoStream(), frameStream(), LongUnaryOperator.identity(),
                DumpSymsFlavor.BREAKPAD);
        assertEquals(List.of(
                new SymbolData.StackWin(4, 0x1000, 0x54, 6, 0, 8, 0, 0x14, 0, true, PROGRAM, false),
                new SymbolData.StackWin(4, 0x1006, 0xFFFF_FF6EL, 0, 0, 8, 4, 0x14, 0, true, PROGRAM, false),
                new SymbolData.StackWin(4, 0x2800, 0x30, 1, 0, 8, 4, 0x14, 0, true, PROGRAM, false),
                new SymbolData.StackWin(0, 0x1000, 0x20, 3, 0, 8, 0xc, 4, 0, false, null, true),
                new SymbolData.StackWin(0, 0x2000, 0x10, 0, 0, 0, 0x10, 0, 0, false, null, false),
                new SymbolData.StackWin(0, 0x3000, 0x8, 0, 0, 0xc, 0, 0, 0, false, null, false)), w);
    }

    @Test
    void mozillaMergesByAddress() throws Exception {
        List<SymbolData.StackWin> w = read(fpoStream(), frameStream(), LongUnaryOperator.identity(),
                DumpSymsFlavor.MOZILLA);
        String trimmed = PROGRAM.strip();
        assertEquals(List.of(
                new SymbolData.StackWin(4, 0x1000, 0x54, 6, 0, 8, 0, 0x14, 0, true, trimmed, false),
                new SymbolData.StackWin(0, 0x2000, 0x10, 0, 0, 0, 0x10, 0, 0, false, null, true),
                new SymbolData.StackWin(4, 0x2800, 0x30, 1, 0, 8, 4, 0x14, 0, true, trimmed, false),
                new SymbolData.StackWin(0, 0x3000, 0x8, 0, 0, 0xc, 0, 0, 0, false, null, false)), w);
    }

    @Test
    void startsGoThroughOmapAndUnmappedOnesAreDropped() throws Exception {
        LongUnaryOperator omap = rva -> rva == 0x2800 ? -1 : rva + 0x100;
        List<SymbolData.StackWin> w = read(fpoStream(), frameStream(), omap, DumpSymsFlavor.BREAKPAD);
        assertEquals(List.of(0x1100L, 0x1106L, 0x1100L, 0x2100L, 0x3100L), w.stream().map(SymbolData.StackWin::rva)
                .toList());
    }

    @Test
    void damagedStreamsAreInputFormatErrors() throws Exception {
        InputFormatException odd = assertThrows(InputFormatException.class, () -> read(new byte[15],
                new byte[0], LongUnaryOperator.identity(), DumpSymsFlavor.BREAKPAD));
        assertTrue(odd.getMessage().contains("whole 16-byte FPO_DATA records"), odd.getMessage());
        InputFormatException cut = assertThrows(InputFormatException.class, () -> read(new byte[0],
                new byte[40], LongUnaryOperator.identity(), DumpSymsFlavor.BREAKPAD));
        assertTrue(cut.getMessage().contains("whole 32-byte FRAMEDATA records"), cut.getMessage());
        ByteBuffer b = TestTypeStreams.le(32);
        frame(b, 0x1000, 0x10, 0, 0);
        b.putInt(20, 0x7FFF_FFF0); // a program offset past /names
        InputFormatException program = assertThrows(InputFormatException.class, () -> read(new byte[0], b.array(),
                LongUnaryOperator.identity(), DumpSymsFlavor.BREAKPAD));
        assertTrue(program.getMessage().contains("program string offset inside /names"), program.getMessage());
        // LLVM's relocation word before the records is allowed
        ByteBuffer r = TestTypeStreams.le(36).putInt(0);
        frame(r, 0x1000, 0x10, 0, 0);
        assertEquals(1, read(new byte[0], r.array(), LongUnaryOperator.identity(), DumpSymsFlavor.BREAKPAD)
                .size());
    }
}
