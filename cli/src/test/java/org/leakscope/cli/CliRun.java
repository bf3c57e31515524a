package org.leakscope.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.leakscope.testing.Required;

/** Runs a verb in-process with captured streams, as the launcher would. */
record CliRun(ExitCode exit, String out, String err) {

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExitCode code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The verb with its report going to {@code stdout} (e.g. /dev/full) as the process's own would. */
    static CliRun to(java.io.OutputStream stdout, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExitCode code = Main.run(args, SafePrintStream.over(stdout, "standard output"),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, "", err.toString(StandardCharsets.UTF_8));
    }

    /** Every corpus file this module's tests read; {@code CorpusFilesTest} checks they are all there. */
    static final List<String> CORPUS_READ = List.of("breakpad/minidump2.dmp",
            "breakpad/minidump2.stackwalk.machine_readable.out", "breakpad/symbols", "malformed/invalid-range.dmp",
            "malformed/invalid-record-count.dmp", "malformed/r2_trunc_memory64.dmp",
            "dbgview/lithium_dbgview_cp1251.log", "dbgview/resmon_original_usermode_test_wine.log",
            "windows/bo4server_win10_1607_x64_handles_meminfo.dmp");

    /**
     * A file of the third-party corpus; the test is skipped with a message when the corpus is absent, and fails
     * under CI ({@link Required}).
     */
    static Path corpus(String relative) {
        return Required.corpusFile(relative);
    }

    /** A file under the repository's testdata/ (tests run in the module directory). */
    static Path testdata(String relative) {
        return Path.of("..", "testdata").resolve(relative);
    }
}
