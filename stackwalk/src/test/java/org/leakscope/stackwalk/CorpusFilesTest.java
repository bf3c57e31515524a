package org.leakscope.stackwalk;

import org.junit.jupiter.api.Test;
import org.leakscope.testing.Required;

/** The corpus holds every file this module's tests read: a renamed or lost one is a failure, not a skip. */
class CorpusFilesTest {
    @Test
    void everyFileTheTestsReadIsThere() {
        Required.corpusHolds(Corpus.READ);
    }
}
