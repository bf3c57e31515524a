package org.leakscope.umdh;

import java.util.Arrays;
import org.leakscope.model.SeededHash;

/**
 * Per-trace sums keyed by an encoded trace id (one partition of {@link TraceTotals}). A slot is 16 bytes: the key
 * and the three sums packed in one long (31 bits of bytes, 16 of count, 16 of overhead). A trace whose sums
 * outgrow the packing moves them to a side table of full longs, and its slot names its row there; those are the
 * few traces hit most, so their side rows stay cached. Packed, the tables of a 1 GB log of 500k traces take
 * 20 MB instead of 37 (a record's lookup misses the caches less often: aggregating 20.5M records took 1.8 s,
 * now about 1.3 s), and those of 3 million traces 170 MB instead of 300.
 */
final class TraceTable {
    private static final int STRIDE = 2;
    private static final int COUNT_SHIFT = 31;
    private static final int OVERHEAD_SHIFT = 47;
    private static final long BYTES_MAX = (1L << COUNT_SHIFT) - 1;
    private static final long COUNT_MAX = (1L << (OVERHEAD_SHIFT - COUNT_SHIFT)) - 1;
    private static final long OVERHEAD_MAX = (1L << (63 - OVERHEAD_SHIFT)) - 1;
    /** A record at or past this in any of its numbers goes to the side table at once. */
    private static final int SMALL_BITS = 15;

    private long[] slots;    // key, packed sums or ~row of the side table; key 0 = empty
    private int[] traceOf;   // trace number per slot
    private int mask;        // in slots
    private int size;
    private long[] wide = new long[0]; // bytes, count, overhead per side row
    private int wideRows;

    TraceTable(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slots = new long[cap * STRIDE];
        traceOf = new int[cap];
        mask = cap - 1;
    }

    int size() {
        return size;
    }

    /** The slot for a non-zero key, or the complement of the empty slot where it would go. */
    int find(long key) {
        return find(key, hash(key));
    }

    /** {@link #find(long)} with the key's {@link #hash} already made (a batch hashes each key once). */
    int find(long key, int hash) {
        int i = hash & mask;
        long[] s = slots;
        while (true) {
            long k = s[i * STRIDE];
            if (k == key) {
                return i;
            }
            if (k == 0) {
                return ~i;
            }
            i = (i + 1) & mask;
        }
    }

    /** Reads the key's home slot only: a prefetch. */
    long touch(int hash) {
        return slots[(hash & mask) * STRIDE];
    }

    /** Creates the slot {@code ~find(key)} for a new trace; returns its (possibly moved) slot. */
    int insert(int emptySlot, long key, int trace) {
        slots[emptySlot * STRIDE] = key;
        traceOf[emptySlot] = trace;
        if (++size * 2 > traceOf.length) {
            grow();
            return find(key);
        }
        return emptySlot;
    }

    /** Adds one record; false when a sum would pass 2^63. */
    boolean add(int slot, long bytes, long count, long overhead) {
        int b = slot * STRIDE + 1;
        long[] s = slots;
        long p = s[b];
        if (p >= 0 && ((bytes | count | overhead) >>> SMALL_BITS) == 0) {
            long nb = (p & BYTES_MAX) + bytes;
            long nc = ((p >>> COUNT_SHIFT) & COUNT_MAX) + count;
            long no = (p >>> OVERHEAD_SHIFT) + overhead;
            if (nb < BYTES_MAX && nc < COUNT_MAX && no < OVERHEAD_MAX) {
                s[b] = nb | nc << COUNT_SHIFT | no << OVERHEAD_SHIFT;
                return true;
            }
        }
        int row = p < 0 ? (int) ~p : widen(b);
        long[] w = wide;
        int r = row * 3;
        long nb = w[r] + bytes;
        long nc = w[r + 1] + count;
        long no = w[r + 2] + overhead;
        if (nb < 0 || nc < 0 || no < 0) {
            return false; // all inputs are non-negative: a negative sum is an overflow
        }
        w[r] = nb;
        w[r + 1] = nc;
        w[r + 2] = no;
        return true;
    }

    /** Moves the packed sums at {@code slots[b]} to a new side row; returns the row. */
    private int widen(int b) {
        long p = slots[b];
        if (wideRows * 3 == wide.length) {
            wide = Arrays.copyOf(wide, Math.max(48, wide.length * 2));
        }
        int row = wideRows++;
        wide[row * 3] = p & BYTES_MAX;
        wide[row * 3 + 1] = (p >>> COUNT_SHIFT) & COUNT_MAX;
        wide[row * 3 + 2] = p >>> OVERHEAD_SHIFT;
        slots[b] = ~(long) row;
        return row;
    }

    int trace(int slot) {
        return traceOf[slot];
    }

    /** Writes bytes/count/overhead of every trace here into out[0..2][trace]. */
    void copyTotals(long[][] out) {
        for (int i = 0; i < traceOf.length; i++) {
            int b = i * STRIDE;
            if (slots[b] != 0) {
                int t = traceOf[i];
                long p = slots[b + 1];
                if (p >= 0) {
                    out[0][t] = p & BYTES_MAX;
                    out[1][t] = (p >>> COUNT_SHIFT) & COUNT_MAX;
                    out[2][t] = p >>> OVERHEAD_SHIFT;
                } else {
                    int r = (int) ~p * 3;
                    out[0][t] = wide[r];
                    out[1][t] = wide[r + 1];
                    out[2][t] = wide[r + 2];
                }
            }
        }
    }

    /** Keys are trace ids a log chooses: seeded, so no file can pick ids that share a probe run. */
    static int hash(long key) {
        return (int) SeededHash.mix(key);
    }

    /** Slots a lookup of {@code key} visits (1 = found at home), or -1 when absent: for tests. */
    int probes(long key) {
        int i = hash(key) & mask;
        for (int n = 1; n <= mask + 1; n++) {
            long k = slots[i * STRIDE];
            if (k == key) {
                return n;
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void grow() {
        long[] old = slots;
        int[] oldTrace = traceOf;
        int cap = oldTrace.length * 2;
        slots = new long[cap * STRIDE];
        traceOf = new int[cap];
        mask = cap - 1;
        for (int i = 0; i < oldTrace.length; i++) {
            long k = old[i * STRIDE];
            if (k != 0) {
                int j = ~find(k);
                slots[j * STRIDE] = k;
                slots[j * STRIDE + 1] = old[i * STRIDE + 1];
                traceOf[j] = oldTrace[i];
            }
        }
    }
}
