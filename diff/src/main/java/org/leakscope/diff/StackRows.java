package org.leakscope.diff;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.leakscope.model.SeededHash;

/**
 * The distinct keys of a {@link SnapshotSeries}, numbered 0, 1, ... in the order first seen. A stack key's token
 * ids are stored once in one int array and found through an open-addressing table of row numbers, so a million
 * stacks are no million objects: a HashMap keyed by an int[] per stack cost about 150 bytes and three objects
 * each, which the collector walked again at every collection. Text keys (trace ids, traces without a stack) are
 * few and kept in a map.
 */
final class StackRows {
    private int[] pool = new int[1 << 16]; // every token key's ids, back to back
    private int poolSize;
    private int[] start = new int[1 << 10]; // per row: its ids are pool[start, start + length)
    private int[] length = new int[1 << 10]; // per row: -1 for a text key
    private int[] hash = new int[1 << 10];
    private int rows;
    private int[] table = new int[1 << 11]; // row + 1 per slot, 0 = empty
    private int tokenRows;
    private final Map<String, Integer> textRows = new HashMap<>();

    int size() {
        return rows;
    }

    /** The row of the token key {@code ids[0, n)}, made when new. */
    int row(int[] ids, int n) {
        int h = hash(ids, n);
        int mask = table.length - 1;
        int i = h & mask;
        while (true) {
            int r = table[i] - 1;
            if (r < 0) {
                r = add(n, h);
                if (poolSize + n > pool.length) {
                    pool = Arrays.copyOf(pool, Math.max(poolSize + n, pool.length + (pool.length >> 1)));
                }
                System.arraycopy(ids, 0, pool, poolSize, n);
                start[r] = poolSize;
                poolSize += n;
                table[i] = r + 1;
                if (++tokenRows * 2 > table.length) {
                    grow();
                }
                return r;
            }
            if (hash[r] == h && length[r] == n && Arrays.equals(pool, start[r], start[r] + n, ids, 0, n)) {
                return r;
            }
            i = (i + 1) & mask;
        }
    }

    /** The row of a text key, made when new. */
    int row(String text) {
        Integer r = textRows.get(text);
        if (r == null) {
            r = add(-1, 0);
            textRows.put(text, r);
        }
        return r;
    }

    private int add(int n, int h) {
        if (rows == length.length) {
            int cap = rows + (rows >> 1);
            start = Arrays.copyOf(start, cap);
            length = Arrays.copyOf(length, cap);
            hash = Arrays.copyOf(hash, cap);
        }
        length[rows] = n;
        hash[rows] = h;
        return rows++;
    }

    private void grow() {
        int[] t = new int[table.length * 2];
        int mask = t.length - 1;
        for (int r = 0; r < rows; r++) {
            if (length[r] >= 0) {
                int i = hash[r] & mask;
                while (t[i] != 0) {
                    i = (i + 1) & mask;
                }
                t[i] = r + 1;
            }
        }
        table = t;
    }

    /** {@link SeededHash#of(int[])} of the first n ids: the ids come from an input, so the hash is seeded. */
    private static int hash(int[] ids, int n) {
        long h = n;
        for (int i = 0; i < n; i++) {
            h = SeededHash.mix(h + ids[i]);
        }
        return (int) h;
    }
}
