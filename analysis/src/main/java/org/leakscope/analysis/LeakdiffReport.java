package org.leakscope.analysis;

import java.util.List;
import org.leakscope.diff.Comparison;
import org.leakscope.diff.KeyKind;
import org.leakscope.diff.StackChange;
import org.leakscope.diff.StackTrend;
import org.leakscope.diff.TrendReport;
import org.leakscope.model.Snapshot;
import org.leakscope.umdh.UmdhCompareLog;

/** A comparison of snapshots, as every renderer reads it: a compare, a trend, or a compare output re-read. */
public sealed interface LeakdiffReport {
    /** The inputs as read, in the order given. */
    List<SnapshotInput> inputs();

    /** Their snapshots, symbolized and moved onto one address layout (null for a compare output). */
    List<Snapshot> snapshots();

    /** How stacks were matched. */
    KeyKind key();

    /** Whether allocator frames were folded out of the key (never for trace ids). */
    boolean folded();

    /** Problems in the inputs and the symbol files, and notes on what was picked, for people. */
    List<String> warnings();

    /** Where the names of each module the stacks' frames lie in came from. */
    List<ModuleSymbols> symbols();

    /** The largest growth, of the total or of one stack (the leak gate's measure). */
    Growth worst();

    /** The last two snapshots compared: {@code shown} is what the request selects of {@code comparison}. */
    record Compare(List<SnapshotInput> inputs, List<Snapshot> snapshots, KeyKind key, boolean folded,
            List<String> warnings, Comparison comparison, List<StackChange> shown, List<ModuleSymbols> symbols)
            implements LeakdiffReport {
        @Override
        public Growth worst() {
            return Growth.worst(comparison);
        }
    }

    /** Growth across all the snapshots: {@code shown} is what the request selects of {@code trend}. */
    record Trend(List<SnapshotInput> inputs, List<Snapshot> snapshots, KeyKind key, boolean folded,
            List<String> warnings, TrendReport trend, List<StackTrend> shown, List<ModuleSymbols> symbols)
            implements LeakdiffReport {
        @Override
        public Growth worst() {
            return Growth.worst(trend);
        }
    }

    /** An existing UMDH compare output re-read ({@code log}), filtered and sorted anew. */
    record Rerender(List<SnapshotInput> inputs, List<Snapshot> snapshots, KeyKind key, boolean folded,
            List<String> warnings, UmdhCompareLog log, Comparison comparison, List<StackChange> shown,
            List<ModuleSymbols> symbols) implements LeakdiffReport {
        @Override
        public Growth worst() {
            return Growth.worst(comparison);
        }
    }
}
