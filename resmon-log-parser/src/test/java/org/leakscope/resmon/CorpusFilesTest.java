package org.leakscope.resmon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.leakscope.testing.Required;

/** The corpus holds every file this module's tests read: a renamed or lost one is a failure, not a skip. */
class CorpusFilesTest {
    @Test
    void everyFileTheTestsReadIsThere() {
        assertEquals(2, TestCorpus.EXPECTED.size(), "the files ResmonLogReaderTest and DebugViewReaderTest read");
        Required.corpusHolds(TestCorpus.EXPECTED);
    }
}
