package org.leakscope.umdh;

import java.util.Arrays;
import org.leakscope.model.SeededHash;

/**
 * Per-trace sums keyed by an encoded trace id (one partition of {@link TraceTotals}). A slot is 16 bytes: the key
 * and the three sums packed in one long (31 bits of bytes, 16 of count, 16 of overhead). A trace whose sums
 * outgrow the packing moves them to a side table of full longs, and its slot names its row there; those are the
 * few traces hit most, so their side rows stay cached. Packed, the tables of a 1 GB log of 500k traces take
 * 20 MB instead of 37 (a record's lookup misses the caches less often: aggregating 20.5M records took 1.8 s,
 * now about 1.3 s).
 * <p>
 * Linear probing, the table grown at 3/5 load (newest keys then average about 3.6 probes) and sized to the trace
 * estimate for 5/9 load, with any capacity (home slot by multiply-shift): the tables of a 1 GB log of 3 million
 * traces took 170 MB as powers of two at most half full, now about 108. Robin Hood probing allowed 3/4 load
 * (87 MB) but cost 7-9% more reading time on logs of 500k traces (longer probes at the higher load, and each
 * insert rehashing the run's keys).
 */
final class TraceTable {
    private static final int STRIDE = 2;
    private static final int COUNT_SHIFT = TraceSums.COUNT_SHIFT;
    private static final int OVERHEAD_SHIFT = TraceSums.OVERHEAD_SHIFT;
    private static final long BYTES_MAX = TraceSums.BYTES_MAX;
    private static final long COUNT_MAX = TraceSums.COUNT_MAX;
    private static final long OVERHEAD_MAX = TraceSums.OVERHEAD_MAX;
    /** A record at or past this in any of its numbers goes to the side table at once. */
    private static final int SMALL_BITS = 15;

    private long[] slots;    // key, packed sums or ~row of the side table; key 0 = empty
    private int[] traceOf;   // trace number per slot
    private int capacity;    // in slots
    private int size;
    private long[] wide = new long[0]; // bytes, count, overhead per side row
    private int wideRows;

    private static final int MAX_CAPACITY = 1 << 28;

    /**
     * @param expected traces likely to come (TraceCountEstimate's figure, 0.9 of its estimate): the table starts
     *                 at 1/2 load for them, so it holds 20% more than expected before it grows (at 3/5)
     */
    TraceTable(int expected) {
        allocate((int) Math.min(MAX_CAPACITY, Math.max(16L, expected * 2L)));
    }

    private void allocate(int cap) {
        slots = new long[cap * STRIDE];
        traceOf = new int[cap];
        capacity = cap;
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
        int i = home(hash);
        long[] s = slots;
        while (true) {
            long k = s[i * STRIDE];
            if (k == key) {
                return i;
            }
            if (k == 0) {
                return ~i;
            }
            i = i + 1 == capacity ? 0 : i + 1;
        }
    }

    /** Reads the key's home slot and its trace number: a prefetch. */
    long touch(int hash) {
        int i = home(hash);
        return slots[i * STRIDE] + traceOf[i];
    }

    /** The home slot of a hash: its top bits scaled to the capacity (no power of two needed). */
    private int home(int hash) {
        return (int) (((hash & 0xFFFF_FFFFL) * capacity) >>> 32);
    }

    /**
     * Creates the slot {@code ~find(key)} for a new trace; returns its slot (another one when the table grew: callers
     * hold no slot across an insert).
     */
    int insert(int emptySlot, long key, int trace) {
        if (size + 1 > (int) (capacity * 3L / 5) && capacity < MAX_CAPACITY) {
            grow();
            emptySlot = ~find(key);
        }
        slots[emptySlot * STRIDE] = key;
        slots[emptySlot * STRIDE + 1] = 0;
        traceOf[emptySlot] = trace;
        size++;
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
                s[b] = TraceSums.pack(nb, nc, no);
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

    /**
     * Writes every trace's packed sums into {@code packed[trace]}; a trace with a side row gets ~(its row in
     * {@code wide} from {@code firstRow} on), its row copied there. Returns the next free row.
     */
    int copySums(long[] packed, long[] wide, int firstRow) {
        int row = firstRow;
        for (int i = 0; i < traceOf.length; i++) {
            int b = i * STRIDE;
            if (slots[b] != 0) {
                long p = slots[b + 1];
                if (p < 0) {
                    System.arraycopy(this.wide, (int) ~p * 3, wide, row * 3, 3);
                    p = ~(long) row++;
                }
                packed[traceOf[i]] = p;
            }
        }
        return row;
    }

    /** Writes every trace's key into {@code keys[trace]}. */
    void copyKeys(LongColumn keys) {
        for (int i = 0; i < traceOf.length; i++) {
            long k = slots[i * STRIDE];
            if (k != 0) {
                keys.set(traceOf[i], k);
            }
        }
    }

    /** Side rows in use. */
    int wideRows() {
        return wideRows;
    }

    /** Keys are trace ids a log chooses: seeded, so no file can pick ids that share a probe run. */
    static int hash(long key) {
        return (int) SeededHash.mix(key);
    }

    /** Slots a lookup of {@code key} visits (1 = found at home), or -1 when absent: for tests. */
    int probes(long key) {
        int i = home(hash(key));
        for (int n = 1; n <= capacity; n++) {
            long k = slots[i * STRIDE];
            if (k == key) {
                return n;
            }
            if (k == 0) {
                return -1;
            }
            i = i + 1 == capacity ? 0 : i + 1;
        }
        return -1;
    }

    private void grow() {
        long[] old = slots;
        int[] oldTrace = traceOf;
        allocate((int) Math.min(MAX_CAPACITY, oldTrace.length * 2L));
        size = 0;
        for (int i = 0; i < oldTrace.length; i++) {
            long k = old[i * STRIDE];
            if (k != 0) {
                int j = insert(~find(k), k, oldTrace[i]);
                slots[j * STRIDE + 1] = old[i * STRIDE + 1];
            }
        }
    }
}
