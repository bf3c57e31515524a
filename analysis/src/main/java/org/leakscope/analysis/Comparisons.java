package org.leakscope.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.leakscope.diff.AddressShift;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.Comparison;
import org.leakscope.diff.KeyKind;
import org.leakscope.diff.SnapshotSeries;
import org.leakscope.diff.SortOrder;
import org.leakscope.diff.StackChange;
import org.leakscope.diff.StackTrend;
import org.leakscope.diff.TrendReport;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Frame;
import org.leakscope.model.Hex;
import org.leakscope.model.Module;
import org.leakscope.model.Snapshot;
import org.leakscope.symbols.SymbolStore;
import org.leakscope.umdh.CompareEntry;
import org.leakscope.umdh.UmdhCompareLog;

/**
 * The comparison and trend operations ({@code leakdiff}): snapshots named and lined up, keyed, folded, then
 * compared pairwise or followed across a series. The report models are {@code diff}'s {@link Comparison} and
 * {@link TrendReport}.
 */
public final class Comparisons {
    private Comparisons() {
    }

    /**
     * The snapshots to compare, named where the symbol service knows their modules; {@code resolvedAny[0]} is
     * set when any frame has a function name. A compare output contributes none.
     *
     * @param storeGiven whether the user gave symbol roots (UMDH frames are looked up only then, or when a module
     *                   is an image on this machine)
     */
    public static List<Snapshot> symbolize(List<SnapshotInput> inputs, SymbolStore symbols, boolean storeGiven,
            boolean[] resolvedAny) {
        List<Snapshot> snapshots = new ArrayList<>();
        for (SnapshotInput in : inputs) {
            if (in.umdh() != null) {
                resolvedAny[0] |= in.umdh().symbolic();
                // ELF and PE modules on this machine (libresmon's and resmon.dll's snapshots) name their
                // functions without a store
                boolean local = in.umdh().snapshot().modules().modules().stream().anyMatch(SymbolStore::hasLocalImage);
                snapshots.add(!storeGiven && !local ? in.umdh().snapshot()
                        : SnapshotSymbols.symbolize(in.umdh().snapshot(), symbols, resolvedAny));
            } else if (in.kind() == InputKind.TABLE_IMAGE || in.kind() == InputKind.MINIDUMP || in.log() != null) {
                // frames are module+offset through a module list (a table's, a tracker log's module lines):
                // the modules' files, of the recorded build, name the functions
                snapshots.add(SnapshotSymbols.symbolize(in.snapshot(), symbols, resolvedAny));
            }
        }
        return snapshots;
    }

    /**
     * Runs of one program load at other bases (ASLR): every later snapshot is moved onto the first's addresses
     * when one shift lines their call sites up. Replaces the moved entries of both lists; returns one note per
     * move.
     */
    public static List<String> alignRuns(List<SnapshotInput> inputs, List<Snapshot> snapshots) {
        List<String> notes = new ArrayList<>();
        for (int i = 1; i < snapshots.size(); i++) {
            AddressShift.Result r = AddressShift.find(snapshots.get(0), snapshots.get(i));
            if (r != null && r.shift() != 0) {
                snapshots.set(i, AddressShift.apply(snapshots.get(i), r.shift()));
                inputs.set(i, inputs.get(i).withSnapshot(snapshots.get(i)));
                notes.add(runName(inputs.get(i)) + ": call sites moved by " + (r.shift() < 0 ? "+" : "-")
                        + Hex.of(Math.abs(r.shift())) + " onto " + runName(inputs.get(0)) + "'s addresses (the image"
                        + " loaded at another base: ASLR); " + r.matched() + " of " + r.sites()
                        + " call sites line up; addresses shown are the first input's");
            }
        }
        return notes;
    }

    private static String runName(SnapshotInput in) {
        return in.run() == null ? in.path() : in.path() + " run " + in.run().index();
    }

    /** frames when any frame has a function name, module-offset when modules are known, else trace-id. */
    public static KeyKind defaultKey(List<Snapshot> snapshots, boolean symbolized) {
        boolean modules = !snapshots.isEmpty();
        for (Snapshot s : snapshots) {
            modules &= !s.modules().modules().isEmpty();
        }
        return symbolized ? KeyKind.FRAMES : modules ? KeyKind.MODULE_OFFSET : KeyKind.TRACE_ID;
    }

    /** The snapshots keyed and folded, ready to compare or follow. */
    public static SnapshotSeries series(List<Snapshot> snapshots, KeyKind key, AllocatorFolding folding) {
        SnapshotSeries series = new SnapshotSeries(snapshots.size(), key, folding);
        for (int i = 0; i < snapshots.size(); i++) {
            series.add(i, snapshots.get(i));
        }
        return series;
    }

    /** The last two snapshots compared (old, new). */
    public static Comparison compareLastTwo(SnapshotSeries series, int count) {
        return series.compare(count - 2, count - 1);
    }

    /** Growth across all the snapshots, over their capture times. */
    public static TrendReport trend(SnapshotSeries series, List<Snapshot> snapshots) {
        List<Instant> times = snapshots.stream().map(Snapshot::time).toList();
        return series.trend(new ArrayList<>(times));
    }

    /** An existing compare output as a Comparison; its own totals when it has them. */
    public static Comparison fromCompareLog(UmdhCompareLog log, KeyKind key) {
        List<StackChange> changes = new ArrayList<>();
        long ob = 0;
        long nb = 0;
        long oc = 0;
        long nc = 0;
        for (CompareEntry e : log.entries()) {
            long o = e.oldCount() == null ? 0 : e.oldCount();
            long n = e.newCount() == null ? 0 : e.newCount();
            changes.add(new StackChange(e.backtrace(), 0, e.traceId(), e.oldBytes(), e.newBytes(), o, n, 0, 0, 1));
            ob += e.oldBytes();
            nb += e.newBytes();
            oc += o;
            nc += n;
        }
        long overhead = log.totalOverhead() == null ? 0 : log.totalOverhead();
        return new Comparison(key, changes, ob, nb, oc, nc, 0, overhead, 0);
    }

    /**
     * The trend's stacks to show: at least {@code minDelta} of change, sustained growers first by count when
     * sorted by count, at most {@code top} (50 when 0).
     */
    public static List<StackTrend> selectTrend(TrendReport r, SortOrder sort, long minDelta, int top) {
        List<StackTrend> out = new ArrayList<>();
        for (StackTrend s : r.stacks()) {
            long d = sort == SortOrder.COUNT ? s.countDelta() : s.bytesDelta();
            if (Math.abs(d) >= minDelta) {
                out.add(s);
            }
        }
        if (sort == SortOrder.COUNT) {
            out.sort(Comparator.comparing((StackTrend t) -> !t.sustained())
                    .thenComparing(Comparator.comparingDouble(StackTrend::countPerUnit).reversed()));
        }
        int limit = top > 0 ? top : 50;
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** {bytes, allocations} over a snapshot's stacks. */
    public static long[] totals(Snapshot s) {
        long[] sum = new long[2];
        for (BacktraceAggregate a : s.aggregates()) {
            sum[0] += a.bytes();
            sum[1] += a.count();
        }
        return sum;
    }

    /** 8 when any module (or, without modules, any bare top frame) lies above 4 GB, else 4. */
    public static int pointerSize(List<Snapshot> snaps) {
        for (Snapshot s : snaps) {
            if (s == null) {
                continue;
            }
            for (Module m : s.modules().modules()) {
                if (((m.base() + m.size()) >>> 32) != 0) {
                    return 8;
                }
            }
            for (BacktraceAggregate a : s.modules().modules().isEmpty() ? s.aggregates() : List.<BacktraceAggregate>of()) {
                Frame top = a.backtrace().top();
                if (top != null && (top.address() >>> 32) != 0) {
                    return 8; // bare addresses (resmon reports): their size tells
                }
            }
        }
        return 4;
    }
}
