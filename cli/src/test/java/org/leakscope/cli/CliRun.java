package org.leakscope.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs a verb in-process with captured streams, as the launcher would. */
record CliRun(ExitCode exit, String out, String err) {

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExitCode code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A file of the third-party corpus; the test is skipped with a message when the corpus is absent. */
    static Path corpus(String relative) {
        Path p = Path.of(System.getProperty("leakscope.corpus", "../../shared/corpus")).resolve(relative);
        assumeTrue(Files.exists(p), "corpus file " + p + " is absent; skipping");
        return p;
    }

    /** A file under the repository's testdata/ (tests run in the module directory). */
    static Path testdata(String relative) {
        return Path.of("..", "testdata").resolve(relative);
    }
}
