package org.leakscope.diff;

import java.util.Arrays;
import org.leakscope.model.KeyedTraces;
import org.leakscope.model.SeededHash;

/** One side's traces in key order: keys ascending (unsigned), equal keys as the traces first appear. */
final class SortedTraces {
    private static final long NO_STACK = 0x1D00_0000_0000_0001L;

    final int size;
    final long[] keys;
    final int[] traces;

    private SortedTraces(long[] keys, int[] traces) {
        this.size = keys.length;
        this.keys = keys;
        this.traces = traces;
    }

    static SortedTraces of(KeyedTraces s, KeyKind kind) {
        int n = s.size();
        long[] key = new long[n];
        for (int t = 0; t < n; t++) {
            key[t] = kind == KeyKind.TRACE_ID ? s.idKey(t)
                    : s.hasStack(t) ? s.stackKey(t) : SeededHash.mix(s.idKey(t) ^ NO_STACK);
        }
        // Sort the keys' high bits with the trace number in the low bits (one primitive sort, no boxing),
        // then order the runs whose high bits tie (traces sharing a stack) by the whole key and appearance.
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, n));
        long low = (1L << bits) - 1;
        long[] packed = new long[n];
        for (int t = 0; t < n; t++) {
            packed[t] = ((key[t] ^ Long.MIN_VALUE) & ~low) | t; // flipped top bit: signed order = unsigned
        }
        Arrays.sort(packed);
        int[] traces = new int[n];
        for (int k = 0; k < n; k++) {
            traces[k] = (int) (packed[k] & low);
        }
        for (int k = 0; k < n;) {
            int e = k + 1;
            while (e < n && (packed[e] & ~low) == (packed[k] & ~low)) {
                e++;
            }
            if (e - k > 1) {
                sortRun(traces, k, e, key, s);
            }
            k = e;
        }
        long[] sortedKeys = packed; // reused: the packed values are no longer needed
        for (int k = 0; k < n; k++) {
            sortedKeys[k] = key[traces[k]];
        }
        return new SortedTraces(sortedKeys, traces);
    }

    private static void sortRun(int[] traces, int from, int to, long[] key, KeyedTraces s) {
        Integer[] run = new Integer[to - from];
        for (int k = from; k < to; k++) {
            run[k - from] = traces[k];
        }
        Arrays.sort(run, (x, y) -> {
            int c = Long.compareUnsigned(key[x], key[y]);
            return c != 0 ? c : Long.compare(s.appearance(x), s.appearance(y));
        });
        for (int k = from; k < to; k++) {
            traces[k] = run[k - from];
        }
    }

    private static final int AHEAD = 256;
    private int readTo; // sorted positions whose sums readAhead read

    /**
     * Reads the sums of the traces from sorted position {@code k} on, a block at a time, before {@link #group}
     * needs them: in key order the traces are in random order, and each sum is a cache miss; here the loads
     * are independent of each other and the CPU overlaps them.
     */
    long readAhead(int k, KeyedTraces s) {
        if (k < readTo) {
            return 0;
        }
        long touched = 0;
        int end = Math.min(size, k + AHEAD);
        for (int m = k; m < end; m++) {
            touched += s.bytes(traces[m]);
        }
        readTo = end;
        return touched;
    }

    /** Sums the traces at {@code from} with {@code key} into {bytes, count, overhead}; returns the next index. */
    int group(int from, long key, long[] sum, KeyedTraces s) {
        int k = from;
        while (k < size && keys[k] == key) {
            int t = traces[k++];
            sum[0] += s.bytes(t);
            sum[1] += s.count(t);
            sum[2] += s.overhead(t);
        }
        return k;
    }
}
