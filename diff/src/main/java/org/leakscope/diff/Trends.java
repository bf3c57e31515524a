package org.leakscope.diff;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.leakscope.model.Backtrace;

/** Growth of every stack over snapshots, from its sums: the report SnapshotSeries and {@link KeyedTrend} give. */
final class Trends {
    private Trends() {
    }

    /**
     * One stack over the snapshots, before it is judged.
     *
     * @param bytes  per snapshot, oldest first
     * @param counts per snapshot
     */
    record Row(Backtrace backtrace, int folded, String traceId, int mergedTraces, long[] bytes, long[] counts) {
    }

    /**
     * The report over {@code rows}, given in the order the stacks were first seen (the last tie-break of the
     * ranking), with the totals over every stack. With {@code times} all known and strictly increasing, rates
     * are per hour; otherwise per snapshot. Rows whose bytes never change are left out.
     */
    static TrendReport report(KeyKind kind, List<Instant> times, List<Row> rows, long[] totalBytes,
            long[] totalCounts) {
        int size = totalBytes.length;
        double[] x = new double[size];
        boolean perHour = times.size() == size && times.stream().allMatch(t -> t != null);
        for (int i = 1; perHour && i < size; i++) {
            perHour = times.get(i).isAfter(times.get(i - 1));
        }
        for (int i = 0; i < size; i++) {
            x[i] = perHour ? (times.get(i).toEpochMilli() - times.get(0).toEpochMilli()) / 3_600_000.0 : i;
        }
        List<StackTrend> stacks = new ArrayList<>(rows.size());
        for (Row row : rows) {
            long[] rowBytes = row.bytes();
            int rising = 0;
            int falling = 0;
            for (int i = 1; i < size; i++) {
                if (rowBytes[i] > rowBytes[i - 1]) {
                    rising++;
                } else if (rowBytes[i] < rowBytes[i - 1]) {
                    falling++;
                }
            }
            if (rising == 0 && falling == 0) {
                continue; // flat: nothing to report
            }
            double slope = SnapshotSeries.slope(x, rowBytes);
            int steps = size - 1;
            // A leak rises in most steps: at least two thirds of them up, at most a quarter down, net growth.
            boolean sustained = rowBytes[size - 1] > rowBytes[0] && slope > 0 && rising * 3 >= steps * 2
                    && falling * 4 <= steps;
            stacks.add(new StackTrend(row.backtrace(), row.folded(), row.traceId(), row.mergedTraces(), rowBytes,
                    row.counts(), slope, SnapshotSeries.slope(x, row.counts()), rising, falling, sustained));
        }
        stacks.sort(Comparator.comparing((StackTrend t) -> !t.sustained())
                .thenComparing(Comparator.comparingDouble(StackTrend::bytesPerUnit).reversed())
                .thenComparing(t -> t.traceId() == null ? "" : t.traceId())
                .thenComparing(t -> Comparison.stackText(t.backtrace())));
        return new TrendReport(kind, perHour ? times : new ArrayList<>(times), perHour, stacks, totalBytes,
                totalCounts, SnapshotSeries.slope(x, totalBytes));
    }
}
