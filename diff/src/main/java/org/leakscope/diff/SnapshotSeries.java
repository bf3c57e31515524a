package org.leakscope.diff;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.leakscope.model.Backtrace;
import org.leakscope.model.BacktraceAggregate;
import org.leakscope.model.Snapshot;

/**
 * Snapshots of one program, oldest first, folded into one row per backtrace key. Add each snapshot once
 * (the snapshot itself can be dropped afterwards: rows keep one representative backtrace); then ask for a
 * {@link #compare} of two of them or a {@link #trend} over all.
 */
public final class SnapshotSeries {
    private final int size;
    private final BacktraceKeys keys;
    private final KeyKind kind;
    private final StackRows rows = new StackRows();
    private final boolean[] added;

    // per row (one per distinct key), in columns: no object per stack
    private Backtrace[] backtrace = new Backtrace[1 << 10]; // the representative stack; its id is the row's id
    private int[] folded = new int[1 << 10];
    private int[] representedBy = new int[1 << 10];
    private int[] addedIn = new int[1 << 10];
    private int[] tracesNow = new int[1 << 10];
    private int[] mergedTraces = new int[1 << 10];
    // per row and snapshot, at [row * size + snapshot]
    private long[] bytes;
    private long[] counts;
    private long[] overheads;

    public SnapshotSeries(int snapshots, KeyKind kind, AllocatorFolding folding) {
        if (snapshots < 1) {
            throw new IllegalArgumentException("need at least one snapshot");
        }
        this.size = snapshots;
        this.kind = kind;
        this.keys = new BacktraceKeys(kind, folding);
        this.added = new boolean[snapshots];
        this.bytes = new long[backtrace.length * size];
        this.counts = new long[backtrace.length * size];
        this.overheads = new long[backtrace.length * size];
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
            int n = keys.keyTokens(a.backtrace());
            int before = rows.size();
            int r = n < 0 ? rows.row(keys.textKey) : rows.row(keys.buffer, n);
            if (r == before) {
                newRow(r);
            }
            if (index > representedBy[r]) {
                // the newest snapshot's stack and id represent the row (a compare prints the new trace ids)
                representedBy[r] = index;
                backtrace[r] = a.backtrace();
                folded[r] = keys.lastFolded;
            }
            if (addedIn[r] != index) {
                addedIn[r] = index;
                tracesNow[r] = 0;
            }
            mergedTraces[r] = Math.max(mergedTraces[r], ++tracesNow[r]);
            int at = r * size + index;
            bytes[at] += a.bytes();
            counts[at] += a.count();
            overheads[at] += a.overhead();
        }
    }

    private void newRow(int r) {
        if (r == backtrace.length) {
            int cap = r + (r >> 1);
            backtrace = Arrays.copyOf(backtrace, cap);
            folded = Arrays.copyOf(folded, cap);
            representedBy = Arrays.copyOf(representedBy, cap);
            addedIn = Arrays.copyOf(addedIn, cap);
            tracesNow = Arrays.copyOf(tracesNow, cap);
            mergedTraces = Arrays.copyOf(mergedTraces, cap);
            bytes = Arrays.copyOf(bytes, cap * size);
            counts = Arrays.copyOf(counts, cap * size);
            overheads = Arrays.copyOf(overheads, cap * size);
        }
        representedBy[r] = -1;
        addedIn[r] = -1;
    }

    /** Distinct keys seen so far. */
    public int stackCount() {
        return rows.size();
    }

    private String traceId(int r) {
        return backtrace[r].traceId();
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
        for (int r = 0; r < rows.size(); r++) {
            int o = r * size + older;
            int w = r * size + newer;
            ob += bytes[o];
            nb += bytes[w];
            oc += counts[o];
            nc += counts[w];
            oo += overheads[o];
            no += overheads[w];
            if (bytes[o] == bytes[w] && counts[o] == counts[w]) {
                if (counts[o] != 0 || bytes[o] != 0) {
                    unchanged++;
                }
                continue;
            }
            changes.add(new StackChange(backtrace[r], folded[r], traceId(r), bytes[o], bytes[w], counts[o],
                    counts[w], overheads[o], overheads[w], mergedTraces[r]));
        }
        return new Comparison(kind, changes, ob, nb, oc, nc, oo, no, unchanged);
    }

    /**
     * Growth of every stack over all snapshots. With {@code times} all known and strictly increasing, rates are
     * per hour; otherwise per snapshot.
     */
    public TrendReport trend(List<Instant> times) {
        long[] totalBytes = new long[size];
        long[] totalCounts = new long[size];
        List<Trends.Row> out = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            long[] rowBytes = Arrays.copyOfRange(bytes, r * size, (r + 1) * size);
            long[] rowCounts = Arrays.copyOfRange(counts, r * size, (r + 1) * size);
            for (int i = 0; i < size; i++) {
                totalBytes[i] += rowBytes[i];
                totalCounts[i] += rowCounts[i];
            }
            out.add(new Trends.Row(backtrace[r], folded[r], traceId(r), mergedTraces[r], rowBytes, rowCounts));
        }
        return Trends.report(kind, times, out, totalBytes, totalCounts);
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
