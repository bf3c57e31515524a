package org.leakscope.umdh;

/**
 * Bytes, allocation count and overhead per trace, in one long a trace: packed as the sum tables pack them (31 bits
 * of bytes, 16 of count, 16 of overhead), or the complement of a row of full longs for the few traces past that.
 * Three columns of longs took 72 MB for a log of 3 million traces; this takes 24.
 */
final class TraceSums {
    static final int COUNT_SHIFT = 31;
    static final int OVERHEAD_SHIFT = 47;
    static final long BYTES_MAX = (1L << COUNT_SHIFT) - 1;
    static final long COUNT_MAX = (1L << (OVERHEAD_SHIFT - COUNT_SHIFT)) - 1;
    static final long OVERHEAD_MAX = (1L << (63 - OVERHEAD_SHIFT)) - 1;

    private final long[] packed; // per trace: packed sums (>= 0) or ~row
    private final long[] wide;   // bytes, count, overhead per row

    TraceSums(long[] packed, long[] wide) {
        this.packed = packed;
        this.wide = wide;
    }

    static long pack(long bytes, long count, long overhead) {
        return bytes | count << COUNT_SHIFT | overhead << OVERHEAD_SHIFT;
    }

    int size() {
        return packed.length;
    }

    long bytes(int t) {
        long p = packed[t];
        return p >= 0 ? p & BYTES_MAX : wide[(int) ~p * 3];
    }

    long count(int t) {
        long p = packed[t];
        return p >= 0 ? (p >>> COUNT_SHIFT) & COUNT_MAX : wide[(int) ~p * 3 + 1];
    }

    long overhead(int t) {
        long p = packed[t];
        return p >= 0 ? p >>> OVERHEAD_SHIFT : wide[(int) ~p * 3 + 2];
    }

    /** The sums with trace {@code order[i]}'s at i. */
    TraceSums reordered(int[] order) {
        long[] out = new long[packed.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = packed[order[i]];
        }
        return new TraceSums(out, wide);
    }
}
