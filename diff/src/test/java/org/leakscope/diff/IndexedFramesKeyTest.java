package org.leakscope.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Backtrace;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Frame;
import org.leakscope.model.IndexedFrames;
import org.leakscope.model.ModuleMap;
import org.leakscope.model.ResourceKind;
import org.leakscope.model.Snapshot;

/**
 * Stacks a reader hands out as frame numbers (IndexedFrames) are keyed through a per-number cache; stacks as
 * plain lists through the frames themselves. Both must give the same keys, folding included.
 */
class IndexedFramesKeyTest {
    private static Frame raw(String module, long base, long offset) {
        return new Frame(base + offset, module, offset, null, null, null, null);
    }

    @Test
    void numberedAndPlainStacksOfTheSameFramesMatch() {
        Frame[] table = {raw("ntdll.dll", 0x77000000L, 0x3EC66), raw("app.exe", 0x400000, 0x1234),
            raw("app.exe", 0x400000, 0x2000), raw("msvcr90.dll", 0x72E50000L, 0x10), raw("app.exe", 0x400000, 0x3000)};
        int[] ids = {0, 3, 1, 2, /* */ 1, 4, /* */ 0, 0, 4, 2, 1};
        int[][] stacks = {{0, 4}, {4, 2}, {6, 5}};
        List<BacktraceAggregate> numbered = new ArrayList<>();
        List<BacktraceAggregate> plain = new ArrayList<>();
        for (int k = 0; k < stacks.length; k++) {
            IndexedFrames frames = new IndexedFrames(table, ids, stacks[k][0], stacks[k][1]);
            numbered.add(agg("T" + k, 16L << k, frames));
            plain.add(agg("T" + k, 16L << k, List.copyOf(frames)));
        }
        for (KeyKind kind : List.of(KeyKind.MODULE_OFFSET, KeyKind.FRAMES)) {
            for (AllocatorFolding folding : List.of(AllocatorFolding.defaults(), AllocatorFolding.none())) {
                SnapshotSeries s = new SnapshotSeries(2, kind, folding);
                s.add(0, snap(numbered));
                s.add(1, snap(plain));
                Comparison c = s.compare(0, 1);
                assertEquals(List.of(), c.changes(), kind + " " + folding);
                assertEquals(3, c.unchanged(), kind + " " + folding);
            }
        }
    }

    private static BacktraceAggregate agg(String id, long bytes, List<Frame> frames) {
        return new BacktraceAggregate(new Backtrace(id, frames), ResourceKind.HEAP_BLOCK, bytes, 1, 8);
    }

    private static Snapshot snap(List<BacktraceAggregate> a) {
        return new Snapshot("s", 1L, "app.exe", null, ModuleMap.empty(), List.of(), a, List.of());
    }
}
