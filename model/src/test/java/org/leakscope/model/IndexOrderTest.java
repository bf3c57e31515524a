package org.leakscope.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The order a stable sort of boxed indices by key gives, on keys that pack and keys too wide to. */
class IndexOrderTest {
    private static int[] stable(long[] keys, int n) {
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, Comparator.comparingLong(i -> keys[i]));
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void ordersByKeyWithTiesInIndexOrder() {
        Random r = new Random(3);
        for (long range : new long[] {1, 7, 1L << 20, 1L << 44, Long.MAX_VALUE}) { // the last ones do not pack
            for (int n : new int[] {0, 1, 2, 1000, 70_000}) {
                long[] keys = new long[n + 5]; // longer than n: the rest is not looked at
                for (int i = 0; i < keys.length; i++) {
                    keys[i] = i < n ? (r.nextLong() & Long.MAX_VALUE) % range : -1;
                }
                assertArrayEquals(stable(keys, n), IndexOrder.of(keys, n), "range " + range + ", n " + n);
            }
        }
    }

    @Test
    void aNegativeKeyIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> IndexOrder.of(new long[] {3, -1}, 2));
    }
}
