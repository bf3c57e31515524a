package org.leakscope.stackwalk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.leakscope.minidump.Minidump;
import org.leakscope.testing.Required;

/**
 * arm64 has no dump in the corpus, so these are generated: a leaf whose return address is still in lr, a frame
 * record chain through x29, return addresses carrying pointer-authentication bits, and a stack scan. Each walk
 * is checked on concrete values and against Breakpad's walk of the same file.
 */
class Arm64WalkTest {
    private static final long STACK = 0x7ff000000000L;
    /** A pointer-authentication code in the bits above the address space. */
    private static final long PAC = 0x002d000000000000L;

    @TempDir
    Path dir;

    @Test
    void lrThenTheFrameRecordChainWithSignedReturnAddresses() throws Exception {
        // x29 -> {saved x29 = STACK+0x30, saved x30 = 0x402000 signed}; STACK+0x30 -> {0, 0x403000}
        StackDump d = new StackDump().arm64(0x401000, STACK, STACK + 0x10, 0x401100 | PAC)
                .stack(STACK, 0, 0, STACK + 0x30, 0x402000 | PAC, 0, 0, 0, 0x403000, 0, 0);
        List<long[]> frames = walkAndCompare(d);
        assertEquals(List.of(0x401000L, 0x401100L, 0x402000L), frames.stream().map(f -> f[0]).toList());
        assertEquals(List.of(STACK, STACK + 0x20, STACK + 0x40), frames.stream().map(f -> f[1]).toList());
    }

    @Test
    void scanningWhenThereIsNoFrameRecord() throws Exception {
        // x29 points outside the stack: no frame record; the words above sp hold one return address
        StackDump d = new StackDump().arm64(0x401000, STACK, 0x10, 0).stack(STACK, 7, 0x404321, 9, 0);
        List<long[]> frames = walkAndCompare(d);
        assertEquals(List.of(0x401000L, 0x404321L), frames.stream().map(f -> f[0]).toList());
    }

    /** Our walk as {pc, sp, found-by ordinal}, after checking it equals Breakpad's (when the tool is here). */
    private List<long[]> walkAndCompare(StackDump d) throws Exception {
        Path file = d.write(dir.resolve("arm64-" + System.nanoTime() + ".dmp"));
        ThreadStack s;
        try (Minidump dump = Minidump.open(file); StackWalker w = new StackWalker(dump, null)) {
            s = w.walk(dump.threads().orElseThrow().get(0));
        }
        List<long[]> ours = new ArrayList<>();
        for (StackFrame f : s.frames()) {
            ours.add(new long[] {f.instructionPointer(), f.registers().get("sp"), f.foundBy().ordinal()});
        }
        BreakpadStackText.Thread bp = breakpad(file);
        List<String> expected = bp.frames().stream().map(f -> Long.toHexString(f.registers().get("pc")) + " "
                + Long.toHexString(f.registers().get("sp")) + " " + FrameComparison.BREAKPAD_TRUST.get(f.foundBy()))
                .toList();
        List<String> found = s.frames().stream().map(f -> Long.toHexString(f.instructionPointer()) + " "
                + Long.toHexString(f.registers().get("sp")) + " " + f.foundBy()).toList();
        assertEquals(expected, found, "Breakpad's walk of " + file);
        return ours;
    }

    private static BreakpadStackText.Thread breakpad(Path dump) throws Exception {
        String dirName = System.getProperty("leakscope.breakpadTools", "../.tools/node_modules/minidump/bin/linux-x64");
        Path tool = Path.of(dirName, "minidump_stackwalk");
        Required.that(Files.isExecutable(tool), "Breakpad's minidump_stackwalk is not at " + tool);
        Path out = dump.resolveSibling(dump.getFileName() + ".out");
        Process p = new ProcessBuilder(tool.toString(), dump.toString()).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("minidump_stackwalk did not finish");
        }
        return BreakpadStackText.read(out).threads().get(0);
    }
}
