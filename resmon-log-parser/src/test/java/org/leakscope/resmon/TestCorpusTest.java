package org.leakscope.resmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The corpus this module's tests read is all there: under CI a missing file fails here as well as where used. */
class TestCorpusTest {
    @Test
    void everyExpectedCorpusFileIsPresent() {
        long present = TestCorpus.EXPECTED.stream().filter(f -> Files.isRegularFile(TestCorpus.root().resolve(f)))
                .count();
        if (!TestCorpus.inCi()) {
            assumeTrue(Files.isDirectory(TestCorpus.root()), "no corpus at " + TestCorpus.root() + "; skipping");
        }
        assertEquals(2, TestCorpus.EXPECTED.size(), "the files ResmonLogReaderTest and DebugViewReaderTest read");
        assertEquals(TestCorpus.EXPECTED.size(), present, "corpus files present under " + TestCorpus.root()
                + " of " + TestCorpus.EXPECTED);
    }
}
