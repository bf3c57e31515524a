package org.leakscope.diff;

import java.time.Instant;
import java.util.List;

/**
 * Growth over N ≥ 2 snapshots, stacks ranked by sustained growth: every sustained stack before any other, each
 * group by growth rate.
 *
 * @param times       snapshot times, oldest first (null entries when unknown)
 * @param perHour     true when rates are per hour; false when the snapshots carry no usable times and rates are
 *                    per snapshot
 * @param totalBytes  all stacks' bytes per snapshot
 * @param totalPerUnit least-squares growth of the total
 */
public record TrendReport(KeyKind key, List<Instant> times, boolean perHour, List<StackTrend> stacks,
        long[] totalBytes, long[] totalCounts, double totalPerUnit) {
    public TrendReport {
        stacks = List.copyOf(stacks);
        times = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(times));
    }

    /** Hours from the first snapshot to the last, or NaN without times. */
    public double spanHours() {
        if (!perHour || times.size() < 2) {
            return Double.NaN;
        }
        return (times.get(times.size() - 1).toEpochMilli() - times.get(0).toEpochMilli()) / 3_600_000.0;
    }
}
