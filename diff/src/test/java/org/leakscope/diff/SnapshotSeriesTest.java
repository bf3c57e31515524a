package org.leakscope.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.leakscope.model.Backtrace;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Frame;
import org.leakscope.model.ModuleMap;
import org.leakscope.model.ResourceKind;
import org.leakscope.model.Snapshot;

class SnapshotSeriesTest {
    private static Frame sym(String module, String fn, long off) {
        return new Frame(0, module, null, fn, off, null, null);
    }

    private static Frame raw(String module, long base, long offset) {
        return new Frame(base + offset, module, offset, null, null, null, null);
    }

    private static BacktraceAggregate agg(String id, long bytes, long count, Frame... frames) {
        return new BacktraceAggregate(new Backtrace(id, List.of(frames)), ResourceKind.HEAP_BLOCK, bytes, count, 8 * count);
    }

    private static Snapshot snap(Instant t, BacktraceAggregate... a) {
        return new Snapshot("s", 1L, "app.exe", t, ModuleMap.empty(), List.of(), List.of(a), List.of());
    }

    /**
     * A frame is the same module+offset whether or not a symbol store named its function: a symbolized and a raw
     * snapshot match under module-offset keys, and an allocator module folds either way (unnamed frames take a
     * numeric path, named ones a cached one: they must agree). Module names match ignoring case and extension.
     */
    @Test
    void moduleOffsetMatchesNamedAndUnnamedFramesAlike() {
        Frame heapRaw = raw("ntdll.dll", 0x77000000L, 0x3EC66);
        Frame heapNamed = new Frame(0x77000000L + 0x3EC66, "NTDLL", 0x3EC66L, "RtlAllocateHeap", 0x3EL, null, null);
        Frame siteRaw = raw("app.exe", 0x400000, 0x1234);
        Frame siteNamed = new Frame(0x401234, "App.EXE", 0x1234L, "Cache::Insert", 0x34L, "cache.cpp", 42);
        Snapshot raw = snap(null, agg("A", 100, 1, heapRaw, siteRaw));
        Snapshot named = snap(null, agg("B", 300, 3, heapNamed, siteNamed));
        Comparison c = compare(KeyKind.MODULE_OFFSET, AllocatorFolding.defaults(), raw, named);
        assertEquals(1, c.changes().size());
        assertEquals(100, c.changes().get(0).oldBytes());
        assertEquals(300, c.changes().get(0).newBytes());
        assertEquals(1, c.changes().get(0).foldedFrames());
        Comparison back = compare(KeyKind.MODULE_OFFSET, AllocatorFolding.defaults(), named, raw);
        assertEquals(300, back.changes().get(0).oldBytes());
    }

    @Test
    void allocatorFramesFoldSoStacksThatDifferOnlyInsideTheAllocatorMerge() {
        Frame fast = sym("ntdll", "RtlpAllocateHeapInternal", 0x47);
        Frame slow = sym("ntdll", "RtlpAllocateHeapSlowly", 0x12);
        Frame malloc = sym("ucrtbase", "_malloc_base", 0x36);
        Frame site = sym("app", "Cache::Insert", 0x34);
        Frame main = sym("app", "main", 0x42);
        Snapshot before = snap(null, agg("A", 100, 1, fast, malloc, site, main));
        Snapshot after = snap(null, agg("A", 100, 1, fast, malloc, site, main), agg("B", 300, 3, slow, malloc, site, main));

        Comparison folded = compare(KeyKind.FRAMES, AllocatorFolding.defaults(), before, after);
        assertEquals(1, folded.changes().size());
        StackChange c = folded.changes().get(0);
        assertEquals(100, c.oldBytes());
        assertEquals(400, c.newBytes());
        assertEquals(4, c.newCount());
        assertEquals(2, c.foldedFrames());
        assertEquals(2, c.mergedTraces());

        Comparison unfolded = compare(KeyKind.FRAMES, AllocatorFolding.none(), before, after);
        assertEquals(1, unfolded.changes().size(), "A is unchanged, B is new");
        assertEquals(300, unfolded.changes().get(0).bytesDelta());
        assertEquals(1, unfolded.unchanged());
    }

    @Test
    void keysAcrossARestart() {
        // same code, other trace ids, module rebased: frames carry other addresses but the same module offsets
        Snapshot run1 = snap(null, agg("11", 100, 1, raw("ntdll.dll", 0x77000000L, 0x3ec66),
                raw("app.exe", 0x400000, 0x1234), raw("app.exe", 0x400000, 0x14c2)));
        Snapshot run2 = snap(null, agg("99", 500, 5, raw("ntdll.dll", 0x77100000L, 0x3ec66),
                raw("app.exe", 0x1d0000, 0x1234), raw("app.exe", 0x1d0000, 0x14c2)));
        for (KeyKind k : List.of(KeyKind.MODULE_OFFSET, KeyKind.FRAMES)) {
            Comparison c = compare(k, AllocatorFolding.defaults(), run1, run2);
            assertEquals(1, c.changes().size(), k.cliName());
            assertEquals(400, c.changes().get(0).bytesDelta());
            assertEquals("99", c.changes().get(0).traceId(), "the newest snapshot's id represents the stack");
        }
        Comparison byId = compare(KeyKind.TRACE_ID, AllocatorFolding.defaults(), run1, run2);
        assertEquals(2, byId.changes().size(), "trace ids do not survive a restart");
        assertEquals(400, byId.bytesDelta());
    }

    @Test
    void moduleNamesMatchWithoutCaseOrExtension() {
        Snapshot a = snap(null, agg("1", 10, 1, sym("NTDLL.DLL", "RtlAllocateHeap", 0x3e), sym("App.exe", "f", 1)));
        Snapshot b = snap(null, agg("2", 30, 3, sym("ntdll", "RtlAllocateHeap", 0x3e), sym("app", "f", 1)));
        assertEquals(1, compare(KeyKind.FRAMES, AllocatorFolding.defaults(), a, b).changes().size());
    }

    @Test
    void selectRanksGrowthFirstThenShrinkageAndFilters() {
        Frame x = sym("app", "x", 0);
        Frame y = sym("app", "y", 0);
        Frame z = sym("app", "z", 0);
        Snapshot a = snap(null, agg("x", 100, 1, x), agg("y", 500, 5, y), agg("z", 0, 0, z));
        Snapshot b = snap(null, agg("x", 1100, 2, x), agg("y", 100, 1, y), agg("z", 50, 9, z));
        Comparison c = compare(KeyKind.FRAMES, AllocatorFolding.defaults(), a, b);
        assertEquals(List.of("x", "z", "y"), ids(c.select(SortOrder.BYTES, 0, 0)));
        assertEquals(List.of("z", "x", "y"), ids(c.select(SortOrder.COUNT, 0, 0)));
        assertEquals(List.of("x", "y"), ids(c.select(SortOrder.BYTES, 100, 0)));
        assertEquals(List.of("x"), ids(c.select(SortOrder.BYTES, 0, 1)));
        assertEquals(1250 - 600, c.bytesDelta());
    }

    @Test
    void trendRanksSustainedGrowthAboveOneNoisyStep() {
        Frame leak = sym("app", "Leak", 0);
        Frame spike = sym("app", "Spike", 0);
        Frame flat = sym("app", "Flat", 0);
        Frame drop = sym("app", "Drop", 0);
        long[] leakBytes = {1000, 2000, 3100, 3900, 5000};       // +1000 per hour, every step up
        long[] spikeBytes = {1000, 1000, 50000, 1000, 9000};    // bigger net growth, but one noisy step
        long[] dropBytes = {9000, 7000, 5000, 3000, 1000};
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<Snapshot> snaps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            snaps.add(snap(t0.plusSeconds(3600L * i), agg("L", leakBytes[i], i + 1, leak),
                    agg("S", spikeBytes[i], 1, spike), agg("F", 700, 7, flat), agg("D", dropBytes[i], 5 - i, drop)));
        }
        SnapshotSeries s = new SnapshotSeries(5, KeyKind.FRAMES, AllocatorFolding.defaults());
        for (int i = 0; i < 5; i++) {
            s.add(i, snaps.get(i));
        }
        TrendReport r = s.trend(snaps.stream().map(Snapshot::time).toList());
        assertTrue(r.perHour());
        assertEquals(4.0, r.spanHours());
        assertEquals(3, r.stacks().size(), "the flat stack is not reported");
        StackTrend first = r.stacks().get(0);
        assertEquals("L", first.traceId());
        assertTrue(first.sustained());
        assertEquals(990.0, first.bytesPerUnit(), 1e-9); // least squares over 1000,2000,3100,3900,5000
        assertEquals(4, first.risingSteps());
        assertEquals(4000, first.bytesDelta());
        StackTrend spiky = r.stacks().get(1);
        assertEquals("S", spiky.traceId());
        assertFalse(spiky.sustained());
        assertEquals("D", r.stacks().get(2).traceId());
        assertFalse(r.stacks().get(2).sustained());
    }

    @Test
    void trendWithoutTimesIsPerSnapshot() {
        Frame f = sym("app", "f", 0);
        SnapshotSeries s = new SnapshotSeries(3, KeyKind.FRAMES, AllocatorFolding.defaults());
        s.add(0, snap(null, agg("1", 10, 1, f)));
        s.add(1, snap(null, agg("1", 20, 2, f)));
        s.add(2, snap(null, agg("1", 30, 3, f)));
        TrendReport r = s.trend(java.util.Arrays.asList(null, null, null));
        assertFalse(r.perHour());
        assertEquals(10.0, r.stacks().get(0).bytesPerUnit(), 1e-9);
    }

    @Test
    void globMatching() {
        assertTrue(AllocatorFolding.glob("rtl*heap*", "rtlpallocateheapinternal"));
        assertTrue(AllocatorFolding.glob("operator new*", "operator new[]"));
        assertFalse(AllocatorFolding.glob("malloc", "malloc_usable_size"));
        assertTrue(AllocatorFolding.glob("*", ""));
    }

    private static List<String> ids(List<StackChange> l) {
        return l.stream().map(StackChange::traceId).toList();
    }

    private static Comparison compare(KeyKind k, AllocatorFolding f, Snapshot a, Snapshot b) {
        SnapshotSeries s = new SnapshotSeries(2, k, f);
        s.add(0, a);
        s.add(1, b);
        return s.compare(0, 1);
    }
}
