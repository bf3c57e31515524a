package org.leakscope.umdh;

import java.util.Arrays;

/**
 * Open-addressing map from long keys to int values (frame addresses → frame numbers). Key and value sit side by
 * side in one array, so a lookup costs one cache miss, not two: with a few hundred thousand distinct return
 * addresses the table outgrows the caches and every stack line pays for a miss.
 */
final class LongIntMap {
    private static final long EMPTY = Long.MIN_VALUE; // never a key: callers clear the top bit
    private long[] slots; // key, value, key, value, ...
    private int size;
    private int mask;

    LongIntMap(int expected) {
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

    int size() {
        return size;
    }

    /** The value for {@code key}, or -1. */
    int get(long key) {
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

    void put(long key, int value) {
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

    /** Reads the key's home slot only (see FrameTable#touch). */
    long touch(long key) {
        return slots[slot(key) << 1];
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L; // Fibonacci hashing: the high bits are well mixed
        return (int) (h >>> 40) & mask;
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
