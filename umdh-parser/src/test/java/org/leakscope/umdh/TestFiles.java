package org.leakscope.umdh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The corpus beside the checkout (skipped with a message when absent) and the repository's testdata/. */
final class TestFiles {
    private TestFiles() {
    }

    static Path corpus(String relative) {
        Path p = Path.of(System.getProperty("leakscope.corpus", "../../shared/corpus")).resolve(relative);
        assumeTrue(Files.exists(p), "corpus file " + p + " is absent; skipping (see ../shared/corpus/SOURCES.md)");
        return p;
    }

    static Path testdata(String relative) {
        return Path.of("..", "testdata", "umdh").resolve(relative);
    }
}
