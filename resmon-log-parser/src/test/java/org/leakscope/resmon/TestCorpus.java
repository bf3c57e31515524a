package org.leakscope.resmon;

import java.nio.file.Path;
import java.util.List;
import org.leakscope.testing.Required;

/**
 * The third-party corpus files this module's tests read (../shared/corpus, see its SOURCES.md), looked up through
 * {@link Required}: skipped with a message on a developer's machine, a failure under CI.
 */
final class TestCorpus {
    /** Every corpus file these tests use: {@link #file} refuses others, so this list is the count to check. */
    static final List<String> EXPECTED = List.of(
            "dbgview/lithium_dbgview_cp1251.log",
            "dbgview/resmon_original_usermode_test_wine.log");

    private TestCorpus() {
    }

    static Path file(String relative) {
        if (!EXPECTED.contains(relative)) {
            throw new IllegalArgumentException(relative + " is not in TestCorpus.EXPECTED: add it there");
        }
        return Required.corpusFile(relative);
    }
}
