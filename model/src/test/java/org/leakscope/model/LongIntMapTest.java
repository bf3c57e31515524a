package org.leakscope.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * LongIntMap is keyed by values an input chooses (return addresses, module offsets): its probe runs must stay
 * short for any keys and any table size, or reading turns quadratic. Counted, not timed: a table that fails
 * gives up after a bounded number of probes instead of running for hours.
 */
class LongIntMapTest {
    /**
     * 30 million distinct return addresses (forty 8 MB modules' worth) in a table of 2^26 slots, probed the way
     * LongIntMap probes, from the slots {@link LongIntMap#home} picks. A home slot that kept only 24 bits of the
     * hash put them all into the first 2^24 slots: one cluster, quadratic. Simulated on a bit set (8 MB) because
     * the map itself would need 1 GB at that size; the real map is checked below on hostile keys.
     */
    @Test
    void tensOfMillionsOfAddressesProbeLinearly() {
        int bits = 26;
        int mask = (1 << bits) - 1;
        int n = 30_000_000;
        BitSet used = new BitSet(1 << bits);
        long probes = 0;
        long limit = 3L * n; // linear probing at load 0.45: about 1.3 probes per insertion on average
        int upperHalf = 0;
        for (int k = 0; k < n; k++) {
            long address = 0x10000000L + k * 11L; // 330 MB of code, a return address every 11 bytes
            int i = LongIntMap.home(address, mask);
            upperHalf += i >>> (bits - 1);
            while (used.get(i)) {
                i = (i + 1) & mask;
                if (++probes > limit) {
                    fail("more than " + limit + " probes after " + k + " of " + n + " keys: probing went quadratic");
                }
            }
            probes++;
            used.set(i);
        }
        assertTrue(probes <= 2L * n, "probes per key: " + (double) probes / n);
        assertEquals(n / 2.0, upperHalf, n * 0.01, "home slots in the upper half of the table");
    }

    /**
     * Keys chosen to share one home slot under a fixed hash: the 24-bit Fibonacci hash this map once used, and
     * murmur3's finaliser without a seed (an invertible function: anyone can compute keys for any slot).
     */
    @Test
    void addressesChosenToCollideDoNotInTheMap() {
        int n = 1 << 19;
        LongIntMap map = new LongIntMap(16);
        long fibonacciInverse = inverse(0x9E3779B97F4A7C15L);
        for (int k = 0; k < n; k++) {
            map.put(((0x5A5A5AL << 40) + k) * fibonacciInverse, k); // k * M: the same top 24 bits for every k
            map.put(unmix((long) (k + 1) << 32), k);                 // the same low 32 bits after fmix64
            if ((k & 4095) == 4095) {
                checkBatch(k, n, j -> ((0x5A5A5AL << 40) + j) * fibonacciInverse, map::probes);
                checkBatch(k, n, j -> unmix((long) (j + 1) << 32), map::probes);
            }
        }
        assertEquals(2 * n, map.size());
    }

    private interface Key {
        long of(int k);
    }

    private interface Probes {
        int of(long key);
    }

    /** The last 4096 keys inserted are found in about 1.5 probes each (load is at most one half). */
    private static void checkBatch(int k, int n, Key key, Probes probes) {
        long sum = 0;
        for (int j = k - 4095; j <= k; j++) {
            int p = probes.of(key.of(j));
            assertTrue(p > 0, "key " + j + " not found");
            sum += p;
        }
        double mean = sum / 4096.0;
        if (mean > 4) {
            fail("mean probe length " + mean + " after " + (k + 1) + " of " + n + " chosen keys: they collide");
        }
    }

    /** The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration). */
    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 6; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }

    /** The inverse of murmur3's fmix64: the key whose unseeded finaliser is {@code h}. */
    private static long unmix(long h) {
        h ^= h >>> 33;
        h *= inverse(0xc4ceb9fe1a85ec53L);
        h ^= h >>> 33;
        h *= inverse(0xff51afd7ed558ccdL);
        return h ^ (h >>> 33);
    }
}
