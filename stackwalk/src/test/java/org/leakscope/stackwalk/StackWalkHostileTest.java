package org.leakscope.stackwalk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.Minidump;
import org.leakscope.symbols.SymbolStore;

/**
 * Generated stacks and symbol files made to trap a walker: frame-pointer cycles, stack pointers that go back,
 * CFI rules that read outside the stack, refer to themselves or run to a million tokens, stacks full of return
 * addresses. Each walk ends, within the time limit, with the frames that make sense and a reason.
 */
class StackWalkHostileTest {
    private static final long STACK = 0x7ff000000000L;
    private static final long CODE = StackDump.MODULE_BASE + 0x1000;

    @TempDir
    Path dir;

    @Test
    void framePointerChainIsFollowed() throws Exception {
        // rbp -> [saved rbp = STACK+0x30][return 0x401234]; STACK+0x30 -> [0][0x402345]
        ThreadStack s = walk(new StackDump().registers(CODE, STACK, STACK + 0x10)
                .stack(STACK, 0, 0, STACK + 0x30, 0x401234, 0, 0, 0, 0x402345, 0, 0), null);
        assertEquals(FoundBy.FRAME_POINTER, s.frames().get(1).foundBy());
        assertEquals(0x401234L, s.frames().get(1).instructionPointer());
        assertEquals(STACK + 0x20, s.frames().get(1).registers().get("rsp"));
        assertEquals(STACK + 0x30, s.frames().get(1).registers().get("rbp"));
        assertEquals(0x402345L, s.frames().get(2).instructionPointer());
        assertGrows(s);
    }

    @Test
    void aStackOnlyInTheMemoryListIsFoundThere() throws Exception {
        // the thread's descriptor says RVA 0, which is the dump's header: reading it as a stack would give garbage
        ThreadStack s = walk(new StackDump().registers(CODE, STACK, STACK + 0x10)
                .stack(STACK, 0, 0, STACK + 0x30, 0x401234, 0, 0, 0, 0x402345, 0, 0).stackInMemoryListOnly(), null);
        assertEquals(List.of(CODE, 0x401234L, 0x402345L),
                s.frames().stream().map(StackFrame::instructionPointer).toList());
        assertEquals(FoundBy.FRAME_POINTER, s.frames().get(1).foundBy());
    }

    @Test
    void framePointerCycleEnds() throws Exception {
        // rbp points at itself: following it would loop at the same frame forever
        ThreadStack s = walk(new StackDump().registers(CODE, STACK, STACK + 0x10)
                .stack(STACK, 0, 0, STACK + 0x10, 0x401234, STACK + 0x10, 0x401234), null);
        assertTrue(s.frames().size() <= 4, s.frames().size() + " frames");
        assertGrows(s);
    }

    @Test
    void stackPointerGoingBackEndsTheWalk() throws Exception {
        Path store = StackDump.symbols(dir.resolve("sym"),
                "STACK CFI INIT 1000 100 .cfa: $rsp 64 - .ra: .cfa ^");
        ByteBuffer b = ByteBuffer.allocate(0x100).order(ByteOrder.LITTLE_ENDIAN).putLong(0x40, 0x401234);
        ThreadStack s = walk(new StackDump().registers(CODE, STACK + 0x80, 0).stack(STACK, b.array()), store);
        assertEquals(1, s.frames().size());
        assertTrue(s.end().contains("would not move the stack pointer up"), s.end());
    }

    @Test
    void cfiReadingOutsideTheStackFallsBackToScanning() throws Exception {
        Path store = StackDump.symbols(dir.resolve("sym"),
                "FUNC 1000 100 0 f", "FUNC 2000 100 0 g",
                "STACK CFI INIT 1000 100 .cfa: $rsp 1048576 + .ra: .cfa -8 + ^");
        ThreadStack s = walk(new StackDump().registers(CODE, STACK, 0).stack(STACK, 0, 0x402010, 0), store);
        assertEquals(FoundBy.SCAN, s.frames().get(1).foundBy());
        assertEquals(0x402010L, s.frames().get(1).instructionPointer());
        assertEquals("g", s.frames().get(1).frame().function());
    }

    @Test
    void selfReferentialAndEndlessRulesFail() throws Exception {
        String endless = ".cfa: $rsp" + " 8 +".repeat(500_000) + " .ra: .cfa ^";
        Path store = StackDump.symbols(dir.resolve("sym"),
                "STACK CFI INIT 1000 100 .cfa: .cfa 8 + .ra: .ra", "STACK CFI INIT 1100 100 " + endless);
        for (long ip : new long[] {CODE, CODE + 0x100}) {
            long t = System.nanoTime();
            ThreadStack s = walk(new StackDump().registers(ip, STACK, 0).stack(STACK, 0, 0, 0), store);
            assertEquals(1, s.frames().size(), "no caller from rules that cannot be evaluated");
            assertTrue(System.nanoTime() - t < 2_000_000_000L);
        }
    }

    @Test
    void stackFullOfReturnAddressesStopsAtTheFrameLimit() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(4 * 1024 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            b.putLong(0x401234);
        }
        StackDump d = new StackDump().registers(CODE, STACK, 0).stack(STACK, b.array());
        ThreadStack s = walk(d, null);
        assertEquals(StackWalker.DEFAULT_MAX_FRAMES, s.frames().size());
        assertTrue(s.end().contains("frame limit"), s.end());
        assertGrows(s);
        // with no frame limit to speak of, the time limit ends it
        try (Minidump dump = Minidump.open(d.write(dir.resolve("big.dmp")))) {
            long t = System.nanoTime();
            ThreadStack all = new StackWalker(dump, null, Integer.MAX_VALUE).walk(dump.threads().get().get(0));
            long ms = (System.nanoTime() - t) / 1_000_000;
            System.out.println("4 MB of return addresses: " + all.frames().size() + " frames in " + ms + " ms; "
                    + all.end());
            assertTrue(ms < 2_000, ms + " ms");
            assertGrows(all);
        }
    }

    /** Every caller's stack pointer is above its callee's: the walk cannot revisit a frame. */
    private static void assertGrows(ThreadStack s) {
        List<StackFrame> f = s.frames();
        for (int i = 1; i < f.size(); i++) {
            assertTrue(Long.compareUnsigned(f.get(i).registers().get("rsp"), f.get(i - 1).registers().get("rsp")) > 0,
                    "frame " + i);
        }
    }

    private ThreadStack walk(StackDump d, Path store) throws Exception {
        Path file = d.write(dir.resolve("t" + System.nanoTime() + ".dmp"));
        try (Minidump dump = Minidump.open(file);
                SymbolStore symbols = store == null ? null : new SymbolStore(List.of(store))) {
            return new StackWalker(dump, symbols).walk(dump.threads().orElseThrow().get(0));
        }
    }
}
