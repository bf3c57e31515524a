package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * leakdiff --json writes each shown stack's entry as it goes: a compare showing hundreds of thousands of stacks
 * must not hold all their frame objects at once. Two generated logs whose 12,000 stacks of 14 frames all change
 * (a 40 MB document) compare under a 24 MiB heap, with the document a roomy heap gives.
 */
class LeakdiffJsonHeapTest {
    @TempDir
    Path tmp;

    private static void write(Path file, int generation) throws Exception {
        UmdhLogWriter w = new UmdhLogWriter().time("2026-01-0" + (1 + generation) + " 00:00")
                .module("C:\\app\\app.exe", 0x7FF600000000L, 0x400000)
                .module("C:\\Windows\\SYSTEM32\\ntdll.dll", 0x7FFB10000000L, 0x1F8000);
        for (int s = 0; s < 12_000; s++) {
            String name = "s" + s;
            w.stack(name, Integer.toHexString(0x10000 + s).toUpperCase(), 1, 0x1000 + s % 97, 0, 0x1000 + s * 16L,
                    0, 0x2000 + s % 5003 * 8L, 0, 0x9000 + s % 101, 0, 0x30000 + s % 7, 0, 0x40000,
                    0, 0x50000 + s % 13, 0, 0x60000 + s % 17, 0, 0x70000 + s % 19, 0, 0x80000 + s % 23,
                    0, 0x90000 + s % 29, 0, 0xA0000 + s % 31, 0, 0xB0000 + s % 37, 0, 0xC0000 + s % 41);
            w.allocations(name, 1 + generation, 0x20 + s % 64);
        }
        w.write(file);
    }

    private static MainProcess leakdiff(String heap, Path older, Path newer) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(MainProcess.java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "leakdiff", older.toString(), newer.toString(), "--json"));
        return MainProcess.run(new ProcessBuilder(cmd));
    }

    @Test
    void theDocumentsStacksAreWrittenAsTheyAreMade() throws Exception {
        Path older = tmp.resolve("older.log");
        Path newer = tmp.resolve("newer.log");
        write(older, 0);
        write(newer, 1);
        MainProcess roomy = leakdiff("1g", older, newer);
        assertEquals(0, roomy.exit(), roomy.err());
        assertTrue(roomy.out().contains("\"stacksShown\" : 12000"), roomy.out().lines().limit(60).toList().toString());
        assertTrue(roomy.out().length() > 40_000_000, "a document of " + roomy.out().length() + " chars");
        MainProcess capped = leakdiff("24m", older, newer);
        assertEquals(0, capped.exit(), capped.err());
        assertEquals(roomy.out(), capped.out());
    }
}
