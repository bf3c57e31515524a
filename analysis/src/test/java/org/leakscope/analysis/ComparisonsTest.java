package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.Comparison;
import org.leakscope.diff.KeyKind;
import org.leakscope.diff.SortOrder;
import org.leakscope.diff.StackChange;
import org.leakscope.diff.StackTrend;
import org.leakscope.diff.TrendReport;
import org.leakscope.model.Snapshot;
import org.leakscope.symbols.SymbolStore;

/** leakdiff's comparison and trend on the leaky UMDH logs in testdata (the figures its golden files show). */
class ComparisonsTest {
    static List<SnapshotInput> umdh(String... names) throws IOException {
        List<SnapshotInput> out = new ArrayList<>();
        for (String n : names) {
            Path p = InputDetectionTest.testdata("umdh/" + n);
            try (Input in = Inputs.open(p, InputOptions.defaults())) {
                out.add(SnapshotInput.umdh(p.toString(), ((Input.UmdhSnapshotFile) in).log()));
            }
        }
        return out;
    }

    static List<Snapshot> named(List<SnapshotInput> inputs, boolean[] symbolized) {
        try (SymbolStore symbols = new SymbolStore(List.of(InputDetectionTest.testdata("umdh/symbols")))) {
            return Comparisons.symbolize(inputs, symbols, true, symbolized);
        }
    }

    @Test
    void twoSnapshotsCompareByFramesOnceSymbolsNameThem() throws IOException {
        boolean[] symbolized = {false};
        List<Snapshot> snaps = named(umdh("leaky_1.log", "leaky_2.log"), symbolized);
        assertTrue(symbolized[0]);
        KeyKind key = Comparisons.defaultKey(snaps, symbolized[0]);
        assertEquals(KeyKind.FRAMES, key);
        Comparison c = Comparisons.compareLastTwo(Comparisons.series(snaps, key, AllocatorFolding.defaults()), 2);
        assertEquals(3, c.changes().size());
        assertEquals(2, c.unchanged());
        StackChange top = c.select(SortOrder.BYTES, 0, 0).get(0);
        assertEquals("18D0A0D0", top.traceId());
        assertEquals(128, top.oldBytes());
        assertEquals(320, top.newBytes());
        assertEquals(5, top.newCount());
        Growth g = Growth.worst(c);
        assertFalse(g.ofTotal());
        assertEquals(192, g.bytes());
        assertEquals("18D0A0D0", g.traceId());
    }

    @Test
    void withoutSymbolsTheKeyIsModuleOffset() throws IOException {
        List<SnapshotInput> inputs = umdh("leaky_1.log", "leaky_2.log");
        boolean[] symbolized = {false};
        List<Snapshot> snaps;
        try (SymbolStore none = new SymbolStore(List.of())) {
            snaps = Comparisons.symbolize(inputs, none, false, symbolized);
        }
        assertFalse(symbolized[0]);
        assertEquals(KeyKind.MODULE_OFFSET, Comparisons.defaultKey(snaps, false));
        assertEquals(4, Comparisons.pointerSize(snaps));
    }

    @Test
    void aTrendAcrossARestartFindsTheOneSustainedGrower() throws IOException {
        boolean[] symbolized = {false};
        List<Snapshot> snaps = named(umdh("leaky_1.log", "leaky_2.log", "leaky_3_restarted_crlf.log"), symbolized);
        TrendReport r = Comparisons.trend(Comparisons.series(snaps, KeyKind.FRAMES, AllocatorFolding.defaults()), snaps);
        assertEquals(5, r.stacks().size());
        assertEquals(List.of(784L, 752L, 880L), List.of(r.totalBytes()[0], r.totalBytes()[1], r.totalBytes()[2]));
        List<StackTrend> shown = Comparisons.selectTrend(r, SortOrder.BYTES, 0, 0);
        assertEquals("2B11C0DE", shown.get(0).traceId());
        assertTrue(shown.get(0).sustained());
        assertEquals(320, shown.get(0).bytesDelta());
        assertEquals(1, r.stacks().stream().filter(StackTrend::sustained).count());
        assertEquals(2, Comparisons.selectTrend(r, SortOrder.BYTES, 0, 2).size());
        assertEquals(new Growth(320, false, "2B11C0DE"), Growth.worst(r));
    }

    @Test
    void aCompareOutputIsReReadWithItsOwnTotals() throws IOException {
        Path p = InputDetectionTest.testdata("umdh/compare_hex.txt");
        try (Input in = Inputs.open(p, InputOptions.defaults())) {
            var log = ((Input.UmdhCompareFile) in).log();
            Comparison c = Comparisons.fromCompareLog(log, KeyKind.TRACE_ID);
            assertEquals(3, c.changes().size());
            assertEquals(-32, c.bytesDelta(), "the 'Total decrease == 32 requested' the golden re-render shows");
            assertEquals(c.changes().stream().mapToLong(StackChange::newBytes).sum(), c.newBytes());
        }
    }
}
