package org.leakscope.stackwalk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.leakscope.minidump.DumpThread;
import org.leakscope.minidump.Minidump;
import org.leakscope.symbols.SymbolStore;

/**
 * The walker against Breakpad's own walks of two corpus dumps with their symbols ({@code .stackwalk.out}, made
 * by {@code minidump_stackwalk}): every frame's module, function, file, line, offset, instruction and stack
 * pointers and how it was found. An x86 Windows dump walked by STACK WIN programs, and an amd64 Linux dump walked
 * by STACK CFI, then by stack scanning once the CFI runs out. Compared with {@link StackWalker.ScanRule#BREAKPAD};
 * the default rule's one departure on these dumps is asserted on its own.
 */
class StackWalkGoldenTest {
    @Test
    void minidump2EveryThreadAsBreakpadWalksIt() throws Exception {
        List<String> mismatches = compare("breakpad/minidump2.dmp", "breakpad/symbols",
                "breakpad/minidump2.stackwalk.out", false, "eip", "esp", StackWalker.ScanRule.BREAKPAD, Set.of());
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    @Test
    void sentryLinuxCrashingThreadAsBreakpadWalksIt() throws Exception {
        List<String> mismatches = compare("stackwalk/sentry_crash_linux.dmp", "stackwalk/symbols",
                "stackwalk/sentry_crash_linux.stackwalk.out", true, "rip", "rsp", StackWalker.ScanRule.BREAKPAD,
                Set.of());
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    /**
     * Breakpad's scan takes frame 4, {@code crash_linux!start} at 0x40207c: that is {@code main}'s first byte, a
     * function pointer left on the stack for {@code __libc_start_main}, and the bytes before it (in the program
     * file) are {@code call crash; nop; ret}, whose call returns to 0x40207a, not there. The default rule passes
     * over it; every other frame is Breakpad's.
     */
    @Test
    void sentryLinuxWithTheCallCheckLeavesOutTheFunctionPointerBreakpadScanned() throws Exception {
        List<String> mismatches = compare("stackwalk/sentry_crash_linux.dmp", "stackwalk/symbols",
                "stackwalk/sentry_crash_linux.stackwalk.out", true, "rip", "rsp", StackWalker.ScanRule.CALLS_FIRST,
                Set.of(4));
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    /** @param leftOut Breakpad's frames (by index) that the walk is expected not to have */
    private static List<String> compare(String dumpName, String symbolsName, String goldenName, boolean crashedOnly,
            String ip, String sp, StackWalker.ScanRule rule, Set<Integer> leftOut) throws Exception {
        Path dumpFile = Corpus.file(dumpName);
        BreakpadStackText golden = BreakpadStackText.read(Corpus.file(goldenName));
        List<String> mismatches = new ArrayList<>();
        int frames = 0;
        try (Minidump dump = Minidump.open(dumpFile);
                SymbolStore symbols = new SymbolStore(List.of(Corpus.file(symbolsName)))) {
            // Breakpad leaves out the thread that wrote the dump (its exception handler's) and numbers the rest
            Long writer = dump.breakpadInfo().map(b -> b.dumpThreadId()).orElse(null);
            List<DumpThread> threads = dump.threads().orElseThrow().stream()
                    .filter(t -> writer == null || t.id() != writer).toList();
            if (!crashedOnly) {
                assertEquals(threads.size(), golden.threads().size(), "threads");
            }
            StackWalker walker = new StackWalker(dump, symbols, StackWalker.DEFAULT_MAX_FRAMES, rule);
            for (BreakpadStackText.Thread expected : golden.threads()) {
                if (crashedOnly && !expected.crashed()) {
                    continue;
                }
                ThreadStack actual = walker.walk(threads.get(expected.index()));
                List<BreakpadStackText.Frame> kept = new ArrayList<>();
                for (BreakpadStackText.Frame f : expected.frames()) {
                    if (!leftOut.contains(f.index())) {
                        kept.add(f);
                    }
                }
                expected = new BreakpadStackText.Thread(expected.index(), expected.crashed(), kept);
                assertEquals(expected.crashed(), actual.crashed(), "thread " + expected.index() + " crashed");
                int n = Math.max(expected.frames().size(), actual.frames().size());
                for (int i = 0; i < n; i++) {
                    frames++;
                    String where = dumpName + " thread " + expected.index() + " frame " + i;
                    if (i >= expected.frames().size()) {
                        mismatches.add(where + ": not in Breakpad's walk: " + actual.frames().get(i));
                    } else if (i >= actual.frames().size()) {
                        mismatches.add(where + ": missing, Breakpad has " + expected.frames().get(i).text()
                                + " (walk ended: " + actual.end() + ")");
                    } else {
                        for (String d : FrameComparison.differences(expected.frames().get(i), actual.frames().get(i),
                                ip, sp)) {
                            mismatches.add(where + " (" + expected.frames().get(i).text() + "): " + d);
                        }
                    }
                }
            }
        }
        System.out.println(dumpName + ": " + frames + " frames compared with " + goldenName + ", " + mismatches.size()
                + " mismatches");
        return mismatches;
    }
}
