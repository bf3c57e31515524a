package org.leakscope.model;

import java.util.Arrays;

/**
 * Open-addressing map from long keys to int values (frame addresses → frame numbers, module+offset → stack key
 * tokens). Key and value sit side by side in one array, so a lookup costs one cache miss, not two: with millions
 * of distinct return addresses the table outgrows the caches and every stack line pays for a miss; and nothing is
 * boxed, so ten million keys take 256 MB, not a gigabyte of Long and HashMap nodes. The keys come from inputs,
 * so the home slot is a seeded hash using every bit the mask keeps (see {@link SeededHash}): probe runs stay
 * short for any input and any table size.
 */
public final class LongIntMap {
    private static final long EMPTY = Long.MIN_VALUE; // never a key
    private long[] slots; // key, value, key, value, ...
    private int size;
    private int mask;

    /** @param expected keys expected (the table grows past it) */
    public LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        slots = new long[cap * 2];
        fillEmpty(slots);
        mask = cap - 1;
    }

    private static void fillEmpty(long[] s) {
        for (int i = 0; i < s.length; i += 2) {
            s[i] = EMPTY;
        }
    }

    public int size() {
        return size;
    }

    /** The value for {@code key}, or -1. */
    public int get(long key) {
        long[] s = slots;
        int i = slot(key);
        while (true) {
            long k = s[i << 1];
            if (k == key) {
                return (int) s[(i << 1) + 1];
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** Sets the value of {@code key}, which must not be {@link Long#MIN_VALUE}. */
    public void put(long key, int value) {
        long[] s = slots;
        int i = slot(key);
        while (true) {
            long k = s[i << 1];
            if (k == key) {
                s[(i << 1) + 1] = value;
                return;
            }
            if (k == EMPTY) {
                s[i << 1] = key;
                s[(i << 1) + 1] = value;
                if (++size * 2 > mask + 1) {
                    grow();
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Reads the key's home slot only: a prefetch. Touching a batch of keys before looking them up lets the CPU
     * overlap their cache misses (see umdh's FrameTable).
     */
    public long touch(long key) {
        return slots[slot(key) << 1];
    }

    private int slot(long key) {
        return home(key, mask);
    }

    /**
     * The slot a key probes first in a table of {@code mask + 1} slots. (Keeping only 24 bits of a fixed hash, as
     * this once did, put every key of a table past 2^24 slots into its first 2^24: linear probing turned
     * quadratic on logs with millions of distinct addresses.)
     */
    static int home(long key, int mask) {
        return (int) SeededHash.mix(key) & mask;
    }

    /** Slots a lookup of {@code key} visits (1 = found at home), or -1 when absent: for tests. */
    int probes(long key) {
        int i = slot(key);
        for (int n = 1; n <= mask + 1; n++) {
            long k = slots[i << 1];
            if (k == key) {
                return n;
            }
            if (k == EMPTY) {
                return -1;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        fillEmpty(slots);
        mask = (slots.length >> 1) - 1;
        size = 0;
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != EMPTY) {
                put(old[i], (int) old[i + 1]);
            }
        }
        Arrays.fill(old, 0);
    }
}
