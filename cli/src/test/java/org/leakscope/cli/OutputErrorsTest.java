package org.leakscope.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.leakscope.testing.Required;

/**
 * A report that cannot be written is an error naming where it was going (exit 2), a reader that stops early
 * ({@code | head}) ends the tool quietly (141, as SIGPIPE would), and -o files are made like any Unix tool's.
 */
class OutputErrorsTest {
    private static final String DUMP = CliRun.testdata("minidump/sample.dmp").toString();
    private static final Path FULL = Path.of("/dev/full");

    @TempDir
    Path tmp;

    /** Each tool's arguments for a small report. */
    private static String[] report(String verb) {
        return switch (verb) {
            case "dumpscan" -> new String[] {"dumpscan", DUMP};
            case "leakdiff" -> new String[] {"leakdiff", CliRun.testdata("umdh/leaky_1.log").toString(),
                CliRun.testdata("umdh/leaky_2.log").toString()};
            default -> new String[] {"logscan", CliRun.testdata("dbgview/resmon_user_x64_exit_report.log").toString()};
        };
    }

    private static String[] with(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(new String[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dumpscan", "leakdiff", "logscan"})
    void aFullDiskOnStandardOutputIsAnError(String verb) throws Exception {
        Required.that(Files.exists(FULL), "/dev/full (Linux) is absent");
        try (FileOutputStream full = new FileOutputStream(FULL.toFile())) {
            CliRun r = CliRun.to(full, report(verb));
            assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
            assertEquals(verb + ": error: cannot write the report to standard output: No space left on device\n",
                    r.err());
        }
        try (FileOutputStream full = new FileOutputStream(FULL.toFile())) {
            CliRun json = CliRun.to(full, with(report(verb), "--json"));
            assertEquals(ExitCode.BAD_INPUT, json.exit(), json.err());
        }
    }

    @Test
    void theProcessExitsWithStatus2OnAFullDisk() throws Exception {
        Required.that(Files.exists(FULL), "/dev/full (Linux) is absent");
        ProcessBuilder pb = new ProcessBuilder(MainProcess.command("dumpscan", DUMP)).redirectOutput(FULL.toFile());
        MainProcess p = MainProcess.run(pb);
        assertEquals(2, p.exit(), p.err());
        assertEquals("dumpscan: error: cannot write the report to standard output: No space left on device\n",
                p.err());
    }

    /** 200 dumps make a report far larger than a pipe's buffer: the tool is still writing when head leaves. */
    @Test
    void aClosedPipeEndsTheToolQuietly() throws Exception {
        Required.that(Files.exists(FULL), "a Linux pipe (this test reads /dev/full's presence as Linux)");
        List<String> args = new ArrayList<>(List.of("dumpscan"));
        args.addAll(Collections.nCopies(200, DUMP));
        Process p = new ProcessBuilder(MainProcess.command(args.toArray(new String[0]))).start();
        InputStream out = p.getInputStream();
        byte[] first = out.readNBytes(10);
        out.close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the tool stopped");
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("Dump      ", new String(first, StandardCharsets.UTF_8));
        assertEquals(141, p.exitValue(), err);
        assertEquals("", err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dumpscan", "leakdiff", "logscan"})
    void anOutputFileThatCannotBeWrittenIsNamedAsGiven(String verb) throws Exception {
        Path missing = tmp.resolve("no/such/dir/report.txt");
        CliRun r = CliRun.of(with(report(verb), "-o", missing.toString()));
        assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
        assertEquals(verb + ": error: cannot write the report to " + missing + ": no such directory "
                + missing.getParent() + "\n", r.err());
        CliRun dir = CliRun.of(with(report(verb), "-o", tmp.toString()));
        assertEquals(ExitCode.BAD_INPUT, dir.exit(), dir.err());
        assertEquals(verb + ": error: cannot write the report to " + tmp + ": expected a file, found a directory\n",
                dir.err());
        if (Files.exists(FULL)) {
            CliRun full = CliRun.of(with(report(verb), "-o", FULL.toString()));
            assertEquals(ExitCode.BAD_INPUT, full.exit(), full.err());
            assertEquals(verb + ": error: cannot write the report to /dev/full: No space left on device\n", full.err());
        }
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "nothing left behind");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dumpscan", "leakdiff", "logscan"})
    void outputGivenTwiceIsAUsageError(String verb) {
        CliRun r = CliRun.of(with(report(verb), "-o", tmp.resolve("a").toString(), "--output",
                tmp.resolve("b").toString()));
        assertEquals(ExitCode.BAD_INPUT, r.exit());
        assertTrue(r.err().startsWith(verb + ": -o/--output given 2 times"), r.err());
        assertFalse(Files.exists(tmp.resolve("a")) || Files.exists(tmp.resolve("b")));
    }

    /** umask 027 gives rw-r-----, which neither the old 0600 nor a fixed 0644 would. */
    @Test
    void aNewOutputFileFollowsTheUmask() throws Exception {
        Required.that(Files.exists(FULL), "a POSIX shell with umask (Linux)");
        Path out = tmp.resolve("report.txt");
        StringBuilder cmd = new StringBuilder("umask 027; exec");
        for (String a : MainProcess.command("dumpscan", DUMP, "-o", out.toString())) {
            cmd.append(" '").append(a).append('\'');
        }
        MainProcess p = MainProcess.run(new ProcessBuilder("sh", "-c", cmd.toString()));
        assertEquals(0, p.exit(), p.err());
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    @Test
    void anExistingOutputFileKeepsItsPermissions() throws Exception {
        Required.that(Files.exists(FULL), "POSIX permissions (Linux)");
        Path out = tmp.resolve("report.txt");
        Files.writeString(out, "old");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-rw-r--"));
        CliRun r = CliRun.of("dumpscan", DUMP, "-o", out.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(Files.readString(out).startsWith("Dump       "), Files.readString(out));
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    /** /dev/stdout and FIFOs are written in place: renaming a temporary file over them would replace them. */
    @Test
    void aPipeIsWrittenInPlace() throws Exception {
        Path fifo = tmp.resolve("pipe");
        Required.that(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo (POSIX)");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CliRun r = CliRun.of("dumpscan", DUMP, "-o", fifo.toString());
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertTrue(reader.get(20, TimeUnit.SECONDS).startsWith("Dump       "));
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "still a pipe");
    }
}
