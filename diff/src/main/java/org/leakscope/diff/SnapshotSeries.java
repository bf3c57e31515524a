package org.leakscope.diff;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.leakscope.model.Backtrace;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Snapshot;

/**
 * Snapshots of one program, oldest first, folded into one row per backtrace key. Add each snapshot once
 * (the snapshot itself can be dropped afterwards: rows keep one representative backtrace); then ask for a
 * {@link #compare} of two of them or a {@link #trend} over all.
 */
public final class SnapshotSeries {
    private static final class Row {
        Backtrace backtrace;
        int folded;
        String traceId;
        final long[] bytes;
        final long[] counts;
        final long[] overheads;
        int representedBy = -1;
        int addedIn = -1;
        int tracesNow;
        int mergedTraces;

        Row(int n) {
            bytes = new long[n];
            counts = new long[n];
            overheads = new long[n];
        }
    }

    private final int size;
    private final BacktraceKeys keys;
    private final KeyKind kind;
    private final Map<Object, Row> rows = new HashMap<>();
    private final boolean[] added;

    public SnapshotSeries(int snapshots, KeyKind kind, AllocatorFolding folding) {
        if (snapshots < 1) {
            throw new IllegalArgumentException("need at least one snapshot");
        }
        this.size = snapshots;
        this.kind = kind;
        this.keys = new BacktraceKeys(kind, folding);
        this.added = new boolean[snapshots];
    }

    public KeyKind key() {
        return kind;
    }

    /** Folds snapshot {@code index} (0 = oldest) into the rows. Snapshots may be added in any order. */
    public void add(int index, Snapshot snapshot) {
        if (added[index]) {
            throw new IllegalStateException("snapshot " + index + " added twice");
        }
        added[index] = true;
        keys.nextSnapshot();
        for (BacktraceAggregate a : snapshot.aggregates()) {
            Object k = keys.key(a.backtrace());
            Row r = rows.get(k);
            if (r == null) {
                r = new Row(size);
                rows.put(k, r);
            }
            if (index > r.representedBy) {
                // the newest snapshot's stack and id represent the row (a compare prints the new trace ids)
                r.representedBy = index;
                r.backtrace = a.backtrace();
                r.folded = keys.lastFolded;
                r.traceId = a.backtrace().traceId();
            }
            if (r.addedIn != index) {
                r.addedIn = index;
                r.tracesNow = 0;
            }
            r.mergedTraces = Math.max(r.mergedTraces, ++r.tracesNow);
            r.bytes[index] += a.bytes();
            r.counts[index] += a.count();
            r.overheads[index] += a.overhead();
        }
    }

    /** Distinct keys seen so far. */
    public int stackCount() {
        return rows.size();
    }

    /** Snapshot {@code older} against {@code newer}: every stack that changed. */
    public Comparison compare(int older, int newer) {
        List<StackChange> changes = new ArrayList<>();
        long ob = 0;
        long nb = 0;
        long oc = 0;
        long nc = 0;
        long oo = 0;
        long no = 0;
        int unchanged = 0;
        for (Row r : rows.values()) {
            ob += r.bytes[older];
            nb += r.bytes[newer];
            oc += r.counts[older];
            nc += r.counts[newer];
            oo += r.overheads[older];
            no += r.overheads[newer];
            if (r.bytes[older] == r.bytes[newer] && r.counts[older] == r.counts[newer]) {
                if (r.counts[older] != 0 || r.bytes[older] != 0) {
                    unchanged++;
                }
                continue;
            }
            changes.add(new StackChange(r.backtrace, r.folded, r.traceId, r.bytes[older], r.bytes[newer],
                    r.counts[older], r.counts[newer], r.overheads[older], r.overheads[newer], r.mergedTraces));
        }
        return new Comparison(kind, changes, ob, nb, oc, nc, oo, no, unchanged);
    }

    /**
     * Growth of every stack over all snapshots. With {@code times} all known and strictly increasing, rates are
     * per hour; otherwise per snapshot.
     */
    public TrendReport trend(List<Instant> times) {
        double[] x = new double[size];
        boolean perHour = times.size() == size && times.stream().allMatch(t -> t != null);
        for (int i = 1; perHour && i < size; i++) {
            perHour = times.get(i).isAfter(times.get(i - 1));
        }
        for (int i = 0; i < size; i++) {
            x[i] = perHour ? (times.get(i).toEpochMilli() - times.get(0).toEpochMilli()) / 3_600_000.0 : i;
        }
        long[] totalBytes = new long[size];
        long[] totalCounts = new long[size];
        List<StackTrend> stacks = new ArrayList<>(rows.size());
        for (Row r : rows.values()) {
            int rising = 0;
            int falling = 0;
            for (int i = 0; i < size; i++) {
                totalBytes[i] += r.bytes[i];
                totalCounts[i] += r.counts[i];
                if (i > 0) {
                    if (r.bytes[i] > r.bytes[i - 1]) {
                        rising++;
                    } else if (r.bytes[i] < r.bytes[i - 1]) {
                        falling++;
                    }
                }
            }
            if (rising == 0 && falling == 0) {
                continue; // flat: nothing to report
            }
            double slope = slope(x, r.bytes);
            int steps = size - 1;
            // A leak rises in most steps: at least two thirds of them up, at most a quarter down, net growth.
            boolean sustained = r.bytes[size - 1] > r.bytes[0] && slope > 0 && rising * 3 >= steps * 2
                    && falling * 4 <= steps;
            stacks.add(new StackTrend(r.backtrace, r.folded, r.traceId, r.mergedTraces, r.bytes.clone(),
                    r.counts.clone(), slope, slope(x, r.counts), rising, falling, sustained));
        }
        stacks.sort(Comparator.comparing((StackTrend t) -> !t.sustained())
                .thenComparing(Comparator.comparingDouble(StackTrend::bytesPerUnit).reversed())
                .thenComparing(t -> t.traceId() == null ? "" : t.traceId())
                .thenComparing(t -> Comparison.stackText(t.backtrace())));
        return new TrendReport(kind, perHour ? times : new ArrayList<>(times), perHour, stacks, totalBytes,
                totalCounts, slope(x, totalBytes));
    }

    /** Least-squares slope of y over x. */
    static double slope(double[] x, long[] y) {
        int n = x.length;
        if (n < 2) {
            return 0;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (x[i] - mx) * (y[i] - my);
            den += (x[i] - mx) * (x[i] - mx);
        }
        return den == 0 ? 0 : num / den;
    }
}
