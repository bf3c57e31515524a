package org.leakscope.umdh;

import java.util.Arrays;
import org.leakscope.model.SeededHash;

/**
 * Per-trace sums keyed by an encoded trace id (one partition of {@link TraceTotals}): a slot holds the key and
 * the three sums side by side (4 longs = half a cache line), so adding a record touches one line; the trace
 * number lives in a parallel array read only when a trace is created or its stack appears.
 */
final class TraceTable {
    private static final int STRIDE = 4;
    private long[] slots;    // key, bytes, count, overhead; key 0 = empty
    private int[] traceOf;   // trace number per slot
    private int mask;        // in slots
    private int size;

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
        int b = slot * STRIDE;
        long[] s = slots;
        long nb = s[b + 1] + bytes;
        long nc = s[b + 2] + count;
        long no = s[b + 3] + overhead;
        if (nb < 0 || nc < 0 || no < 0) {
            return false; // all inputs are non-negative: a negative sum is an overflow
        }
        s[b + 1] = nb;
        s[b + 2] = nc;
        s[b + 3] = no;
        return true;
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
                out[0][t] = slots[b + 1];
                out[1][t] = slots[b + 2];
                out[2][t] = slots[b + 3];
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
                System.arraycopy(old, i * STRIDE, slots, j * STRIDE, STRIDE);
                traceOf[j] = oldTrace[i];
            }
        }
        Arrays.fill(old, 0); // help nothing hold on to stale sums
    }
}
