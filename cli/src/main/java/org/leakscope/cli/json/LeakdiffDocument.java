package org.leakscope.cli.json;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.analysis.Comparisons;
import org.leakscope.analysis.FrameJson;
import org.leakscope.analysis.InputKind;
import org.leakscope.analysis.LeakdiffReport;
import org.leakscope.analysis.LeakdiffRequest;
import org.leakscope.analysis.SnapshotInput;
import org.leakscope.cli.text.UmdhCompareRenderer;
import org.leakscope.diff.Comparison;
import org.leakscope.diff.StackChange;
import org.leakscope.diff.StackTrend;
import org.leakscope.diff.TrendReport;
import org.leakscope.model.Backtrace;
import org.leakscope.model.Frame;
import org.leakscope.model.Snapshot;
import org.leakscope.umdh.UmdhCompareLog;

/** Builds leakdiff's {@code --json} documents from the analysis layer's {@link LeakdiffReport}. */
public final class LeakdiffDocument {
    private LeakdiffDocument() {
    }

    /**
     * The {@code leakscope.leakdiff} document of a compare or a re-read compare output.
     *
     * @param report  the report (inputs, key, warnings)
     * @param c       the comparison
     * @param shown   the stacks the request selected, in order
     * @param request the sort, filter and limit asked for
     * @param mode    {@code compare} or {@code rerender}
     * @return the document
     */
    public static LeakdiffJson.Compare compare(LeakdiffReport report, Comparison c, List<StackChange> shown,
            LeakdiffRequest request, String mode) {
        List<SnapshotInput> inputs = report.inputs();
        List<Snapshot> snaps = inputs.stream().map(SnapshotInput::snapshot).toList();
        int ptr = Comparisons.pointerSize(snaps);
        // Each stack's entry made when the writer reaches it, then dropped: made all at once, the 154k stacks of
        // two 1 GB logs (3.9M frames) did not fit in 1 GiB of heap; the text report of the same fits in 512 MiB.
        List<LeakdiffJson.Stack> stacks = new java.util.AbstractList<>() {
            @Override
            public LeakdiffJson.Stack get(int i) {
                StackChange s = shown.get(i);
                return new LeakdiffJson.Stack(s.traceId(), s.mergedTraces(),
                        LeakdiffJson.Change.of(s.oldBytes(), s.newBytes()),
                        LeakdiffJson.Change.of(s.oldCount(), s.newCount()),
                        LeakdiffJson.Change.of(s.oldOverhead(), s.newOverhead()), s.foldedFrames(),
                        frames(s.backtrace().frames(), ptr), aliases(s.backtrace(), ptr));
            }

            @Override
            public int size() {
                return shown.size();
            }
        };
        long minDelta = request.minDelta();
        int top = request.top();
        return new LeakdiffJson.Compare(LeakdiffJson.SCHEMA, mode, report.key().cliName(), report.folded(),
                request.sort().name().toLowerCase(java.util.Locale.ROOT), minDelta == 0 ? null : minDelta, top <= 0 ? null : top, inputs(inputs, snaps),
                new LeakdiffJson.Totals(LeakdiffJson.Change.of(c.oldBytes(), c.newBytes()),
                        LeakdiffJson.Change.of(c.oldCount(), c.newCount()),
                        LeakdiffJson.Change.of(c.oldOverhead(), c.newOverhead())),
                c.changes().size(), c.unchanged(), shown.size(), stacks, report.warnings(), report.symbols());
    }

    /**
     * The {@code leakscope.leakdiff-trend} document.
     *
     * @param report the trend and the stacks the request selected
     * @return the document
     */
    public static LeakdiffJson.Trend trend(LeakdiffReport.Trend report) {
        List<LeakdiffJson.Input> ins = inputs(report.inputs(), report.snapshots());
        TrendReport r = report.trend();
        List<StackTrend> shown = report.shown();
        List<LeakdiffJson.TrendStack> stacks = new ArrayList<>();
        int rank = 1;
        for (StackTrend s : shown) {
            stacks.add(new LeakdiffJson.TrendStack(rank++, s.traceId(), s.mergedTraces(), s.sustained(),
                    round(s.bytesPerUnit()), round(s.countPerUnit()), s.risingSteps(), s.fallingSteps(),
                    boxed(s.bytes()), boxed(s.counts()), s.foldedFrames(), frames(s.backtrace().frames(), 8),
                    aliases(s.backtrace(), 8)));
        }
        List<String> times = r.times().stream().map(t -> t == null ? null : t.toString()).toList();
        double span = r.spanHours();
        return new LeakdiffJson.Trend(LeakdiffJson.TREND_SCHEMA, r.key().cliName(),
                report.folded(), r.perHour() ? "hour" : "snapshot",
                Double.isNaN(span) ? null : round(span), times, ins,
                new LeakdiffJson.TrendTotals(boxed(r.totalBytes()), boxed(r.totalCounts()), round(r.totalPerUnit())),
                r.stacks().size(), (int) r.stacks().stream().filter(StackTrend::sustained).count(), shown.size(), stacks,
                report.warnings(), report.symbols());
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static List<Long> boxed(long[] a) {
        List<Long> l = new ArrayList<>(a.length);
        for (long v : a) {
            l.add(v);
        }
        return l;
    }

    private static List<LeakdiffJson.Input> inputs(List<SnapshotInput> inputs, List<Snapshot> snaps) {
        List<LeakdiffJson.Input> out = new ArrayList<>();
        for (SnapshotInput in : inputs) {
            if (in.umdh() != null) {
                Snapshot s = in.umdh().snapshot();
                var h = in.umdh().header();
                long[] sum = in.umdh().totals();
                out.add(new LeakdiffJson.Input(in.path(), in.kind().jsonName(), in.umdh().encoding(), s.processId(), s.processName(),
                        s.time() == null ? null : s.time().toString(), h.umdhVersion(), h.machine(), in.umdh().heaps(),
                        in.umdh().records(), in.umdh().traceCount(), sum[0], sum[1], s.problems().size()));
            } else if (in.kind() == InputKind.TABLE_IMAGE || in.kind() == InputKind.MINIDUMP) {
                Snapshot s = in.snapshot();
                long[] sum = Comparisons.totals(s);
                out.add(new LeakdiffJson.Input(in.path(), in.kind().jsonName(), null, s.processId(), s.processName(),
                        s.time() == null ? null : s.time().toString(), null, null, null, sum[1], s.aggregates().size(),
                        sum[0], sum[1], s.problems().size()));
            } else if (in.compare() != null) {
                UmdhCompareLog c = in.compare();
                out.add(new LeakdiffJson.Input(in.path(), in.kind().jsonName(), c.encoding(), null, null, null, null,
                        null, null, null, c.entries().size(), null, null, c.problems().size()));
            } else {
                Snapshot s = in.snapshot();
                long[] sum = Comparisons.totals(s);
                out.add(new LeakdiffJson.Input(in.path(), in.kind().jsonName(), in.log().encoding(), s.processId(),
                        s.processName(), null, null, null, null, in.run().report().resourcesListed(),
                        s.aggregates().size(), sum[0], sum[1], in.log().problems().size()));
            }
        }
        return out;
    }

    /** The alias stacks, or null when the trace has none (the usual case). */
    private static List<List<FrameJson>> aliases(Backtrace bt, int ptr) {
        if (bt.aliases().isEmpty()) {
            return null;
        }
        List<List<FrameJson>> out = new ArrayList<>(bt.aliases().size());
        for (List<Frame> alias : bt.aliases()) {
            out.add(frames(alias, ptr));
        }
        return out;
    }

    private static List<FrameJson> frames(List<Frame> frames, int ptr) {
        List<FrameJson> out = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            boolean symbolicOnly = f.address() == 0 && f.module() != null;
            out.add(new FrameJson(symbolicOnly ? null : Json.addr(f.address(), ptr), f.module(),
                    Json.hex(f.moduleOffset()), f.function(), Json.hex(f.functionOffset()), f.sourceFile(),
                    f.sourceLine(), symbolicOnly ? UmdhCompareRenderer.frame(f) : f.describe(), f.mangled(),
                    f.inlined()));
        }
        return out;
    }
}
