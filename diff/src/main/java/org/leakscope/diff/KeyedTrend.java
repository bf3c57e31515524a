package org.leakscope.diff;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.leakscope.model.Backtrace;
import org.leakscope.model.Frame;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.IndexOrder;
import org.leakscope.model.KeyedTraces;

/**
 * Snapshots read as {@link KeyedTraces} followed over time by a sorted merge, as {@link KeyedComparison} compares
 * two: each snapshot's traces sorted by key, then all walked together, summing per snapshot the traces that share
 * a key. Only the stacks whose bytes change are kept and read again. Gives the {@link TrendReport} that
 * {@link SnapshotSeries#trend} gives for the same snapshots read whole (same rows, sums, representatives, order).
 */
public final class KeyedTrend {
    private KeyedTrend() {
    }

    /**
     * @param codes makes the codes the stack keys were made with (they check the stacks read again and count their
     *              folded frames), one per thread
     * @param times the snapshots' capture times (null where unknown)
     */
    public static TrendReport trend(List<? extends KeyedTraces> snapshots, KeyKind kind, Supplier<FrameCodes> codes,
            List<Instant> times) throws IOException {
        int n = snapshots.size();
        List<CompletableFuture<SortedTraces>> sorting = new ArrayList<>();
        for (KeyedTraces s : snapshots) {
            sorting.add(CompletableFuture.supplyAsync(() -> SortedTraces.of(s, kind)));
        }
        SortedTraces[] sorted = new SortedTraces[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = sorting.get(i).join();
        }
        long[] totalBytes = new long[n];
        long[] totalCounts = new long[n];
        Growing rows = new Growing(n);
        int[] at = new int[n];
        long[] sum = new long[3];
        long[] bytes = new long[n];
        long[] counts = new long[n];
        while (true) {
            long key = 0;
            boolean any = false;
            for (int i = 0; i < n; i++) {
                if (at[i] < sorted[i].size && (!any || Long.compareUnsigned(sorted[i].keys[at[i]], key) < 0)) {
                    key = sorted[i].keys[at[i]];
                    any = true;
                }
            }
            if (!any) {
                break;
            }
            int first = -1;
            int firstTrace = -1;
            int newest = -1;
            int rep = -1;
            int merged = 0;
            boolean changes = false;
            for (int i = 0; i < n; i++) {
                Arrays.fill(sum, 0);
                int from = at[i];
                at[i] = sorted[i].group(from, key, sum, snapshots.get(i));
                bytes[i] = sum[0];
                counts[i] = sum[1];
                totalBytes[i] += sum[0];
                totalCounts[i] += sum[1];
                changes |= i > 0 && bytes[i] != bytes[i - 1];
                if (at[i] > from) {
                    if (first < 0) {
                        first = i;
                        firstTrace = sorted[i].traces[from];
                    }
                    newest = i; // the newest snapshot's first trace represents the row, as in SnapshotSeries
                    rep = sorted[i].traces[from];
                    merged = Math.max(merged, at[i] - from);
                }
            }
            if (changes) { // a flat row is never reported: keep none of it
                rows.add(first, snapshots.get(first).appearance(firstTrace), newest, rep, merged, bytes, counts);
            }
        }
        return Trends.report(kind, times, rows.build(snapshots, kind, codes), totalBytes, totalCounts);
    }

    /** The rows whose bytes change, in columns until their stacks are read again. */
    private static final class Growing {
        private final int n;
        private int[] first = new int[256];      // the oldest snapshot holding the row
        private long[] appearance = new long[256]; // where it first appears there
        private int[] newest = new int[256];
        private int[] rep = new int[256];
        private int[] merged = new int[256];
        private long[] sums;                      // per row: n bytes, then n counts
        private int size;

        Growing(int n) {
            this.n = n;
            this.sums = new long[256 * 2 * n];
        }

        void add(int firstIn, long firstAppearance, int newestIn, int trace, int mergedTraces, long[] bytes,
                long[] counts) {
            if (size == first.length) {
                int cap = size * 2;
                first = Arrays.copyOf(first, cap);
                appearance = Arrays.copyOf(appearance, cap);
                newest = Arrays.copyOf(newest, cap);
                rep = Arrays.copyOf(rep, cap);
                merged = Arrays.copyOf(merged, cap);
                sums = Arrays.copyOf(sums, cap * 2 * n);
            }
            first[size] = firstIn;
            appearance[size] = firstAppearance;
            newest[size] = newestIn;
            rep[size] = trace;
            merged[size] = mergedTraces;
            System.arraycopy(bytes, 0, sums, size * 2 * n, n);
            System.arraycopy(counts, 0, sums, size * 2 * n + n, n);
            size++;
        }

        /**
         * The rows in the order SnapshotSeries first sees them (by the oldest snapshot holding each, then where it
         * appears there), each with its representative's stack read again (each snapshot's on all cores).
         */
        List<Trends.Row> build(List<? extends KeyedTraces> snapshots, KeyKind kind, Supplier<FrameCodes> codes)
                throws IOException {
            long[] order = new long[size];
            for (int k = 0; k < size; k++) {
                order[k] = (long) first[k] << 40 | appearance[k]; // a log of 2^40 lines is past any file system
            }
            int[] byOrder = IndexOrder.of(order, size);
            List<List<Frame>> stacks = new ArrayList<>(java.util.Collections.nCopies(size, List.<Frame>of()));
            int[] folded = new int[size];
            int threads = Runtime.getRuntime().availableProcessors();
            for (int s = 0; s < snapshots.size(); s++) {
                int count = 0;
                for (int k = 0; k < size; k++) {
                    count += newest[k] == s ? 1 : 0;
                }
                if (count == 0) {
                    continue;
                }
                int[] rows = new int[count];
                int[] traces = new int[count];
                count = 0;
                for (int k = 0; k < size; k++) {
                    if (newest[k] == s) {
                        rows[count] = k;
                        traces[count++] = rep[k];
                    }
                }
                int[] foldedHere = new int[count];
                List<List<Frame>> read = snapshots.get(s).stacks(traces, codes, foldedHere, threads);
                for (int i = 0; i < count; i++) {
                    stacks.set(rows[i], read.get(i));
                    folded[rows[i]] = foldedHere[i];
                }
            }
            List<Trends.Row> out = new ArrayList<>(size);
            for (int k : byOrder) {
                KeyedTraces s = snapshots.get(newest[k]);
                String id = s.id(rep[k]);
                int x = k * 2 * n;
                int f = kind == KeyKind.TRACE_ID ? 0 : folded[k];
                out.add(new Trends.Row(new Backtrace(id, stacks.get(k), List.of()), f, id, merged[k],
                        Arrays.copyOfRange(sums, x, x + n), Arrays.copyOfRange(sums, x + n, x + 2 * n)));
            }
            return out;
        }
    }
}
