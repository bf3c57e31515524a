package org.leakscope.umdh;

import java.nio.file.Path;
import java.util.List;
import org.leakscope.testing.Required;

/**
 * The corpus beside the checkout (skipped with a message when absent, failed under CI: {@link Required}) and
 * the repository's testdata/.
 */
final class TestFiles {
    /** Every corpus file this module's tests read; {@code CorpusFilesTest} checks they are all there. */
    static final List<String> CORPUS_READ = List.of("umdh/pyumdh_snapshot_v1_win7wow64.log");

    private TestFiles() {
    }

    static Path corpus(String relative) {
        return Required.corpusFile(relative);
    }

    static Path testdata(String relative) {
        return Path.of("..", "testdata", "umdh").resolve(relative);
    }
}
