package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input and bad usage end in one clear line and exit status 2, never a stack trace. */
class DumpscanBadInputTest {

    @ParameterizedTest
    @ValueSource(strings = {"malformed/invalid-range.dmp", "malformed/invalid-record-count.dmp",
        "malformed/r2_trunc_memory64.dmp"})
    void corpusMalformedDumpsExit2WithAClearMessage(String name) {
        Path dump = CliRun.corpus(name);
        CliRun run = CliRun.of("dumpscan", dump.toString());
        assertEquals(ExitCode.BAD_INPUT, run.exit());
        assertTrue(run.err().contains(dump.toString()), run.err());
        assertTrue(run.err().matches("(?s).*(byte offset|offset) \\d+.*"), "names an offset: " + run.err());
        assertNoStackTrace(run);
    }

    @Test
    void everyMalformedCorpusFileIsCovered() throws Exception {
        try (Stream<Path> files = Files.list(CliRun.corpus("malformed"))) {
            assertEquals(3, files.count(), "a new malformed corpus file needs a case above");
        }
    }

    @Test
    void notADump(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "this is a text file, not a minidump\n");
        CliRun run = CliRun.of("dumpscan", f.toString());
        assertEquals(ExitCode.BAD_INPUT, run.exit());
        assertTrue(run.err().contains("expected minidump signature 'MDMP', found 'this' (not a minidump)"), run.err());
        assertNoStackTrace(run);
    }

    @Test
    void emptyAndMissingFiles(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.dmp"));
        CliRun run = CliRun.of("dumpscan", empty.toString(), dir.resolve("missing.dmp").toString());
        assertEquals(ExitCode.BAD_INPUT, run.exit());
        assertTrue(run.err().contains("empty.dmp: at byte offset 0 (0x0): expected a 32-byte minidump header"), run.err());
        assertTrue(run.err().contains("missing.dmp: no such file"), run.err());
        assertNoStackTrace(run);
    }

    /** A directory among the dumps is named as such; the other dumps are still reported. */
    @Test
    void aDirectoryIsNotADump(@TempDir Path dir) throws Exception {
        String sample = CliRun.testdata("minidump/sample.dmp").toString();
        CliRun run = CliRun.of("dumpscan", dir.toString(), sample);
        assertEquals(ExitCode.BAD_INPUT, run.exit());
        assertEquals("dumpscan: error: " + dir + ": expected a file, found a directory\n", run.err());
        assertTrue(run.out().startsWith("Dump       " + sample), run.out());
        CliRun json = CliRun.of("dumpscan", "--json", dir.toString());
        assertEquals(ExitCode.BAD_INPUT, json.exit());
        assertTrue(json.out().contains("\"fileSize\" : null,\n    \"error\" : \"" + dir
                + ": expected a file, found a directory\""), json.out());
        assertNoStackTrace(run);
    }

    @Test
    void usageErrors() {
        assertEquals(ExitCode.BAD_INPUT, CliRun.of().exit());
        assertEquals(ExitCode.BAD_INPUT, CliRun.of("dumpscan").exit());
        assertEquals(ExitCode.BAD_INPUT, CliRun.of("dumpscan", "--no-such-option", "x.dmp").exit());
        assertEquals(ExitCode.BAD_INPUT, CliRun.of("frobnicate").exit());
        CliRun mem = CliRun.of("dumpscan", "x.dmp", "--memory", "zz", "16");
        assertEquals(ExitCode.BAD_INPUT, mem.exit());
        assertTrue(mem.err().contains("--memory ADDR LEN"), mem.err());
    }

    @Test
    void helpListsExitCodesAndExamples() {
        CliRun run = CliRun.of("dumpscan", "--help");
        assertEquals(ExitCode.OK, run.exit());
        for (String s : List.of("--json", "--raw", "--memory", "--symbols-path", "Examples:", "Exit status:",
                "2  bad input", "141  standard output was closed")) {
            assertTrue(run.out().contains(s), s);
        }
        // dumpscan has no CI gate: exit status 3 belongs to leakdiff and logscan
        assertFalse(run.out().contains("  3  "), run.out());
        assertFalse(run.out().contains("gate"), run.out());
    }

    @Test
    void outputFileIsWrittenWholeOrNotAtAll(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report.json");
        CliRun ok = CliRun.of("dumpscan", "--json", "-o", out.toString(), CliRun.testdata("minidump/sample.dmp").toString());
        assertEquals(ExitCode.OK, ok.exit(), ok.err());
        assertTrue(Files.readString(out).contains("\"schema\" : \"leakscope.dumpscan/2\""));
        // JSON keeps scripts informed: the failed dump is an entry with its error.
        Path bad = dir.resolve("bad.json");
        CliRun fail = CliRun.of("dumpscan", "--json", "-o", bad.toString(), dir.resolve("missing.dmp").toString());
        assertEquals(ExitCode.BAD_INPUT, fail.exit());
        assertTrue(Files.readString(bad).contains("\"error\" : \""), Files.readString(bad));
        // Text has nothing to say about a dump it could not open: no file at all.
        Path none = dir.resolve("none.txt");
        assertEquals(ExitCode.BAD_INPUT, CliRun.of("dumpscan", "-o", none.toString(), dir.resolve("missing.dmp").toString()).exit());
        assertFalse(Files.exists(none));
        // An unwritable destination is an error, not a half-written file.
        CliRun nodir = CliRun.of("dumpscan", "-o", dir.resolve("no/such/dir/r.txt").toString(),
                CliRun.testdata("minidump/sample.dmp").toString());
        assertEquals(ExitCode.BAD_INPUT, nodir.exit());
        assertNoStackTrace(nodir);
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp files left");
        }
    }

    static void assertNoStackTrace(CliRun run) {
        assertFalse(run.err().contains("\tat "), run.err());
        assertFalse(run.err().contains("Exception:"), run.err());
        assertFalse(run.err().contains("internal error"), run.err());
    }
}
