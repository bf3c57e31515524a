package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * leakdiff runs under a modest heap cap (the launcher's -Xmx512m with -Dleakscope.heap=retry): inputs that
 * need more must still get their report, from a run with twice the heap, and the same report a roomy heap gives.
 * Here two generated logs of 60,000 stacks each, read whole (a symbol path), under a 16 MiB cap.
 */
class HeapRetryTest {
    @TempDir
    static Path tmp;
    static Path older;
    static Path newer;
    static Path symbols;

    @BeforeAll
    static void logs() throws Exception {
        older = tmp.resolve("older.log");
        newer = tmp.resolve("newer.log");
        symbols = Files.createDirectories(tmp.resolve("symbols"));
        write(older, 0);
        write(newer, 1);
    }

    /** 60,000 stacks of 6 frames in two modules; the newer log allocates more from every third one. */
    private static void write(Path file, int generation) throws Exception {
        UmdhLogWriter w = new UmdhLogWriter().time("2026-01-0" + (1 + generation) + " 00:00")
                .module("C:\\app\\app.exe", 0x7FF600000000L, 0x400000)
                .module("C:\\Windows\\SYSTEM32\\ntdll.dll", 0x7FFB10000000L, 0x1F8000);
        for (int s = 0; s < 60_000; s++) {
            String name = "s" + s;
            w.stack(name, Integer.toHexString(0x10000 + s).toUpperCase(), 1, 0x1000 + s % 97, 0, 0x1000 + s * 16L,
                    0, 0x2000 + s % 5003 * 8L, 0, 0x9000 + s % 101, 0, 0x30000 + s % 7, 0, 0x40000);
            w.allocations(name, 1 + (generation == 1 && s % 3 == 0 ? 1 : 0), 0x20 + s % 64);
        }
        w.write(file);
    }

    private static MainProcess leakdiff(String heap, boolean retry) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(MainProcess.java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx" + heap));
        if (retry) {
            cmd.add("-D" + HeapRetry.PROPERTY + "=retry");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "leakdiff",
                older.toString(), newer.toString(), "--symbols-path", symbols.toString()));
        return MainProcess.run(new ProcessBuilder(cmd));
    }

    @Test
    void aRunOutOfHeapRunsAgainWithTwiceTheHeapAndGivesTheSameReport() throws Exception {
        MainProcess roomy = leakdiff("1g", false);
        assertEquals(0, roomy.exit(), roomy.err());
        assertTrue(roomy.out().contains("BackTrace"), roomy.out().lines().limit(20).toList().toString());

        MainProcess capped = leakdiff("16m", true);
        assertEquals(0, capped.exit(), capped.err());
        assertTrue(capped.err().startsWith(
                "leakdiff: 16 MiB of heap is not enough here; running again with 32 MiB (LEAKSCOPE_JAVA_OPTS="),
                capped.err());
        assertFalse(capped.err().contains("out of memory"), capped.err());
        assertEquals(roomy.out(), capped.out());
    }

    /** Without the launcher's permission (a heap the user chose) the shortage is reported, not worked around. */
    @Test
    void withoutTheLaunchersPropertyItIsAnError() throws Exception {
        MainProcess capped = leakdiff("16m", false);
        assertEquals(1, capped.exit(), capped.err());
        assertTrue(capped.err().startsWith("leakdiff: error: out of memory (raise -Xmx via LEAKSCOPE_JAVA_OPTS)"),
                capped.err());
        assertEquals("", capped.out());
    }
}
