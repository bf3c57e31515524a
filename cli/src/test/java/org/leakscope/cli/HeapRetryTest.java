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
        return run(heap, retry, "leakdiff", older.toString(), newer.toString(), "--symbols-path", symbols.toString());
    }

    private static MainProcess run(String heap, boolean retry, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(MainProcess.java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx" + heap));
        if (retry) {
            cmd.add("-D" + HeapRetry.PROPERTY + "=retry");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
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

    /**
     * leakdiff --json writes each shown stack's entry as it goes, never all of them at once: the 20,000 changed
     * stacks of these logs (a 20 MB document), read indexed, compare under a 32 MiB heap with no rerun and give
     * the roomy run's document. Built whole first, the entries do not fit in 40 MiB (tried); the run itself needs
     * about 23 MiB on JDK 17, so 24 MiB failed one run in six already before the stacks' re-read was split.
     */
    @Test
    void theJsonDocumentsStacksAreWrittenAsTheyAreMade() throws Exception {
        MainProcess roomy = run("1g", false, "leakdiff", older.toString(), newer.toString(), "--json");
        assertEquals(0, roomy.exit(), roomy.err());
        assertTrue(roomy.out().contains("\"stacksShown\" : 20000"), roomy.out().lines().limit(60).toList().toString());
        MainProcess capped = run("32m", false, "leakdiff", older.toString(), newer.toString(), "--json");
        assertEquals(0, capped.exit(), capped.err());
        assertEquals(roomy.out(), capped.out());
    }

    /**
     * Logs big enough to be sampled (64 MB and more: 800,000 stacks each) whose estimated need passes the heap
     * start in a JVM with enough heap before reading anything, and give the roomy run's report.
     */
    @Test
    void logsSampledToNeedMoreHeapStartAgainBeforeReading() throws Exception {
        Path a = tmp.resolve("big-older.log");
        Path b = tmp.resolve("big-newer.log");
        writeBig(a, 0);
        writeBig(b, 1);
        assertTrue(Files.size(a) >= 64 << 20, "sampled logs are at least 64 MB: " + Files.size(a));
        MainProcess roomy = run("1g", false, "leakdiff", a.toString(), b.toString());
        assertEquals(0, roomy.exit(), roomy.err());
        MainProcess sized = run("128m", true, "leakdiff", a.toString(), b.toString());
        assertEquals(0, sized.exit(), sized.err());
        // the first line says so before reading (the estimate is a sample's: on some JVMs and collectors the run
        // may still rerun after it, with twice that heap)
        assertTrue(sized.err().lines().findFirst().orElse("").matches("leakdiff: these inputs need about \\d+ MiB"
                + " of heap: running with 256 MiB \\(LEAKSCOPE_JAVA_OPTS=-Xmx sets the heap\\)"), sized.err());
        assertEquals(roomy.out(), sized.out());
    }

    /** A log in UmdhLogWriter's shapes, streamed: 800,000 stacks of 3 frames, one allocation each. */
    private static void writeBig(Path file, int generation) throws Exception {
        try (var w = Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.US_ASCII)) {
            w.write("// \n// UMDH: version 10.0.19041.1: Logtime 2026-01-0" + (1 + generation)
                    + " 00:00 - Machine=TEST - PID=1234\n// \n\n// Loaded modules: \n//     Base Size Module\n");
            w.write(String.format("// %20X %8X %s%n", 0x7FF600000000L, 0x400000, "C:\\app\\app.exe"));
            w.write("//\n// Process modules enumerated.\n\n");
            w.write("*- - - - - - - - - - Start of data for heap @ 2E60000 - - - - - - - - - -\n\n");
            w.write("REQUESTED bytes + OVERHEAD at ADDRESS by BackTraceID\n     STACK if not already dumped.\n\n");
            w.write("*- - - - - - - - - - Heap 2E60000 Hogs - - - - - - - - - -\n\n");
            for (int s = 0; s < 800_000; s++) {
                long size = 0x20 + s % 64 + (generation == 1 && s % 3 == 0 ? 0x10 : 0);
                String at = Long.toHexString(0x2E90000L + s * 0x100L).toUpperCase();
                w.write(Long.toHexString(size).toUpperCase() + " bytes + 8 at " + at + " by BackTrace"
                        + Integer.toHexString(0x100000 + s).toUpperCase() + "\n");
                w.write("\t" + Long.toHexString(0x7FF600001000L + s * 16L).toUpperCase() + "\n\t"
                        + Long.toHexString(0x7FF600200000L + s % 5003 * 8L).toUpperCase() + "\n\t7FF600300040\n\n");
            }
            w.write("*- - - - - - - - - - End of data for heap @ 2E60000 - - - - - - - - - -\n");
        }
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

    /** The heap the rerun doubles is read off the JVM's -Xmx option, and only off a well-formed one. */
    @Test
    void onlyAWellFormedXmxIsTheHeap() {
        for (String yes : new String[] {"-Xmx512m", "-Xmx4G", "-Xmx1048576", "-Xmx64k"}) {
            assertTrue(HeapRetry.isHeapOption(yes), yes);
        }
        for (String no : new String[] {"-Xmx", "-Xmxm", "-Xmx5mm", "-Xmx-1m", "-Xms512m", "-Xmx1t", "-Xmx 1g",
            "-XX:MaxHeapSize=1g", "-Xmx1.5g"}) {
            assertFalse(HeapRetry.isHeapOption(no), no);
        }
    }
}
