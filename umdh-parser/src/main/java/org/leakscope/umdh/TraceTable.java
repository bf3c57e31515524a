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
 * Robin Hood linear probing: each run of slots stays sorted by home slot, so a key's distance from home depends on
 * the keys present, not on when it came, and mean probes stay about 2.5 at the 3/4 load the table grows at (plain
 * linear probing's newest keys average 8.5 there). That load, and a capacity that is not a power of two (home slot
 * by multiply-shift), let a table be sized to its estimate: the tables of a 1 GB log of 3 million traces took 170 MB
 * at loads of 1/4 to 1/2, now about 90.
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
     *                 at 5/8 load for them, so it holds 20% more than expected before it grows (at 3/4)
     */
    TraceTable(int expected) {
        allocate((int) Math.min(MAX_CAPACITY, Math.max(16L, expected * 8L / 5)));
    }

    private void allocate(int cap) {
        slots = new long[cap * STRIDE];
        traceOf = new int[cap];
        capacity = cap;
    }

    int size() {
        return size;
    }

    /** The slot for a non-zero key, or the complement of an empty slot after its run (see {@link #insert}). */
    int find(long key) {
        return find(key, hash(key));
    }

    /**
     * {@link #find(long)} with the key's {@link #hash} already made (a batch hashes each key once). A plain linear
     * scan to the key or the run's end: no slot between a key's home and the key is empty.
     */
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

    /** Reads the key's home slot only: a prefetch. */
    long touch(int hash) {
        return slots[home(hash) * STRIDE];
    }

    /** The home slot of a hash: its top bits scaled to the capacity (no power of two needed). */
    private int home(int hash) {
        return (int) (((hash & 0xFFFF_FFFFL) * capacity) >>> 32);
    }

    /** How far slot i is past home slot h, around the end. */
    private int distance(int i, int h) {
        return i >= h ? i - h : i + capacity - h;
    }

    /**
     * Creates a trace for a key that {@code find} did not find, given the empty slot it returned; returns the key's
     * slot. The key goes before the first key of its run whose home is past its own; those after it up to the empty
     * slot move one slot on (their slots change: callers hold no slot across an insert).
     */
    int insert(int emptySlot, long key, int trace) {
        if (size + 1 > capacity - (capacity >> 2) && capacity < MAX_CAPACITY) {
            grow();
            emptySlot = ~find(key);
        }
        int h = home(hash(key));
        int at = h;
        int d = 0;
        long[] s = slots;
        while (at != emptySlot && distance(at, home(hash(s[at * STRIDE]))) >= d) {
            at = at + 1 == capacity ? 0 : at + 1;
            d++;
        }
        for (int j = emptySlot; j != at;) {
            int from = j == 0 ? capacity - 1 : j - 1;
            s[j * STRIDE] = s[from * STRIDE];
            s[j * STRIDE + 1] = s[from * STRIDE + 1];
            traceOf[j] = traceOf[from];
            j = from;
        }
        s[at * STRIDE] = key;
        s[at * STRIDE + 1] = 0;
        traceOf[at] = trace;
        size++;
        return at;
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
