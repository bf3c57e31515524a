package org.leakscope.analysis;

import java.util.ArrayList;
import java.util.List;
import org.leakscope.diff.AllocatorFolding;
import org.leakscope.diff.Comparison;
import org.leakscope.diff.KeyKind;
import org.leakscope.diff.SnapshotSeries;
import org.leakscope.model.Problem;
import org.leakscope.model.Snapshot;

/** leakdiff's work as one call: read inputs in, a compare, trend or re-read compare output out. */
public final class Leakdiffs {
    private Leakdiffs() {
    }

    /**
     * Compares the inputs ({@link SnapshotReads#read}): one UMDH compare output is re-read, two or more snapshots
     * compared (the last two) or, asked for a trend, followed across all of them. Frames are named through
     * {@code settings}' symbol roots; logs' and tables' runs are moved onto one address layout.
     */
    public static LeakdiffReport analyse(List<SnapshotInput> inputs, Settings settings, LeakdiffRequest request) {
        List<String> warnings = new ArrayList<>();
        for (SnapshotInput in : inputs) {
            List<Problem> ps = in.compare() != null ? in.compare().problems() : in.snapshot().problems();
            ps.forEach(p -> warnings.add(p.message()));
            if (in.note() != null) {
                warnings.add(in.note());
            }
            if (in.compare() != null && !in.compare().radixDetected()) {
                warnings.add(in.path() + ": its numbers read the same in hex and decimal; read as hex (umdh's default;"
                        + " use --input-radix 10 for 'umdh -d' output)");
            }
        }
        boolean logs = inputs.stream().anyMatch(in -> in.kind() == InputKind.RESMON_LOG);
        boolean tables = inputs.stream().anyMatch(in -> in.kind() == InputKind.TABLE_IMAGE
                || in.kind() == InputKind.MINIDUMP);
        List<Snapshot> snapshots;
        boolean[] symbolized = {false};
        List<ModuleSymbols> sources;
        try (var symbols = settings.openSymbols()) {
            snapshots = Comparisons.symbolize(inputs, symbols, !settings.symbolPath().isEmpty(), symbolized);
            symbols.problems().forEach(p -> warnings.add(p.message()));
            sources = ModuleSymbols.of(symbols);
        }
        if (logs || tables) {
            warnings.addAll(Comparisons.alignRuns(inputs, snapshots));
        }
        KeyKind key = request.key() != null ? request.key()
                : logs || tables ? KeyKind.FRAMES : Comparisons.defaultKey(snapshots, symbolized[0]);
        AllocatorFolding folding = settings.folding();
        boolean folded = key != KeyKind.TRACE_ID && !folding.isEmpty();
        List<String> w = List.copyOf(warnings);
        if (inputs.size() == 1 && inputs.get(0).kind() == InputKind.UMDH_COMPARE) {
            Comparison c = Comparisons.fromCompareLog(inputs.get(0).compare(), key);
            return new LeakdiffReport.Rerender(inputs, snapshots, key, folded, w, inputs.get(0).compare(), c,
                    c.select(request.sort(), request.minDelta(), request.top()), sources);
        }
        SnapshotSeries series = Comparisons.series(snapshots, key, folding);
        if (request.trend()) {
            var r = Comparisons.trend(series, snapshots);
            return new LeakdiffReport.Trend(inputs, snapshots, key, folded, w, r,
                    Comparisons.selectTrend(r, request.sort(), request.minDelta(), request.top()), sources);
        }
        Comparison c = Comparisons.compareLastTwo(series, snapshots.size());
        return new LeakdiffReport.Compare(inputs, snapshots, key, folded, w, c,
                c.select(request.sort(), request.minDelta(), request.top()), sources);
    }
}
