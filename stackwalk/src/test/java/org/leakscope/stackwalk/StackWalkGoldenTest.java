package org.leakscope.stackwalk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.minidump.DumpThread;
import org.leakscope.minidump.Minidump;
import org.leakscope.symbols.SymbolStore;

/**
 * The walker against Breakpad's own walks of two corpus dumps with their symbols ({@code .stackwalk.out}, made
 * by {@code minidump_stackwalk}): every frame's module, function, file, line, offset, instruction and stack
 * pointers and how it was found. An x86 Windows dump walked by STACK WIN programs, and an amd64 Linux dump walked
 * by STACK CFI, then by stack scanning once the CFI runs out.
 */
class StackWalkGoldenTest {
    @Test
    void minidump2EveryThreadAsBreakpadWalksIt() throws Exception {
        List<String> mismatches = compare("breakpad/minidump2.dmp", "breakpad/symbols",
                "breakpad/minidump2.stackwalk.out", false, "eip", "esp");
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    @Test
    void sentryLinuxCrashingThreadAsBreakpadWalksIt() throws Exception {
        List<String> mismatches = compare("stackwalk/sentry_crash_linux.dmp", "stackwalk/symbols",
                "stackwalk/sentry_crash_linux.stackwalk.out", true, "rip", "rsp");
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    private static List<String> compare(String dumpName, String symbolsName, String goldenName, boolean crashedOnly,
            String ip, String sp) throws Exception {
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
            StackWalker walker = new StackWalker(dump, symbols, StackWalker.DEFAULT_MAX_FRAMES,
                    StackWalker.ScanRule.BREAKPAD);
            for (BreakpadStackText.Thread expected : golden.threads()) {
                if (crashedOnly && !expected.crashed()) {
                    continue;
                }
                ThreadStack actual = walker.walk(threads.get(expected.index()));
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
