package org.leakscope.resmon;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.testing.Required;

/** The corpus holds every file this module's tests read: a renamed or lost one is a failure, not a skip. */
class CorpusFilesTest {
    /** Read by DebugViewReaderTest and ResmonLogReaderTest. */
    private static final List<String> READ = List.of("dbgview/lithium_dbgview_cp1251.log");

    @Test
    void everyFileTheTestsReadIsThere() {
        Required.corpusHolds(READ);
    }
}
