package org.leakscope.cli.json;

import java.util.List;
import org.leakscope.analysis.ModuleSymbols;
import org.leakscope.analysis.FrameJson;

/**
 * {@code leakdiff --json}: the records here are the schema (docs/json.md). Field order is the declaration
 * order; every field may be null where the input does not say.
 */
public final class LeakdiffJson {
    public static final String SCHEMA = "leakscope.leakdiff/1";
    public static final String TREND_SCHEMA = "leakscope.leakdiff-trend/1";

    private LeakdiffJson() {
    }

    /** One input file. */
    public record Input(String file, String kind, String encoding, Long processId, String processName,
            String time, String umdhVersion, String machine, Integer heaps, Long records, Integer stacks, Long bytes,
            Long allocations, Integer warnings) {
    }

    /** Before, after and their difference. */
    public record Change(long old, @com.fasterxml.jackson.annotation.JsonProperty("new") long newer, long delta) {
        public static Change of(long old, long newer) {
            return new Change(old, newer, newer - old);
        }
    }

    public record Totals(Change bytes, Change allocations, Change overhead) {
    }

    /** @param aliases the trace's alias stacks (UMDH's {@code Alias} lines), null when it has none */
    public record Stack(String traceId, int mergedTraces, Change bytes, Change allocations, Change overhead,
            int foldedFrames, List<FrameJson> frames, List<List<FrameJson>> aliases) {
    }

    /** The compare document: two snapshots, or one re-read compare output. */
    public record Compare(String schema, String mode, String key, boolean foldAllocators, String sort,
            Long minDelta, Integer top, List<Input> inputs, Totals totals, int stacksChanged, int stacksUnchanged,
            int stacksShown, List<Stack> stacks, List<String> warnings, List<ModuleSymbols> symbols) {
    }

    public record TrendStack(int rank, String traceId, int mergedTraces, boolean sustained, double bytesPerUnit,
            double allocationsPerUnit, int risingSteps, int fallingSteps, List<Long> bytes, List<Long> allocations,
            int foldedFrames, List<FrameJson> frames, List<List<FrameJson>> aliases) {
    }

    public record TrendTotals(List<Long> bytes, List<Long> allocations, double bytesPerUnit) {
    }

    public record Trend(String schema, String key, boolean foldAllocators, String rateUnit, Double spanHours,
            List<String> times, List<Input> inputs, TrendTotals totals, int stacksChanged, int stacksSustained,
            int stacksShown, List<TrendStack> stacks, List<String> warnings, List<ModuleSymbols> symbols) {
    }
}
