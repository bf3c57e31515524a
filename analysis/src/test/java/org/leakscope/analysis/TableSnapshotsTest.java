package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.leakscope.model.InputFormatException;
import org.leakscope.model.Limits;
import org.leakscope.model.Snapshot;

/** Tracking tables as snapshots to compare (what leakdiff reads from an image or a dump). */
class TableSnapshotsTest {
    @Test
    void aTableImageIsASnapshotOfItsLiveResourcesByStack() throws IOException {
        TableSnapshots.TableSnapshot t = TableSnapshots.fromImage(ResmonTableReportsTest.SAMPLE, Limits.DEFAULT);
        assertNull(t.note());
        Snapshot s = t.snapshot();
        assertEquals(4242L, s.processId());
        assertEquals("sample_leaker", s.processName());
        assertEquals(6, s.aggregates().size());
        assertEquals(1_053_272L, s.aggregates().stream().mapToLong(a -> a.bytes()).sum());
        assertEquals("sample_leaker+0xf4ab", s.aggregates().stream().filter(a -> a.bytes() == 1_048_576L).findFirst()
                .orElseThrow().backtrace().frames().get(0).describe());
    }

    @Test
    void aDumpWithoutATableIsRefusedNamingTheVerbAndDumpscan() {
        Path p = InputDetectionTest.testdata("minidump/sample.dmp");
        InputFormatException e = assertThrows(InputFormatException.class,
                () -> TableSnapshots.fromDump(p, Limits.DEFAULT, "leakdiff", ReadProgress.NONE));
        assertEquals(p + ": at byte offset 0 (0x0): expected a UMDH snapshot log or compare output, a table image, or a minidump"
                + " holding a resmon table (leakdiff does not read other minidumps: use dumpscan), found a minidump"
                + " without a resmon table", e.getMessage());
    }
}
