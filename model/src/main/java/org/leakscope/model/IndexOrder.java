package org.leakscope.model;

import java.util.Arrays;

/** Indices ordered by a long key, ties by index (where a stable sort leaves them), without boxing each index. */
public final class IndexOrder {
    private IndexOrder() {
    }

    /**
     * The indices 0..n-1 ordered by {@code keys[i]} (each at least 0): one primitive sort of {@code key << bits |
     * index} where both fit in 63 bits, else a sort of boxed indices. The comparator sort of 154k Integer indices
     * that leakdiff's merge and re-read made on two 1 GB logs ran interpreted first, then its merge methods were
     * compiled by C2 several times over (a cold JVM's profile meets one call site after another).
     */
    public static int[] of(long[] keys, int n) {
        int bits = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
        long max = 0;
        for (int i = 0; i < n; i++) {
            if (keys[i] < 0) {
                throw new IllegalArgumentException("negative key at " + i);
            }
            max = Math.max(max, keys[i]);
        }
        int[] order = new int[n];
        if (max < 1L << (63 - bits)) {
            long[] packed = new long[n];
            for (int i = 0; i < n; i++) {
                packed[i] = keys[i] << bits | i;
            }
            Arrays.sort(packed);
            long mask = (1L << bits) - 1;
            for (int i = 0; i < n; i++) {
                order[i] = (int) (packed[i] & mask);
            }
            return order;
        }
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (x, y) -> Long.compare(keys[x], keys[y]));
        for (int i = 0; i < n; i++) {
            order[i] = boxed[i];
        }
        return order;
    }
}
