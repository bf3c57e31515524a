package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs leakdiff cannot use: one clear line on stderr, exit 2, no stack trace, no half-written output. */
class LeakdiffBadInputTest {
    @TempDir
    Path tmp;

    private static String umdh(String name) {
        return CliRun.testdata("umdh/" + name).toString();
    }

    private static void assertBad(CliRun r, String... fragments) {
        assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(r.err().contains("internal error"), r.err());
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' in: " + r.err());
        }
    }

    @Test
    void aMinidumpIsNotASnapshot() {
        assertBad(CliRun.of("leakdiff", CliRun.testdata("minidump/sample.dmp").toString(), umdh("leaky_2.log")),
                "use dumpscan");
        String dump = CliRun.testdata("minidump/sample.dmp").toString();
        assertBad(CliRun.of("leakdiff", dump, dump), "sample.dmp: at byte offset 0",
                "found a minidump without a resmon table", "use dumpscan");
    }

    @Test
    void compareOutputsCannotBeComparedAgain() {
        assertBad(CliRun.of("leakdiff", umdh("leaky_1.log"), umdh("compare_hex.txt")),
                "compare_hex.txt is a UMDH compare output");
        assertBad(CliRun.of("leakdiff", umdh("compare_hex.txt"), "--trend"), "--trend needs two or more snapshots");
    }

    @Test
    void oneSnapshotIsNotEnough() {
        assertBad(CliRun.of("leakdiff", umdh("leaky_1.log")), "give two or more snapshots");
    }

    @Test
    void textThatIsNotUmdh() throws Exception {
        Path p = tmp.resolve("notes.txt");
        Files.writeString(p, "nothing to see\n");
        assertBad(CliRun.of("leakdiff", p.toString(), umdh("leaky_2.log")), p + ": line 1: expected a UMDH");
        Path empty = tmp.resolve("empty.log");
        Files.writeString(empty, "");
        assertBad(CliRun.of("leakdiff", empty.toString(), umdh("leaky_2.log")), "an empty file");
    }

    @Test
    void missingFilesAndBadOptions() {
        assertBad(CliRun.of("leakdiff", tmp.resolve("nope.log").toString(), umdh("leaky_2.log")), "no such file");
        assertBad(CliRun.of("leakdiff", umdh("leaky_1.log"), umdh("leaky_2.log"), "--key", "stack"),
                "unknown key 'stack'");
        assertBad(CliRun.of("leakdiff", umdh("leaky_1.log"), umdh("leaky_2.log"), "--top", "-3"),
                "--top: expected a non-negative number");
        assertBad(CliRun.of("leakdiff"), "no input given");
    }

    @Test
    void damagedLinesAreWarningsUnlessStrict() throws Exception {
        String text = Files.readString(Path.of(umdh("leaky_2.log")));
        Path p = tmp.resolve("damaged.log");
        Files.writeString(p, text.replace("20 bytes + 10 at 2EA0100", "20 bytes + 10 at 2EA0100 garbage"));
        CliRun lenient = CliRun.of("leakdiff", umdh("leaky_1.log"), p.toString());
        assertEquals(ExitCode.OK, lenient.exit(), lenient.err());
        assertTrue(lenient.err().contains("leakdiff: warning: " + p + ": line "), lenient.err());
        assertBad(CliRun.of("leakdiff", umdh("leaky_1.log"), p.toString(), "--strict"), p + ": line ");
    }

    /**
     * A snapshot cut at a line boundary has no damaged line, only a missing end marker: without the warning it
     * would read as if everything after the cut had been freed.
     */
    @Test
    void aSnapshotCutShortIsAWarningAndWithStrictAnError() throws Exception {
        String text = Files.readString(Path.of(umdh("leaky_2.log")));
        String cut = text.substring(0, text.indexOf("40 bytes + 18 at 2EA0140")); // inside heap 2E60000
        long lines = cut.chars().filter(c -> c == '\n').count();
        Path p = tmp.resolve("cut.log");
        Files.writeString(p, cut);
        String warning = p + ": line " + lines + ": expected 'End of data for heap @ 2E60000' (heap 2E60000 starts at"
                + " line 28), found the end of the file: the snapshot ends inside heap 2E60000: truncated?";
        CliRun lenient = CliRun.of("leakdiff", umdh("leaky_1.log"), p.toString());
        assertEquals(ExitCode.OK, lenient.exit(), lenient.err());
        assertTrue(lenient.err().contains("leakdiff: warning: " + warning), lenient.err());
        assertBad(CliRun.of("leakdiff", umdh("leaky_1.log"), p.toString(), "--strict"), "leakdiff: error: " + warning);
    }

    /** leakdiff does not guess between readings of contradictory options or too many inputs. */
    @Test
    void threeSnapshotsWithoutTrendAndContradictoryOptionsAreUsageErrors() {
        String[] logs = {umdh("leaky_1.log"), umdh("leaky_2.log"), umdh("leaky_3_restarted_crlf.log")};
        assertUsage(CliRun.of("leakdiff", logs[0], logs[1], logs[2]),
                "3 snapshots given: a compare takes two (OLD NEW); add --trend for growth across all of them");
        assertUsage(CliRun.of("leakdiff", logs[0], logs[1], "--fold", "Pool::*", "--no-fold"), "--fold and --no-fold"
                + " cannot be used together (--no-fold keeps every frame; --fold adds allocator functions to fold)");
        String soak = CliRun.testdata("dbgview/resmon_soak_leaking.log").toString();
        assertUsage(CliRun.of("leakdiff", soak, soak, "--run", "1", "--run", "3", "--pid", "4101"), "--run and --pid"
                + " cannot be used together (--run picks a run by its number, --pid by its process id: give one)");
        assertEquals(ExitCode.OK, CliRun.of("leakdiff", "--trend", logs[0], logs[1], logs[2]).exit());
        assertUsage(CliRun.of("leakdiff", logs[0], logs[1], "--threads", "0"),
                "--threads: expected a number of threads from 1 to 1024, got '0'");
        CliRun one = CliRun.of("leakdiff", logs[0], logs[1], "--threads", "1");
        assertEquals(ExitCode.OK, one.exit(), one.err());
        assertEquals(CliRun.of("leakdiff", logs[0], logs[1]).out(), one.out(), "one reader thread, the same report");
    }

    /** A usage error: its one line, then the pointer to --help. */
    private static void assertUsage(CliRun r, String line) {
        assertBad(r);
        assertEquals("leakdiff: " + line + "\nTry 'leakdiff --help'.\n", r.err());
    }

    @Test
    void outputFileIsWrittenWholeOrNotAtAll() throws Exception {
        Path out = tmp.resolve("report.txt");
        CliRun ok = CliRun.of("leakdiff", umdh("leaky_1.log"), umdh("leaky_2.log"), "-o", out.toString());
        assertEquals(ExitCode.OK, ok.exit(), ok.err());
        assertTrue(Files.readString(out).contains("Total increase"));
        Path out2 = tmp.resolve("never.txt");
        CliRun bad = CliRun.of("leakdiff", umdh("leaky_1.log"), CliRun.testdata("minidump/sample.dmp").toString(),
                "-o", out2.toString());
        assertEquals(ExitCode.BAD_INPUT, bad.exit());
        assertFalse(Files.exists(out2));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void helpListsExitCodes() {
        CliRun r = CliRun.of("leakdiff", "--help");
        assertEquals(ExitCode.OK, r.exit());
        assertTrue(r.out().contains("Exit status:") && r.out().contains("    3  a CI gate tripped: --fail-above BYTES"
                + " exceeded (the total or one stack grew by more)\n"), r.out());
        assertTrue(!r.out().contains("--fail-on-leak"), "logscan's gate is not leakdiff's: " + r.out());
    }
}
