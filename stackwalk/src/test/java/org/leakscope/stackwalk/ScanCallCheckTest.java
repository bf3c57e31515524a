package org.leakscope.stackwalk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.Minidump;

/**
 * A stack scan with code bytes at hand: the first code address on the stack is a decoy (a function pointer whose
 * bytes before it end in {@code ret} and padding, or an arm64 {@code RET}), the next one follows a call
 * ({@code E8 rel32}, {@code BL}). The walker takes the one after the call; Breakpad's rule, and a dump without
 * the code bytes, take the decoy.
 */
class ScanCallCheckTest {
    private static final long STACK = 0x7ff000000000L;
    private static final long BASE = StackDump.MODULE_BASE;
    private static final long CODE = BASE + 0x1000;
    private static final long DECOY = BASE + 0x1100;
    private static final long RETURN = BASE + 0x1205;

    @TempDir
    Path dir;

    @Test
    void amd64ScanTakesTheWordAfterACallOverADecoy() throws Exception {
        assertEquals(RETURN, caller(amd64().memory(CODE, amd64Code()), StackWalker.ScanRule.CALLS_FIRST));
    }

    @Test
    void breakpadsRuleAndMissingCodeBytesTakeTheDecoy() throws Exception {
        assertEquals(DECOY, caller(amd64().memory(CODE, amd64Code()), StackWalker.ScanRule.BREAKPAD));
        assertEquals(DECOY, caller(amd64(), StackWalker.ScanRule.CALLS_FIRST));
    }

    @Test
    void whenNoCandidateFollowsACallTheFirstIsStillTaken() throws Exception {
        byte[] code = amd64Code();
        code[0x200] = (byte) 0x90; // the E8 before RETURN becomes a nop: neither word follows a call
        assertEquals(DECOY, caller(amd64().memory(CODE, code), StackWalker.ScanRule.CALLS_FIRST));
    }

    @Test
    void arm64ScanTakesTheWordAfterABl() throws Exception {
        ByteBuffer code = ByteBuffer.allocate(0x300).order(ByteOrder.LITTLE_ENDIAN);
        code.putInt(0xfc, 0xd65f03c0); // RET before the decoy
        code.putInt(0x200, 0x97ffff80); // BL back to CODE before the return address at 0x204
        StackDump d = new StackDump().arm64(CODE + 0x40, STACK, 0x10, 0).stack(STACK, 0, DECOY, BASE + 0x1204, 0)
                .memory(CODE, code.array());
        assertEquals(BASE + 0x1204, caller(d, StackWalker.ScanRule.CALLS_FIRST));
        assertEquals(DECOY, caller(d, StackWalker.ScanRule.BREAKPAD));
    }

    private static StackDump amd64() {
        return new StackDump().registers(CODE + 0x40, STACK, 0).stack(STACK, 0, DECOY, RETURN, 0, 0);
    }

    /** 0x300 bytes at CODE: "pop rbp; ret; nopl 0(rax,rax)" before DECOY, "call CODE" before RETURN. */
    private static byte[] amd64Code() {
        ByteBuffer b = ByteBuffer.allocate(0x300).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0xf9, new byte[] {0x5d, (byte) 0xc3, 0x0f, 0x1f, 0x44, 0x00, 0x00});
        b.put(0x200, (byte) 0xe8).putInt(0x201, (int) (CODE - RETURN));
        return b.array();
    }

    private long caller(StackDump d, StackWalker.ScanRule rule) throws Exception {
        Path file = d.write(dir.resolve("scan-" + rule + ".dmp"));
        try (Minidump dump = Minidump.open(file);
                StackWalker w = new StackWalker(dump, null, StackWalker.DEFAULT_MAX_FRAMES, rule)) {
            ThreadStack s = w.walk(dump.threads().orElseThrow().get(0));
            assertEquals(FoundBy.SCAN, s.frames().get(1).foundBy(), s.frames().toString());
            return s.frames().get(1).instructionPointer();
        }
    }
}
