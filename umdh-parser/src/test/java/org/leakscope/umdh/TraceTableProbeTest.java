package org.leakscope.umdh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * TraceTable is keyed by trace ids a log chooses: its probe runs must stay short for any ids, or reading turns
 * quadratic (the address map, LongIntMap, is tested in model). Counted, not timed.
 */
class TraceTableProbeTest {
    /**
     * Trace ids chosen to share one home slot under murmur3's finaliser without a seed (what TraceTable hashed
     * with: an invertible function, so anyone can compute ids for any slot). Each batch of 4096 must be found in
     * about 1.5 probes per id; colliding ids fail at the first batch instead of running for hours.
     */
    @Test
    void traceIdsChosenToCollideDoNot() {
        int n = 1 << 19;
        TraceTable table = new TraceTable(16);
        for (int k = 0; k < n; k++) {
            long key = unmix((long) (k + 1) << 32);
            int slot = table.find(key);
            assertTrue(slot < 0);
            table.insert(~slot, key, k);
            if ((k & 4095) == 4095) {
                long probes = 0;
                for (int j = k - 4095; j <= k; j++) {
                    probes += table.probes(unmix((long) (j + 1) << 32));
                }
                assertTrue(probes <= 4 * 4096, "mean probe length " + probes / 4096.0 + " after " + (k + 1) + " ids");
            }
        }
        assertEquals(n, table.size());
    }

    /** The inverse of murmur3's fmix64 (what TraceTable hashed with, unseeded): the key whose hash is {@code h}. */
    private static long unmix(long h) {
        h ^= h >>> 33;
        h *= inverse(0xc4ceb9fe1a85ec53L);
        h ^= h >>> 33;
        h *= inverse(0xff51afd7ed558ccdL);
        return h ^ (h >>> 33);
    }

    /** The multiplicative inverse of an odd number modulo 2^64 (Newton's iteration). */
    private static long inverse(long odd) {
        long x = odd;
        for (int i = 0; i < 6; i++) {
            x *= 2 - odd * x;
        }
        return x;
    }
}
