package org.leakscope.minidump;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The third-party corpus beside the checkout (../shared/corpus). Tests that need it skip with a message
 * when it is absent, e.g. on a user's machine.
 */
final class Corpus {
    private Corpus() {
    }

    static Path file(String relative) {
        String root = System.getProperty("leakscope.corpus", "../../shared/corpus");
        Path p = Path.of(root).resolve(relative);
        assumeTrue(Files.exists(p), "corpus file " + p + " is absent; skipping (see ../shared/corpus/SOURCES.md)");
        return p;
    }
}
