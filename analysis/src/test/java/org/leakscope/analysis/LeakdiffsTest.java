package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.diff.KeyKind;
import org.leakscope.diff.SortOrder;
import org.leakscope.model.Limits;

/** leakdiff's work as one call, on testdata/umdh (the figures leakdiff's golden outputs show). */
class LeakdiffsTest {
    private static final Path UMDH = Path.of("..", "testdata", "umdh");

    private static LeakdiffReport analyse(Settings settings, LeakdiffRequest request, String... names)
            throws Exception {
        List<Path> paths = new ArrayList<>();
        List<InputKind> kinds = new ArrayList<>();
        for (String n : names) {
            paths.add(UMDH.resolve(n));
            kinds.add(Inputs.detect(UMDH.resolve(n), settings.umdh()));
        }
        List<SnapshotInput> inputs = new ArrayList<>();
        for (SnapshotRead r : SnapshotReads.read("test", paths, kinds, Collections.nCopies(names.length, settings),
                Collections.nCopies(names.length, null), ReadProgress.NONE)) {
            inputs.add(assertInstanceOf(SnapshotRead.Read.class, r).input());
        }
        return Leakdiffs.analyse(inputs, settings, request);
    }

    @Test
    void twoSnapshotsCompareByModuleOffsetWithAllocatorsFolded() throws Exception {
        LeakdiffReport.Compare c = assertInstanceOf(LeakdiffReport.Compare.class, analyse(Settings.defaults(),
                LeakdiffRequest.of(false, null, null, 0, 0), "leaky_1.log", "leaky_2.log"));
        assertEquals(KeyKind.MODULE_OFFSET, c.key());
        assertTrue(c.folded());
        assertEquals(3, c.comparison().changes().size());
        assertEquals(2, c.comparison().unchanged());
        assertEquals(3, c.shown().size());
        assertEquals(0xc0, c.shown().get(0).bytesDelta());
        assertEquals("18D0A0D0", c.shown().get(0).traceId());
    }

    @Test
    void aTrendWithSymbolsKeysByFrames() throws Exception {
        Settings symbols = new Settings(List.of(UMDH.resolve("symbols")), List.of(), false, null, false, null, null,
                null, Limits.DEFAULT);
        LeakdiffReport.Trend t = assertInstanceOf(LeakdiffReport.Trend.class, analyse(symbols,
                LeakdiffRequest.of(true, null, null, 0, 0), "leaky_1.log", "leaky_2.log",
                "leaky_3_restarted_crlf.log"));
        assertEquals(KeyKind.FRAMES, t.key());
        assertEquals(5, t.trend().stacks().size());
        assertEquals("2B11C0DE", t.shown().get(0).traceId());
        assertEquals(320, t.shown().get(0).bytesDelta());
    }

    @Test
    void aCompareOutputIsReRead() throws Exception {
        LeakdiffReport.Rerender r = assertInstanceOf(LeakdiffReport.Rerender.class, analyse(Settings.defaults(),
                LeakdiffRequest.of(false, "trace-id", "count", 0, 0), "compare_hex.txt"));
        assertEquals(3, r.log().entries().size());
        assertEquals(KeyKind.TRACE_ID, r.key());
        assertEquals(false, r.folded(), "trace ids are never folded");
    }

    @Test
    void namesPeopleTypeAreCheckedSortFirst() {
        assertEquals(SortOrder.COUNT, LeakdiffRequest.of(false, null, "count", 0, 0).sort());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LeakdiffRequest.of(false, "nope", "nope", 0, 0));
        assertTrue(e.getMessage().contains("sort"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LeakdiffRequest.of(false, "nope", null, 0, 0))
                .getMessage().startsWith("unknown key 'nope'"));
    }
}
