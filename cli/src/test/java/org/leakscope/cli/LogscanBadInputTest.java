package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged or wrong input to logscan: a clear message with file and line, exit 2 (or warnings and the report
 * of what could be read), never a stack trace; damage generated here rather than stored.
 */
class LogscanBadInputTest {
    private static final Path GOOD = CliRun.testdata("dbgview/resmon_user_x64_exit_report.log");

    @TempDir
    Path tmp;

    private static void assertBad(CliRun r, String... fragments) {
        assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
        assertNoTrace(r);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' in: " + r.err());
        }
    }

    private static void assertNoTrace(CliRun r) {
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(r.err().contains("internal error"), r.err());
    }

    @Test
    void binaryGarbageNamesTheLine() throws Exception {
        Path p = tmp.resolve("garbage.log");
        byte[] good = Files.readAllBytes(GOOD);
        byte[] garbage = new byte[64];
        new Random(3).nextBytes(garbage);
        garbage[10] = 0;
        byte[] b = Arrays.copyOf(good, good.length + garbage.length);
        System.arraycopy(garbage, 0, b, good.length, garbage.length);
        Files.write(p, b);
        // the reader stops at the first NUL: its line, counted here from the bytes
        int nul = 0;
        while (b[nul] != 0) {
            nul++;
        }
        long line = 1;
        for (int i = 0; i < nul; i++) {
            line += b[i] == '\n' ? 1 : 0;
        }
        assertTrue(nul > good.length, "the garbage follows the log: byte " + nul);
        assertBad(CliRun.of("logscan", p.toString()), "garbage.log: line " + line, "binary data (a NUL byte)");
        Path dump = CliRun.testdata("minidump/sample.dmp");
        assertBad(CliRun.of("logscan", dump.toString()), "sample.dmp: line 1", "binary data");
    }

    @Test
    void somethingElseEntirelyIsRefused() {
        assertBad(CliRun.of("logscan", CliRun.testdata("umdh/leaky_1.log").toString()), "leaky_1.log: line 1",
                "a DebugView log");
        assertBad(CliRun.of("logscan", tmp.toString()), "a directory");
        assertBad(CliRun.of("logscan", tmp.resolve("absent.log").toString()), "absent.log: no such file");
        assertBad(CliRun.of("logscan", GOOD.toString(), "--encoding", "klingon"), "unknown encoding (known:");
        assertBad(CliRun.of("logscan", GOOD.toString(), "--pid", "x"), "--pid");
        assertBad(CliRun.of("logscan"), "no log given");
    }

    @Test
    void anEmptyFileIsAnErrorNamingIt() throws Exception {
        Path empty = tmp.resolve("empty.log");
        Files.write(empty, new byte[0]);
        CliRun r = CliRun.of("logscan", empty.toString());
        assertBad(r, "empty.log: line 1: expected a DebugView log or captured resmon output, found an empty file");
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals("", r.out());
        Path blank = tmp.resolve("blank.log");
        Files.writeString(blank, "\r\n\n\n");
        assertBad(CliRun.of("logscan", blank.toString(), "--json"), "blank.log: line 1:", "found only blank lines");
        // one empty file among good ones still fails: nothing is silently skipped
        assertBad(CliRun.of("logscan", GOOD.toString(), empty.toString()), "empty.log", "an empty file");
    }

    @Test
    void aFilterThatMatchesNothingNamesTheRunsThereAre() {
        String log = CliRun.testdata("dbgview/resmon_kernel_and_x86_clock.log").toString();
        CliRun r = CliRun.of("logscan", log, "--pid", "1");
        assertBad(r);
        assertEquals("logscan: --pid 1 matches no run; " + log + " has:\n"
                + "    run 1: kernelmode_test.sys (kernel), from line 1\n"
                + "    run 2: app32.exe [3300], from line 37\n"
                + "    run 3: kernelmode_test.sys (kernel), from line 47\n"
                + "Try 'logscan --help'.\n", r.err());
        assertEquals("", r.out());
        assertFalse(r.err().contains("No resmon output"), r.err());
        CliRun json = CliRun.of("logscan", log, CliRun.testdata("dbgview/resmon_soak_flat.log").toString(),
                "--process", "notepad", "--json");
        assertBad(json, "--process notepad matches no run\n", "resmon_soak_flat.log has:\n    run 1: soak.exe [4100], from line 2");
        // leakdiff reads logs through the same filter
        assertBad(CliRun.of("leakdiff", log, log, "--pid", "1"), "leakdiff: --pid 1 matches no run",
                "run 2: app32.exe [3300], from line 37");
        // a log without any resmon output is still just that
        CliRun none = CliRun.of("logscan", CliRun.testdata("dbgview/mixed_time_formats_crlf.log").toString(), "--pid", "1");
        assertEquals(ExitCode.OK, none.exit(), none.err());
        assertTrue(none.out().contains("No resmon output found"), none.out());
    }

    @Test
    void truncatedReportIsAWarningAndTheRestIsReported() throws Exception {
        String text = Files.readString(GOOD);
        Path p = tmp.resolve("cut.log");
        // the capture stops after the line before the event's return address (line 105)
        Files.writeString(p, text.substring(0, text.lastIndexOf('\n', text.indexOf("returnAddress 0x00007FF6C2A87100")) + 1));
        CliRun r = CliRun.of("logscan", p.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertNoTrace(r);
        assertTrue(r.err().contains("cut.log: line 105: expected the rest of the resmon exit report begun at line 70, found it cut off after line 105"),
                r.err());
        assertTrue(r.out().contains("exit report (lines 70..105, cut off)"), r.out());
        assertTrue(r.out().contains("the exit report stops at line 105"), r.out());
        CliRun strict = CliRun.of("logscan", p.toString(), "--strict");
        assertBad(strict, "cut.log: line 105");
    }

    @Test
    void tenMegabyteLineIsSkippedWithAWarning() throws Exception {
        Path p = tmp.resolve("long.log");
        try (OutputStream out = Files.newOutputStream(p)) {
            out.write(Files.readAllBytes(GOOD));
            out.write("00000999\t70.00000000\t[2540] ".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'x');
            for (int i = 0; i < 10; i++) {
                out.write(chunk);
            }
            out.write("\n00001000\t71.00000000\t[9] after\n".getBytes(StandardCharsets.US_ASCII));
        }
        CliRun r = CliRun.of("logscan", p.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(r.err().contains("long.log: line 126: expected a line of at most"), r.err());
        assertTrue(r.out().contains("verdict: LEAKED"), r.out());
    }

    @Test
    void generatedDamageNeverCrashes() throws Exception {
        byte[] good = Files.readAllBytes(GOOD);
        Random rnd = new Random(42);
        Path p = tmp.resolve("damaged.log");
        for (int i = 0; i < 400; i++) {
            byte[] b;
            if (i < 150) {
                b = Arrays.copyOf(good, rnd.nextInt(good.length)); // truncation anywhere
            } else {
                b = good.clone();
                for (int f = 0; f < 1 + i % 8; f++) {
                    int at = rnd.nextInt(b.length);
                    b[at] ^= (byte) (1 << rnd.nextInt(8)); // bit flips, NULs included
                }
            }
            Files.write(p, b);
            CliRun r = CliRun.of("logscan", p.toString(), i % 2 == 0 ? "--json" : "--top=3");
            assertTrue(r.exit() == ExitCode.OK || r.exit() == ExitCode.BAD_INPUT, i + ": " + r.err());
            assertNoTrace(r);
            if (r.exit() == ExitCode.BAD_INPUT) {
                assertTrue(r.err().startsWith("logscan: "), r.err());
                assertTrue(r.err().contains("damaged.log"), r.err());
            }
        }
    }

    @Test
    void outputFileIsWrittenWholeOrNotAtAll() throws Exception {
        Path out = tmp.resolve("report.txt");
        CliRun ok = CliRun.of("logscan", GOOD.toString(), "-o", out.toString());
        assertEquals(ExitCode.OK, ok.exit(), ok.err());
        assertTrue(Files.readString(out).contains("Summary: 2 runs, 1 leaked"));
        Path bad = tmp.resolve("bad.txt");
        CliRun fail = CliRun.of("logscan", CliRun.testdata("minidump/sample.dmp").toString(), "-o", bad.toString());
        assertEquals(ExitCode.BAD_INPUT, fail.exit());
        assertFalse(Files.exists(bad));
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void helpListsOptionsAndExitCodes() {
        CliRun r = CliRun.of("logscan", "--help");
        assertEquals(ExitCode.OK, r.exit());
        assertTrue(r.out().contains("--fail-on-leak") && r.out().contains("Exit status:")
                && r.out().contains("    3  a CI gate tripped: --fail-on-leak and a run leaked or went over a limit\n"),
                r.out());
        assertTrue(!r.out().contains("--fail-above"), "leakdiff's gate is not logscan's: " + r.out());
    }
}
