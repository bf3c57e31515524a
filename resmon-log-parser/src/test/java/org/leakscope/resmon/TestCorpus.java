package org.leakscope.resmon;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The third-party corpus files this module's tests read (../shared/corpus, see its SOURCES.md). A missing file
 * skips the test with a message on a developer's machine, and fails it under CI (environment variable
 * {@code CI} set, as CI services do), where a skip would pass a test that never ran.
 */
final class TestCorpus {
    /** Every corpus file these tests use: {@link #file} refuses others, so this list is the count to check. */
    static final List<String> EXPECTED = List.of(
            "dbgview/lithium_dbgview_cp1251.log",
            "dbgview/resmon_original_usermode_test_wine.log");

    private TestCorpus() {
    }

    static Path root() {
        return Path.of(System.getProperty("leakscope.corpus", "../../shared/corpus"));
    }

    static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false") && !ci.equals("0");
    }

    static Path file(String relative) {
        if (!EXPECTED.contains(relative)) {
            throw new IllegalArgumentException(relative + " is not in TestCorpus.EXPECTED: add it there");
        }
        Path p = root().resolve(relative);
        if (!Files.isRegularFile(p)) {
            String why = "corpus file " + p + " is absent (see ../shared/corpus/SOURCES.md)";
            if (inCi()) {
                fail(why + "; CI is set, so this is a failure, not a skip");
            }
            assumeTrue(false, why + "; skipping");
        }
        return p;
    }
}
