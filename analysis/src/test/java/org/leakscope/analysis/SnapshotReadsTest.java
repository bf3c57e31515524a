package org.leakscope.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A comparison's inputs read by content, in the order given, each with its own settings and run number. */
class SnapshotReadsTest {
    private static List<SnapshotRead> read(List<Integer> runs, Settings settings, Path... paths) throws Exception {
        List<InputKind> kinds = new ArrayList<>();
        for (Path p : paths) {
            kinds.add(Inputs.detect(p, settings.umdh()));
        }
        List<Settings> each = Arrays.stream(paths).map(p -> settings).toList();
        return SnapshotReads.read("test", List.of(paths), kinds, each, runs, ReadProgress.NONE);
    }

    @Test
    void umdhSnapshotsInOrder() throws Exception {
        Path old = Path.of("..", "testdata", "umdh", "leaky_1.log");
        Path neu = Path.of("..", "testdata", "umdh", "leaky_2.log");
        List<SnapshotRead> r = read(Arrays.asList(null, null), Settings.defaults(), old, neu);
        SnapshotInput first = assertInstanceOf(SnapshotRead.Read.class, r.get(0)).input();
        SnapshotInput second = assertInstanceOf(SnapshotRead.Read.class, r.get(1)).input();
        assertEquals(InputKind.UMDH_SNAPSHOT, first.kind());
        assertEquals(old.toString(), first.path());
        assertEquals(neu.toString(), second.path());
    }

    @Test
    void aLogRunByNumberAndOneThatIsNotThere() throws Exception {
        Path leaking = LogFiles.testdata("resmon_soak_leaking.log");
        Path flat = LogFiles.testdata("resmon_soak_flat.log");
        List<SnapshotRead> r = read(List.of(1, 9), Settings.defaults(), leaking, flat);
        SnapshotInput one = assertInstanceOf(SnapshotRead.Read.class, r.get(0)).input();
        assertEquals(1, one.run().index());
        SnapshotRead.NoRunChosen none = assertInstanceOf(SnapshotRead.NoRunChosen.class, r.get(1));
        assertEquals(flat.toString(), none.path());
        assertEquals(9, assertInstanceOf(RunSelection.NoSuchRun.class, none.selection()).runIndex());
        assertNull(none.filterMiss());
    }

    @Test
    void aProcessFilterMatchingNoRun() throws Exception {
        Path flat = LogFiles.testdata("resmon_soak_flat.log");
        List<SnapshotRead> r = read(Arrays.asList((Integer) null), Settings.defaults().withProcess(77L, null), flat);
        SnapshotRead.NoRunChosen none = assertInstanceOf(SnapshotRead.NoRunChosen.class, r.get(0));
        assertInstanceOf(RunSelection.FilterMatchedNothing.class, none.selection());
        assertEquals(77L, none.filterMiss().processId());
        FilterMiss.LogRuns runs = none.filterMiss().logs().get(0);
        assertEquals(flat.toString(), runs.source());
        assertEquals(3, runs.leftOutCount()); // the runs there are, for the usage error to list
        assertEquals(List.of(1, 2, 3), runs.leftOut().stream().map(o -> o.index()).toList());
    }
}
