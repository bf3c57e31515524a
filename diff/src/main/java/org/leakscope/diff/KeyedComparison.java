package org.leakscope.diff;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.leakscope.model.Backtrace;
import org.leakscope.model.Frame;
import org.leakscope.model.FrameCodes;
import org.leakscope.model.IndexOrder;
import org.leakscope.model.KeyedTraces;

/**
 * Two snapshots read as {@link KeyedTraces} compared by a sorted merge: each side's traces sorted by key, then
 * walked together, summing the traces that share a key. Only the stacks that changed are read again. Gives the
 * {@link Comparison} that {@link SnapshotSeries} gives for the same snapshots read whole (same rows, totals,
 * representatives and order), in 12 bytes a trace instead of a table row and a stack per key.
 */
public final class KeyedComparison {
    /** A row's order when only the newer snapshot has it: after every row of the older one. */
    private static final long IN_NEWER_ONLY = 1L << 62;

    private KeyedComparison() {
    }

    /** Keeps the JIT from dropping the read-ahead loads. */
    static long sink;

    /**
     * @param codes makes the codes both sides' stack keys were made with (to check a stack read again and count a
     *              shown stack's folded frames), one per thread that uses them; may give null for
     *              {@link KeyKind#TRACE_ID}
     */
    public static Comparison compare(KeyedTraces older, KeyedTraces newer, KeyKind kind,
            Supplier<FrameCodes> codes) throws IOException {
        // the two sides are sorted at once: with 3 million traces each, a sort is most of a second
        CompletableFuture<SortedTraces> olderSorted =
                CompletableFuture.supplyAsync(() -> SortedTraces.of(older, kind));
        SortedTraces b = SortedTraces.of(newer, kind);
        SortedTraces a = olderSorted.join();
        long ob = 0;
        long nb = 0;
        long oc = 0;
        long nc = 0;
        long oo = 0;
        long no = 0;
        int unchanged = 0;
        Changes changes = new Changes();
        long[] sa = new long[3];
        long[] sb = new long[3];
        int i = 0;
        int j = 0;
        while (i < a.size || j < b.size) {
            long key = i == a.size ? b.keys[j] : j == b.size ? a.keys[i]
                    : Long.compareUnsigned(a.keys[i], b.keys[j]) <= 0 ? a.keys[i] : b.keys[j];
            Arrays.fill(sa, 0);
            Arrays.fill(sb, 0);
            sink += a.readAhead(i, older) + b.readAhead(j, newer);
            int ta = i;
            int tb = j;
            i = a.group(i, key, sa, older);
            j = b.group(j, key, sb, newer);
            ob += sa[0];
            oc += sa[1];
            oo += sa[2];
            nb += sb[0];
            nc += sb[1];
            no += sb[2];
            if (sa[0] == sb[0] && sa[1] == sb[1]) {
                if (sa[1] != 0 || sa[0] != 0) {
                    unchanged++;
                }
                continue;
            }
            // The row's first trace in the newest snapshot holding it represents it, as in SnapshotSeries; rows
            // are ordered as SnapshotSeries first sees them: the older snapshot's traces, then the newer's.
            boolean inNewer = j > tb;
            int rep = inNewer ? b.traces[tb] : a.traces[ta];
            long order = i > ta ? older.appearance(a.traces[ta]) : IN_NEWER_ONLY | newer.appearance(b.traces[tb]);
            changes.add(order, inNewer, rep, sa, sb, Math.max(i - ta, j - tb));
        }
        return new Comparison(kind, changes.build(older, newer, kind, codes), ob, nb, oc, nc, oo, no, unchanged);
    }

    /** The changed rows in columns until their stacks are read again. */
    private static final class Changes {
        private long[] order = new long[256];
        private int[] rep = new int[256];
        private long[] sums = new long[256 * 6];
        private int[] merged = new int[256];
        private int size;

        void add(long ord, boolean inNewer, int trace, long[] older, long[] newer, int mergedTraces) {
            if (size == order.length) {
                int cap = size * 2;
                order = Arrays.copyOf(order, cap);
                rep = Arrays.copyOf(rep, cap);
                sums = Arrays.copyOf(sums, cap * 6);
                merged = Arrays.copyOf(merged, cap);
            }
            order[size] = ord;
            rep[size] = inNewer ? trace : ~trace; // ~: a trace of the older snapshot
            System.arraycopy(older, 0, sums, size * 6, 3);
            System.arraycopy(newer, 0, sums, size * 6 + 3, 3);
            merged[size] = mergedTraces;
            size++;
        }

        List<StackChange> build(KeyedTraces older, KeyedTraces newer, KeyKind kind, Supplier<FrameCodes> makeCodes)
                throws IOException {
            int[] byOrder = IndexOrder.of(order, size);
            // each side's stacks are read again on threads of their own, as many as its share of the stacks
            // (two logs of 3M stacks: 154k stacks, all in the newer log), each with its own codes: FrameCodes
            // are used from one thread
            int[] olderTraces = traces(false);
            int[] newerTraces = traces(true);
            int[] oldFolded = new int[olderTraces.length]; // allocator frames each key folds, told by the reads
            int[] newFolded = new int[newerTraces.length];
            int cpus = Runtime.getRuntime().availableProcessors();
            int all = Math.max(1, olderTraces.length + newerTraces.length);
            int olderThreads = Math.max(1, Math.round((float) cpus * olderTraces.length / all));
            int newerThreads = Math.max(1, Math.round((float) cpus * newerTraces.length / all));
            CompletableFuture<List<List<Frame>>> olderStacks = CompletableFuture.supplyAsync(() -> {
                try {
                    return older.stacks(olderTraces, makeCodes, oldFolded, olderThreads);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            List<List<Frame>> newStacks = newer.stacks(newerTraces, makeCodes, newFolded, newerThreads);
            List<List<Frame>> oldStacks = join(olderStacks);
            int[] oldAt = new int[size];
            int[] newAt = new int[size];
            int o = 0;
            int w = 0;
            for (int k = 0; k < size; k++) {
                if (rep[k] >= 0) {
                    newAt[k] = w++;
                } else {
                    oldAt[k] = o++;
                }
            }
            List<StackChange> out = new ArrayList<>(size);
            for (int k : byOrder) {
                boolean inNewer = rep[k] >= 0;
                KeyedTraces s = inNewer ? newer : older;
                int t = inNewer ? rep[k] : ~rep[k];
                List<Frame> frames = inNewer ? newStacks.get(newAt[k]) : oldStacks.get(oldAt[k]);
                int folded = kind == KeyKind.TRACE_ID ? 0 : inNewer ? newFolded[newAt[k]] : oldFolded[oldAt[k]];
                String id = s.id(t);
                int x = k * 6;
                out.add(new StackChange(new Backtrace(id, frames, List.of()), folded, id, sums[x], sums[x + 3],
                        sums[x + 1], sums[x + 4], sums[x + 2], sums[x + 5], merged[k]));
            }
            return out;
        }

        /** The future's value, or what it threw (an I/O error as such). */
        private static <T> T join(CompletableFuture<T> f) throws IOException {
            try {
                return f.join();
            } catch (CompletionException e) {
                Throwable c = e.getCause();
                if (c instanceof UncheckedIOException io) {
                    throw io.getCause();
                }
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }

        /** The representatives of one snapshot, in row number order. */
        private int[] traces(boolean newer) {
            int n = 0;
            for (int k = 0; k < size; k++) {
                n += (rep[k] >= 0) == newer ? 1 : 0;
            }
            int[] out = new int[n];
            n = 0;
            for (int k = 0; k < size; k++) {
                if ((rep[k] >= 0) == newer) {
                    out[n++] = newer ? rep[k] : ~rep[k];
                }
            }
            return out;
        }
    }
}
