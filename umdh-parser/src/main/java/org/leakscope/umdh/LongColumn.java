package org.leakscope.umdh;

import java.util.Arrays;

/**
 * A growing column of longs by trace number, in chunks of 64 Ki that are never copied: an array grown by copying
 * leaves its old copies in the old generation until a full collection (with 3 million traces, hundreds of MB of
 * dead arrays counted in the peak heap).
 */
final class LongColumn {
    private static final int BITS = 16;
    private static final int MASK = (1 << BITS) - 1;
    /**
     * Room for 4 Mi values before the chunk table grows (512 bytes): growing it was a branch the JIT's profile
     * had not seen (the recorded training logs have fewer traces), and the deoptimization it cost recompiled the
     * reader's hottest methods in the middle of a 1 GB log.
     */
    private long[][] chunks = new long[64][];

    /** The value at i, 0 where none was set. */
    long get(int i) {
        int c = i >>> BITS;
        long[] chunk = c < chunks.length ? chunks[c] : null;
        return chunk == null ? 0 : chunk[i & MASK];
    }

    void set(int i, long v) {
        int c = i >>> BITS;
        if (c >= chunks.length) {
            chunks = Arrays.copyOf(chunks, Math.max(c + 1, chunks.length * 2));
        }
        long[] chunk = chunks[c];
        if (chunk == null) {
            chunk = chunks[c] = new long[1 << BITS];
        }
        chunk[i & MASK] = v;
    }

    /** The first n values in one array, {@code order[k]}-th value at k when order is given; frees the chunks. */
    long[] toArray(int n, int[] order) {
        long[] out = new long[n];
        for (int k = 0; k < n; k++) {
            out[k] = get(order == null ? k : order[k]);
        }
        chunks = new long[0][];
        return out;
    }
}
