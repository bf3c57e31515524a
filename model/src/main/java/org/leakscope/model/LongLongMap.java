package org.leakscope.model;

/**
 * Open-addressing map from long keys to non-zero long values, each value in the slot beside its key: a lookup is one
 * cache miss where a {@link LongIntMap} to an index into a second array is two. For tables asked once per line of a
 * big input (the codes of a module's named return addresses: 60 million frame lines in a 1 GB UMDH log, ~7,000
 * addresses a module) that miss is most of the lookup: 20-25 ns a lookup there, 11-13 here (29 such tables, 20
 * million random lookups, one JVM). Home slots are seeded hashes ({@link SeededHash}), as in LongIntMap.
 */
public final class LongLongMap {
    private static final long EMPTY = Long.MIN_VALUE; // never a key
    private long[] slots; // key, value, key, value, ...
    private int size;
    private int mask;

    /** @param expected keys expected (the table grows past it) */
    public LongLongMap(int expected) {
        allocate(Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1);
    }

    private void allocate(int cap) {
        slots = new long[cap * 2];
        for (int i = 0; i < slots.length; i += 2) {
            slots[i] = EMPTY;
        }
        mask = cap - 1;
    }

    public int size() {
        return size;
    }

    /** The value of {@code key}, or 0 when it has none. */
    public long get(long key) {
        long[] s = slots;
        int i = LongIntMap.home(key, mask);
        while (true) {
            long k = s[i << 1];
            if (k == key) {
                return s[(i << 1) + 1];
            }
            if (k == EMPTY) {
                return 0;
            }
            i = (i + 1) & mask;
        }
    }

    /**
     * Gives {@code key} (not {@link Long#MIN_VALUE}) the non-zero {@code value}, or keeps the one it has.
     *
     * @throws IllegalArgumentException for a value of 0 (which {@link #get} gives for none) or the key MIN_VALUE
     */
    public void putIfAbsent(long key, long value) {
        if (value == 0 || key == EMPTY) {
            throw new IllegalArgumentException(value == 0 ? "a value of 0" : "the key Long.MIN_VALUE");
        }
        long[] s = slots;
        int i = LongIntMap.home(key, mask);
        while (s[i << 1] != EMPTY) {
            if (s[i << 1] == key) {
                return;
            }
            i = (i + 1) & mask;
        }
        s[i << 1] = key;
        s[(i << 1) + 1] = value;
        if (++size * 2 > mask + 1) {
            long[] old = slots;
            allocate((mask + 1) * 2);
            size = 0;
            for (int j = 0; j < old.length; j += 2) {
                if (old[j] != EMPTY) {
                    putIfAbsent(old[j], old[j + 1]);
                }
            }
        }
    }
}
